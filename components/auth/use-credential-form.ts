"use client";
/**
 * State shared by the setup, join and sign-in forms: values, validation, one request, its problem (shown
 * and focused through useFormProblem: a check of ours or the server's refusal, at the field it names).
 */
import { useState, type FormEvent } from "react";
import { useFormProblem } from "@/components/forms/form-problem";
import type { Credentials } from "./credential-fields";
import { problemOf, type FormProblem } from "./error-text";

type Options = {
  /** A problem to show before anything is sent, or null when the values may go. */
  validate(values: Credentials): FormProblem | null;
  /** Sends the request and moves on (navigation); the form stays busy after success. */
  send(credentials: { name: string; password: string }): Promise<void>;
};

export function useCredentialForm({ validate, send }: Options) {
  const [values, setValues] = useState<Credentials>({ name: "", password: "", confirm: "" });
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();

  async function submit(e: FormEvent) {
    e.preventDefault();
    // The submit button is aria-disabled, not disabled, while busy: a disabled button drops the focus.
    if (busy) return;
    const invalid = validate(values);
    problem.show(invalid);
    if (invalid) return;
    setBusy(true);
    try {
      await send({ name: values.name.trim(), password: values.password });
    } catch (err) {
      problem.show(problemOf(err));
      setBusy(false);
    }
  }

  return { values, setValues, problem, busy, submit };
}
