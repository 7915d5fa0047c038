"use client";
/** "New message" disclosure: type a person's name to open (or reuse) the direct message with them. */
import { useT } from "@/components/i18n/use-t";
import { AtIcon } from "./icons";
import { useNameForm } from "./use-name-form";

type Props = {
  /** Resolves with an error message to show (no such user …), or nothing once the DM is open. */
  onOpenDm(name: string): Promise<string | void> | void;
};

export function NewDmForm({ onOpenDm }: Props) {
  const t = useT();
  const form = useNameForm({ missingMessage: t("dm.nameMissing"), onSubmit: onOpenDm });

  return (
    <div className="create-room">
      <button
        type="button" className="sidebar-action" aria-expanded={form.open} aria-controls={form.formId}
        onClick={form.toggle}
      >
        <AtIcon /> {t("dm.new")}
      </button>
      {form.open && (
        <form id={form.formId} className="create-room-form" onSubmit={form.submit} aria-label={t("dm.form")}>
          <label className="field">
            <span className="field-label">{t("dm.person")}</span>
            <input className="input" maxLength={64} autoFocus autoComplete="off" {...form.inputProps} />
          </label>
          {form.error && <p id={form.errorId} className="field-error" role="alert">{form.error}</p>}
          <button type="submit" className="button button-primary button-small" disabled={form.busy}>
            {form.busy ? t("rooms.opening") : t("dm.submit")}
          </button>
        </form>
      )}
    </div>
  );
}
