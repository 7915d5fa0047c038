"use client";
/** State shared by the setup, join and sign-in forms: values, validation, one request, its problem. */
import { useId, useState, type FormEvent } from "react";
import { errorMessage } from "./api";
import type { Credentials } from "./credential-fields";
import type { Problem } from "./validate";

type Options = {
  /** A problem to show before anything is sent, or null when the values may go. */
  validate(values: Credentials): Problem | null;
  /** Sends the request and moves on (navigation); the form stays busy after success. */
  send(credentials: { name: string; password: string }): Promise<void>;
  /** What to show for a failed request (default: the server's message under the name field). */
  failure?(err: unknown): Problem;
};

export function useCredentialForm({ validate, send, failure }: Options) {
  const [values, setValues] = useState<Credentials>({ name: "", password: "", confirm: "" });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const invalid = validate(values);
    setProblem(invalid);
    if (invalid) return;
    setBusy(true);
    try {
      await send({ name: values.name.trim(), password: values.password });
    } catch (err) {
      setProblem(failure ? failure(err) : { field: "name", text: errorMessage(err) });
      setBusy(false);
    }
  }

  return { values, setValues, problem, busy, errorId, submit };
}
