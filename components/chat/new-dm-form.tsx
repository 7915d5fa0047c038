"use client";
/**
 * The "New message" form: type a person's name to open (or reuse) the direct message with them. Opened
 * by its sidebar disclosure (room-list.tsx), which fetches this module then. As the name is typed, the
 * people whose name starts with it (GET /api/users?q=) are offered as the input's suggestions (a native
 * `<datalist>`: the browser's own combobox, reached with ↓ and announced by screen readers).
 */
import { useEffect, useId, useState } from "react";
import { api, type Refusal } from "@/components/auth/api";
import { text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import type { DisclosedFormProps } from "./name-disclosure";
import { NameForm } from "./name-form";
import { useNameForm } from "./use-name-form";
import "@/components/i18n/forms-strings";

type Props = DisclosedFormProps & {
  /** Resolves with the server's refusal (no such user …), or nothing once the DM is open. */
  onOpenDm(name: string): Promise<Refusal | void> | void;
};

/** Keystrokes closer together than this (ms) ask the server once, for the last of them. */
const SUGGEST_DELAY_MS = 150;

/**
 * The names the server suggests for the typed start of a name, newest answer only (an older request's
 * answer arriving late is dropped). Suggestions are a convenience: a failed request leaves the list as it
 * was, and the form still opens a DM by the exact name.
 */
export function usePeopleSuggestions(typed: string): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      api<{ users: { name: string }[] }>("GET", `/api/users?q=${encodeURIComponent(typed.trim())}`)
        .then((res) => stale || setNames(res.users.map((u) => u.name)))
        .catch(() => undefined);
    }, SUGGEST_DELAY_MS);
    return () => ((stale = true), clearTimeout(timer));
  }, [typed]);
  return names;
}

export function NewDmForm({ onOpenDm, formId, onClose }: Props) {
  const t = useT();
  const form = useNameForm({ missing: text("dm.nameMissing"), onSubmit: onOpenDm, onDone: onClose });
  const listId = useId();
  const people = usePeopleSuggestions(form.inputProps.value);

  return (
    <NameForm form={form} formId={formId} formLabel={t("dm.form")} submitLabel={t("dm.submit")}>
      <label className="field">
        <span className="field-label">{t("dm.person")}</span>
        <input className="input" maxLength={64} autoFocus autoComplete="off" list={listId} {...form.inputProps} />
      </label>
      <datalist id={listId}>
        {people.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </NameForm>
  );
}
