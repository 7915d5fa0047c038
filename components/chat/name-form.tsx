"use client";
/** The form a sidebar disclosure opens (see name-disclosure.tsx): its fields, its error and the submit button. */
import type { FormEvent, ReactNode } from "react";
import type { Text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import "@/components/i18n/forms-strings";

type NameFormProps = {
  form: {
    busy: boolean;
    error: Text | null;
    errorId: string;
    submit(e: FormEvent): void;
  };
  formId: string;
  /** The form's accessible name. */
  formLabel: string;
  submitLabel: string;
  /** The form's fields. */
  children: ReactNode;
};

/** The form a disclosure opens: its fields, its error and the submit button. */
export function NameForm({ form, formId, formLabel, submitLabel, children }: NameFormProps) {
  const t = useT();
  return (
    <form id={formId} className="create-room-form" onSubmit={form.submit} aria-label={formLabel}>
      {children}
      {form.error && <p id={form.errorId} className="field-error" role="alert">{t.text(form.error)}</p>}
      {/* aria-disabled while it works: a disabled button drops the focus of whoever pressed it to the page. */}
      <button type="submit" className="button button-primary button-small" aria-disabled={form.busy || undefined}>
        {form.busy ? t("rooms.opening") : submitLabel}
      </button>
    </form>
  );
}
