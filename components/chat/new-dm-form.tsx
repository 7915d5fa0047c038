"use client";
/** "New message" disclosure: type a person's name to open (or reuse) the direct message with them. */
import { useId, useState, type FormEvent } from "react";
import { useT } from "@/components/i18n/use-t";
import { AtIcon } from "./icons";

type Props = {
  /** Resolves with an error message to show (no such user …), or nothing once the DM is open. */
  onOpenDm(name: string): Promise<string | void> | void;
};

export function NewDmForm({ onOpenDm }: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formId = useId();
  const errorId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const person = name.trim();
    if (!person) return setError(t("dm.nameMissing"));
    setBusy(true);
    setError(null);
    try {
      const problem = await onOpenDm(person);
      if (problem) return setError(problem);
      setName("");
      setOpen(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="create-room">
      <button
        type="button" className="sidebar-action" aria-expanded={open} aria-controls={formId}
        onClick={() => setOpen((o) => !o)}
      >
        <AtIcon /> {t("dm.new")}
      </button>
      {open && (
        <form id={formId} className="create-room-form" onSubmit={submit} aria-label={t("dm.form")}>
          <label className="field">
            <span className="field-label">{t("dm.person")}</span>
            <input
              className="input" value={name} maxLength={64} autoFocus autoComplete="off"
              aria-invalid={!!error || undefined} aria-describedby={error ? errorId : undefined}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          {error && <p id={errorId} className="field-error" role="alert">{error}</p>}
          <button type="submit" className="button button-primary button-small" disabled={busy}>
            {busy ? t("rooms.opening") : t("dm.submit")}
          </button>
        </form>
      )}
    </div>
  );
}
