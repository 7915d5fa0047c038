"use client";
/**
 * The guest's dialog asking for a display name, shown only where the server lets guests in. People with
 * an account are pointed to the sign-in page instead.
 */
import { useEffect, useId, useState, type FormEvent } from "react";
import { text, type Text } from "@/components/i18n/text";
import "@/components/i18n/dialogs-strings";
import { useT } from "@/components/i18n/use-t";
import { Brand } from "@/components/brand";
import "@/components/i18n/forms-strings";

export const NAME_MAX_CHARS = 32;

/** Client-side check mirroring the server's rule; the server still has the final word. */
export function validateName(raw: string): Text | null {
  const name = raw.trim();
  if (!name) return text("name.empty");
  if (Array.from(name).length > NAME_MAX_CHARS) return text("name.tooLong", { count: NAME_MAX_CHARS });
  if (/\p{Cc}/u.test(name)) return text("name.control");
  return null;
}

type Props = {
  initialName?: string;
  /** Why the server refused the previous name. */
  error?: string;
  onSubmit(name: string): void;
  onCancel?(): void;
};

export function NamePrompt({ initialName = "", error, onSubmit, onCancel }: Props) {
  const t = useT();
  const [value, setValue] = useState(initialName);
  const [localError, setLocalError] = useState<Text | null>(null);
  const titleId = useId();
  const errorId = useId();
  const shownError = localError ? t.text(localError) : error;
  // Once the name is given (or the question cancelled), the keyboard goes on where it was, or, as on a
  // first visit nothing had it, to the conversation (the room's main landmark), not to the page's body.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    return () => {
      const back = before && before !== document.body && before.isConnected ? before : document.getElementById("chat-main");
      back?.focus();
    };
  }, []);

  function submit(e: FormEvent) {
    e.preventDefault();
    const problem = validateName(value);
    setLocalError(problem);
    if (!problem) onSubmit(value.trim());
  }

  return (
    <div className="dialog-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby={titleId} className="dialog">
        <p aria-hidden="true"><Brand large /></p>
        <h1 id={titleId} className="dialog-title">{t("name.title")}</h1>
        <p className="muted">{t("name.intro")}</p>
        <form onSubmit={submit} noValidate>
          <label className="field">
            <span className="field-label">{t("name.label")}</span>
            <input
              className="input"
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                setLocalError(null);
              }}
              maxLength={NAME_MAX_CHARS * 2}
              autoComplete="nickname"
              autoFocus
              aria-invalid={!!shownError || undefined}
              aria-describedby={shownError ? errorId : undefined}
            />
          </label>
          {shownError && (
            <p id={errorId} className="field-error" role="alert">{shownError}</p>
          )}
          <div className="dialog-actions">
            <a className="dialog-aside" href="/signin">{t("name.haveAccount")}</a>
            {onCancel && (
              <button type="button" className="button button-secondary" onClick={onCancel}>{t("app.cancel")}</button>
            )}
            <button type="submit" className="button button-primary">{t("name.submit")}</button>
          </div>
        </form>
      </div>
    </div>
  );
}
