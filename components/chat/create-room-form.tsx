"use client";
/** "New room" disclosure: create a room, or open an existing public one, by name. */
import { useId, useState, type FormEvent } from "react";
import { useT } from "@/components/i18n/use-t";
import { PlusIcon } from "./icons";

export const ROOM_NAME_MAX_CHARS = 64;

type Props = {
  /** Resolves with an error message to show, or nothing on success. */
  onCreateRoom(name: string, isPrivate: boolean): Promise<string | void> | void;
  /** Guests cannot create private rooms, so they are not offered the choice. */
  canCreatePrivate?: boolean;
};

export function CreateRoomForm({ onCreateRoom, canCreatePrivate = true }: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [isPrivate, setIsPrivate] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formId = useId();
  const errorId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError(t("rooms.nameMissing"));
    setBusy(true);
    setError(null);
    try {
      const problem = await onCreateRoom(trimmed, canCreatePrivate && isPrivate);
      if (problem) return setError(problem);
      setName("");
      setIsPrivate(false);
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
        <PlusIcon /> {t("rooms.new")}
      </button>
      {open && (
        <form id={formId} className="create-room-form" onSubmit={submit} aria-label={t("rooms.form")}>
          <label className="field">
            <span className="field-label">{t("rooms.name")}</span>
            <input
              className="input" value={name} maxLength={ROOM_NAME_MAX_CHARS} autoFocus
              placeholder={t("rooms.namePlaceholder")}
              aria-invalid={!!error || undefined} aria-describedby={error ? errorId : undefined}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          {canCreatePrivate && (
            <label className="checkbox">
              <input type="checkbox" checked={isPrivate} onChange={(e) => setIsPrivate(e.target.checked)} />
              {t("rooms.privateOption")}
            </label>
          )}
          {error && <p id={errorId} className="field-error" role="alert">{error}</p>}
          <button type="submit" className="button button-primary button-small" disabled={busy}>
            {busy ? t("rooms.opening") : t("rooms.submit")}
          </button>
        </form>
      )}
    </div>
  );
}
