"use client";
/** "New room" disclosure: create a room, or open an existing public one, by name. */
import { useState } from "react";
import { useT } from "@/components/i18n/use-t";
import { PlusIcon } from "./icons";
import { useNameForm } from "./use-name-form";

export const ROOM_NAME_MAX_CHARS = 64;

type Props = {
  /** Resolves with an error message to show, or nothing on success. */
  onCreateRoom(name: string, isPrivate: boolean): Promise<string | void> | void;
  /** Guests cannot create private rooms, so they are not offered the choice. */
  canCreatePrivate?: boolean;
};

export function CreateRoomForm({ onCreateRoom, canCreatePrivate = true }: Props) {
  const t = useT();
  const [isPrivate, setIsPrivate] = useState(false);
  const form = useNameForm({
    missingMessage: t("rooms.nameMissing"),
    onSubmit: (name) => onCreateRoom(name, canCreatePrivate && isPrivate),
    onDone: () => setIsPrivate(false),
  });

  return (
    <div className="create-room">
      <button
        type="button" className="sidebar-action" aria-expanded={form.open} aria-controls={form.formId}
        onClick={form.toggle}
      >
        <PlusIcon /> {t("rooms.new")}
      </button>
      {form.open && (
        <form id={form.formId} className="create-room-form" onSubmit={form.submit} aria-label={t("rooms.form")}>
          <label className="field">
            <span className="field-label">{t("rooms.name")}</span>
            <input
              className="input" maxLength={ROOM_NAME_MAX_CHARS} autoFocus
              placeholder={t("rooms.namePlaceholder")} {...form.inputProps}
            />
          </label>
          {canCreatePrivate && (
            <label className="checkbox">
              <input type="checkbox" checked={isPrivate} onChange={(e) => setIsPrivate(e.target.checked)} />
              {t("rooms.privateOption")}
            </label>
          )}
          {form.error && <p id={form.errorId} className="field-error" role="alert">{form.error}</p>}
          <button type="submit" className="button button-primary button-small" disabled={form.busy}>
            {form.busy ? t("rooms.opening") : t("rooms.submit")}
          </button>
        </form>
      )}
    </div>
  );
}
