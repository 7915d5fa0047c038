"use client";
/** One labelled input of a form whose problems useFormProblem keeps. */
import { useId } from "react";
import type { FormProblemState } from "./form-problem";

type Props = {
  form: FormProblemState;
  /** The request's name for the field: a refusal about it marks this input (FormProblemState.fieldProps). */
  name: string;
  label: string;
  value: string;
  onValue(value: string): void;
  type: "text" | "password";
  autoComplete: string;
  /** Most UTF-16 units typed (the server counts and refuses by its own rule). */
  maxLength: number;
  /** The field's rule, said under it before anyone fails it (WCAG 3.3.2), e.g. a password's length. */
  hint?: string;
};

/**
 * A required input with its label; while the form's problem is about it, marked invalid and described by
 * the error, and always by its `hint` (read after the error).
 */
export function FormField({ form, name, label, value, onValue, type, autoComplete, maxLength, hint }: Props) {
  const hintId = useId();
  const props = form.fieldProps(name);
  const describedBy = [props["aria-describedby"], hint && hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label className="field">
        <span className="field-label">{label}</span>
        <input
          className="input" type={type} value={value} autoComplete={autoComplete} maxLength={maxLength} required
          {...props} aria-describedby={describedBy} onChange={(e) => onValue(e.target.value)}
        />
      </label>
      {hint && <p id={hintId} className="muted small field-hint">{hint}</p>}
    </div>
  );
}
