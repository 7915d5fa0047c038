"use client";
/** Message input: Enter sends, Shift+Enter starts a new line, typing is announced at most every 2 s. */
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useT } from "@/components/i18n/use-t";
import { prepareText } from "@/lib/text/rules";
import { countChars, isBlank } from "@/lib/text/unicode";
import { SendIcon } from "./icons";

export const MESSAGE_MAX_CHARS = 4000;
/** The counter appears only when it matters. */
const COUNTER_THRESHOLD = 500;
const TYPING_THROTTLE_MS = 2_000;

export type ComposerProps = {
  room: string;
  /** How people know the room ("#general", or the other person's name for a DM); defaults to `#room`. */
  label?: string;
  disabled?: boolean;
  /** Shown under the input while it is disabled, e.g. "Reconnecting…". */
  disabledReason?: string;
  /** Longest message in code points after NFC and trim, counted exactly as the server counts (lib/text). */
  maxLength?: number;
  onSend(text: string): void;
  onTyping?(): void;
};

export function Composer({ room, label = `#${room}`, disabled = false, disabledReason, maxLength = MESSAGE_MAX_CHARS, onSend, onTyping }: ComposerProps) {
  const t = useT();
  const [text, setText] = useState("");
  const lastTyping = useRef(0);
  const noteId = useId();
  const counterId = useId();
  const prepared = prepareText(text);
  const remaining = maxLength - countChars(prepared);
  const canSend = !disabled && !isBlank(prepared) && remaining >= 0;

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!canSend) return;
    onSend(prepared);
    setText("");
    lastTyping.current = 0;
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // While an IME is composing (Japanese, Chinese …) Enter confirms the candidate; it must not send.
    if (e.key !== "Enter" || e.shiftKey || e.nativeEvent.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    submit();
  }

  function onChange(value: string) {
    setText(value);
    const now = Date.now();
    if (onTyping && value.trim() && now - lastTyping.current >= TYPING_THROTTLE_MS) {
      lastTyping.current = now;
      onTyping();
    }
  }

  const describedBy = [disabled && disabledReason && noteId, remaining <= COUNTER_THRESHOLD && counterId];
  return (
    <form className="composer" onSubmit={submit} aria-label={t.label("composer.form", { room: label })}>
      <div className="composer-box" data-disabled={disabled || undefined}>
        <textarea
          className="composer-input"
          aria-label={t.label("composer.label", { room: label })}
          placeholder={disabled ? t("composer.blocked") : t("composer.label", { room: label })}
          value={text}
          rows={1}
          disabled={disabled}
          aria-describedby={describedBy.filter(Boolean).join(" ") || undefined}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="send-button" aria-label={t("composer.send")} disabled={!canSend}>
          <SendIcon />
        </button>
      </div>
      <div className="composer-footer">
        {disabled && disabledReason ? (
          <p id={noteId} className="composer-note" role="status">{disabledReason}</p>
        ) : (
          <p className="composer-hint" aria-hidden="true">
            <kbd>Enter</kbd> {t("composer.hintEnter")} · <kbd>Shift</kbd> + <kbd>Enter</kbd> {t("composer.hintNewLine")}
          </p>
        )}
        {remaining <= COUNTER_THRESHOLD && (
          <p id={counterId} className="composer-counter" data-over={remaining < 0 || undefined}>
            {t("composer.left", { n: remaining })}
          </p>
        )}
      </div>
    </form>
  );
}
