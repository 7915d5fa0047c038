"use client";
/**
 * State of a form that submits one name: the sidebar disclosures (new room, new direct message), which
 * close on success, and the members panel's add-member form, which stays.
 */
import { useId, useRef, useState, type FormEvent } from "react";
import type { Refusal } from "@/components/auth/api";
import { errorText } from "@/components/auth/error-text";
import type { Text } from "@/components/i18n/text";

export type NameFormOptions = {
  /** Shown when the trimmed name is empty (without one, an empty submit does nothing). */
  missing?: Text;
  /** Resolves with the server's refusal, or nothing on success. */
  onSubmit(name: string): Promise<Refusal | void> | void;
  /** The browser's copy of the server's rule: its refusal of a name the server would refuse, or null. */
  validate?(name: string): Refusal | null;
  /**
   * Who the (valid) name stands for: the name to send; or `complete`, a longer name it is the start of,
   * put in the field (the focus stays there) for the next submit to send; or why nothing is sent, shown
   * while the focus stays in (or goes back to) the field to type on.
   */
  choose?(name: string): Chosen;
  /** After `choose` completed the field to `name` (a person form says so politely). */
  onCompleted?(name: string): void;
  /** After a success (the name clears anyway): a disclosure closes its form here. */
  onDone?(): void;
};

/** What a typed name stands for (NameFormOptions.choose). */
export type Chosen = { name: string } | { complete: string } | { error: Text };

/** Refusals are shown in the UI's words (errorText), the server's and the browser's copy of its rules alike. */
export function useNameForm({ missing, validate, choose, onCompleted, onSubmit, onDone }: NameFormOptions) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Text | null>(null);
  const errorId = useId();
  const field = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // Sending already (the button is only aria-disabled): one request at a time.
    if (busy) return;
    const trimmed = name.trim();
    if (!trimmed) return missing ? setError(missing) : undefined;
    const invalid = validate?.(trimmed);
    if (invalid) return setError(errorText(invalid));
    const chosen = choose ? choose(trimmed) : { name: trimmed };
    if ("error" in chosen) {
      setError(chosen.error);
      field.current?.focus();
      return;
    }
    if ("complete" in chosen) {
      setError(null);
      setName(chosen.complete);
      field.current?.focus();
      onCompleted?.(chosen.complete);
      return;
    }
    // A name chosen for what was typed (its case) is shown as sent, also beside the server's refusal.
    if (chosen.name !== trimmed) setName(chosen.name);
    setBusy(true);
    setError(null);
    try {
      const refusal = await onSubmit(chosen.name);
      if (refusal) return setError(errorText(refusal));
      setName("");
      onDone?.();
    } finally {
      setBusy(false);
    }
  }

  /** Props for the name input: value, change handler and the error wiring. */
  const inputProps = {
    ref: field,
    value: name,
    onChange: (e: { target: { value: string } }) => setName(e.target.value),
    "aria-invalid": !!error || undefined,
    "aria-describedby": error ? errorId : undefined,
  };

  return { busy, error, submit, errorId, inputProps };
}
