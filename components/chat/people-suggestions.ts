/**
 * Names of people the server suggests for the typed start of a name (GET /api/users?q=), for a name
 * field's native `<datalist>` (the browser's own combobox, reached with ↓ and announced by screen
 * readers): the "New message" form and a private room's "Add member" form, which offer bots too (a DM
 * can be opened with a bot, a bot added to a room); and for `@` in the composer of a public room
 * (mention-suggestions.tsx), which leaves the bots out: no mention notifies a bot.
 */
import { useEffect, useState } from "react";
import { api } from "@/components/auth/api";

const NOBODY: string[] = [];

/** Keystrokes closer together than this (ms) ask the server once, for the last of them. */
const SUGGEST_DELAY_MS = 150;

/**
 * The server's latest answer: the names it suggests for `start` (the trimmed text it was asked about),
 * and which of them are bots (`kind` "bot"; absent: none).
 */
export type PeopleAnswer = { start: string; names: string[]; bots?: string[] };

/**
 * The server's latest answer for `typed` (null for null, and until a first answer), newest answer only
 * (an older request's answer arriving late is dropped). Right after a keystroke it is still the answer
 * for what was typed before: `start` says which. A failed request leaves it as it was.
 */
export function usePeopleAnswer(typed: string | null): PeopleAnswer | null {
  const [answer, setAnswer] = useState<PeopleAnswer | null>(null);
  useEffect(() => {
    // null: nothing to look up (no name being typed), and no request.
    if (typed === null) return;
    let stale = false;
    const start = typed.trim();
    const timer = setTimeout(() => {
      api<{ users: { name: string; kind?: string }[] }>("GET", `/api/users?q=${encodeURIComponent(start)}`)
        .then((res) => stale || setAnswer({ start, names: res.users.map((u) => u.name), bots: res.users.filter((u) => u.kind === "bot").map((u) => u.name) }))
        .catch(() => undefined);
    }, SUGGEST_DELAY_MS);
    return () => ((stale = true), clearTimeout(timer));
  }, [typed]);
  return typed === null ? null : answer;
}

/**
 * The names the server suggests for `typed` that a mention notifies (none for null): those of its latest
 * answer (usePeopleAnswer) but the bots, whom no mention notifies (docs/protocol.md, "Notifications");
 * `bots` are the ones left out, so that a bot among the room's members is not offered either.
 * Suggestions are a convenience: a name typed in full mentions just as well.
 */
export function useMentionablePeople(typed: string | null): { names: string[]; bots: readonly string[] } {
  const answer = usePeopleAnswer(typed);
  const bots = answer?.bots ?? NOBODY;
  return { names: answer ? answer.names.filter((name) => !bots.includes(name)) : NOBODY, bots };
}
