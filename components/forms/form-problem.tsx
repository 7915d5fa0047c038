"use client";
/**
 * A form's problem, shown the one way every form shows it (WCAG 3.3.1 Error Identification, 3.3.3 Error
 * Suggestion): the field at fault — the control whose `name` the problem names, as a server's refusal
 * names the request field (`field`) — is marked `aria-invalid`, described by the message
 * (`aria-describedby`) and takes the focus, so the person is where the fix is, whichever field the
 * focus was in or near. A problem of the whole form (a wrong invite link, too many attempts, a server
 * fault), or one naming no control of this form, has its message take the focus instead. The message is
 * shown once, as an alert, where the form puts `<FormError>`.
 */
import { useEffect, useId, useRef, useState } from "react";
import type { FormProblem } from "@/components/auth/error-text";
import { useT } from "@/components/i18n/use-t";

export type { FormProblem };

export type FormProblemState = ReturnType<typeof useFormProblem>;

export function useFormProblem() {
  const [{ problem, shown }, setState] = useState<{ problem: FormProblem | null; shown: number }>({ problem: null, shown: 0 });
  const formRef = useRef<HTMLFormElement>(null);
  const errorId = useId();
  /** The control the problem is about, if this form has one of that name. */
  const target = () => {
    const named = problem?.field ? formRef.current?.elements.namedItem(problem.field) : null;
    return named instanceof HTMLElement ? named : null;
  };

  // Each time a problem is shown (the same one again included), once it is on screen.
  useEffect(() => {
    if (!problem) return;
    (target() ?? document.getElementById(errorId))?.focus();
  }, [shown]);

  return {
    problem,
    errorId,
    /** The form's ref: its controls are found by name. */
    formRef,
    /** Shows `next` (and moves the focus to it), or clears the problem (null). */
    show(next: FormProblem | null) {
      setState((s) => ({ problem: next, shown: next ? s.shown + 1 : s.shown }));
    },
    /** A control's name and, while the problem is about it, its invalid state and description. */
    fieldProps(name: string) {
      const about = !!problem && problem.field === name;
      return { name, "aria-invalid": about || undefined, "aria-describedby": about ? errorId : undefined };
    },
  };
}

/** The message of a form's problem (nothing without one): an alert, focusable for a problem of the whole form. */
export function FormError({ form }: { form: FormProblemState }) {
  const t = useT();
  if (!form.problem) return null;
  return <p id={form.errorId} className="field-error" role="alert" tabIndex={-1}>{t.text(form.problem.text)}</p>;
}
