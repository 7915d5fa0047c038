/**
 * Names of people the server suggests for the typed start of a name (GET /api/users?q=), for a name
 * field's native `<datalist>` (the browser's own combobox, reached with ↓ and announced by screen
 * readers): the "New message" form and a private room's "Add member" form; and for `@` in the composer
 * of a public room (mention-suggestions.tsx).
 */
import { useEffect, useState } from "react";
import { api } from "@/components/auth/api";

const NOBODY: string[] = [];

/** Keystrokes closer together than this (ms) ask the server once, for the last of them. */
const SUGGEST_DELAY_MS = 150;

/**
 * The names the server suggests for `typed` (none for null), newest answer only (an older request's answer arriving late
 * is dropped). Suggestions are a convenience: a failed request leaves the list as it was, and the form
 * still works with the exact name.
 */
export function usePeopleSuggestions(typed: string | null): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    // null: nothing to look up (no name being typed), and no request.
    if (typed === null) return;
    let stale = false;
    const timer = setTimeout(() => {
      api<{ users: { name: string }[] }>("GET", `/api/users?q=${encodeURIComponent(typed.trim())}`)
        .then((res) => stale || setNames(res.users.map((u) => u.name)))
        .catch(() => undefined);
    }, SUGGEST_DELAY_MS);
    return () => ((stale = true), clearTimeout(timer));
  }, [typed]);
  return typed === null ? NOBODY : names;
}
