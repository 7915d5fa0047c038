"use client";
/** Adds a person to a private room by name; keeps the form and shows why when the server refuses. */
import { useId, useState, type FormEvent } from "react";
import type { Ack } from "@/lib/realtime/events";
import { useT } from "@/components/i18n/use-t";

type Props = { onAdd(name: string): Promise<Ack<Record<string, never>>> };

export function AddMemberForm({ onAdd }: Props) {
  const t = useT();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const person = name.trim();
    if (!person) return;
    setBusy(true);
    setError(null);
    try {
      const res = await onAdd(person);
      if (res.ok) setName("");
      else setError(res.error.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="add-member-form" onSubmit={submit} aria-label={t("members.add")}>
      <label htmlFor={inputId} className="field-label">{t("members.addName")}</label>
      <div className="inline-field">
        <input
          id={inputId} className="input" value={name} maxLength={64} autoComplete="off"
          aria-invalid={!!error || undefined} aria-describedby={error ? errorId : undefined}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="button button-primary button-small" disabled={busy || !name.trim()}>
          {t("members.add")}
        </button>
      </div>
      {error && <p id={errorId} className="field-error" role="alert">{error}</p>}
    </form>
  );
}
