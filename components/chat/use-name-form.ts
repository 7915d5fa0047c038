"use client";
/**
 * State of a form that submits one name: the sidebar disclosures (new room, new direct message), which
 * close on success, and the members panel's add-member form, which stays.
 */
import { useId, useState, type FormEvent } from "react";

type Options = {
  /** Shown when the trimmed name is empty (without one, an empty submit does nothing). */
  missingMessage?: string;
  /** Resolves with an error message to show, or nothing on success. */
  onSubmit(name: string): Promise<string | void> | void;
  /** The browser's copy of the server's rule: an error message for a name it would refuse, or null. */
  validate?(name: string): string | null;
  /** After a success (the name clears anyway): a disclosure closes its form here. */
  onDone?(): void;
};

export function useNameForm({ missingMessage, validate, onSubmit, onDone }: Options) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return missingMessage ? setError(missingMessage) : undefined;
    const invalid = validate?.(trimmed);
    if (invalid) return setError(invalid);
    setBusy(true);
    setError(null);
    try {
      const problem = await onSubmit(trimmed);
      if (problem) return setError(problem);
      setName("");
      onDone?.();
    } finally {
      setBusy(false);
    }
  }

  /** Props for the name input: value, change handler and the error wiring. */
  const inputProps = {
    value: name,
    onChange: (e: { target: { value: string } }) => setName(e.target.value),
    "aria-invalid": !!error || undefined,
    "aria-describedby": error ? errorId : undefined,
  };

  return { busy, error, submit, errorId, inputProps };
}
