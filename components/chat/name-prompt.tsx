"use client";
/**
 * First-visit dialog asking for a display name. It is the only place identity is asked for, so cookie
 * sign-in can replace it without touching the rest of the chat.
 */
import { useId, useState, type FormEvent } from "react";

export const NAME_MAX_CHARS = 32;

/** Client-side check mirroring the server's rule; the server still has the final word. */
export function validateName(raw: string): string | null {
  const name = raw.trim();
  if (!name) return "Please enter a name.";
  if (Array.from(name).length > NAME_MAX_CHARS) return `Names can be at most ${NAME_MAX_CHARS} characters.`;
  if (/\p{Cc}/u.test(name)) return "Names can't contain control characters.";
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
  const [value, setValue] = useState(initialName);
  const [localError, setLocalError] = useState<string | null>(null);
  const titleId = useId();
  const errorId = useId();
  const shownError = localError ?? error;

  function submit(e: FormEvent) {
    e.preventDefault();
    const problem = validateName(value);
    setLocalError(problem);
    if (!problem) onSubmit(value.trim());
  }

  return (
    <div className="dialog-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby={titleId} className="dialog">
        <p className="brand brand-large" aria-hidden="true">響 Hibiki</p>
        <h1 id={titleId} className="dialog-title">What should we call you?</h1>
        <p className="muted">Your name is shown next to your messages. You can change it later.</p>
        <form onSubmit={submit} noValidate>
          <label className="field">
            <span className="field-label">Display name</span>
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
            {onCancel && (
              <button type="button" className="button button-secondary" onClick={onCancel}>Cancel</button>
            )}
            <button type="submit" className="button button-primary">Start chatting</button>
          </div>
        </form>
      </div>
    </div>
  );
}
