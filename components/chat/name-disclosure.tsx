"use client";
/** The sidebar's "new …" disclosure around a name form: the toggle button, the form, its error and submit. */
import type { ReactNode } from "react";
import { useT } from "@/components/i18n/use-t";
import type { useNameForm } from "./use-name-form";

type Props = {
  form: ReturnType<typeof useNameForm>;
  icon: ReactNode;
  /** The toggle button's text. */
  label: string;
  /** The form's accessible name. */
  formLabel: string;
  submitLabel: string;
  /** The form's fields. */
  children: ReactNode;
};

export function NameDisclosure({ form, icon, label, formLabel, submitLabel, children }: Props) {
  const t = useT();
  return (
    <div className="create-room">
      <button
        type="button" className="sidebar-action" aria-expanded={form.open} aria-controls={form.formId}
        onClick={form.toggle}
      >
        {icon} {label}
      </button>
      {form.open && (
        <form id={form.formId} className="create-room-form" onSubmit={form.submit} aria-label={formLabel}>
          {children}
          {form.error && <p id={form.errorId} className="field-error" role="alert">{form.error}</p>}
          <button type="submit" className="button button-primary button-small" disabled={form.busy}>
            {form.busy ? t("rooms.opening") : submitLabel}
          </button>
        </form>
      )}
    </div>
  );
}
