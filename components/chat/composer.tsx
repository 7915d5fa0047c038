"use client";
/**
 * Message input: Enter sends, Shift+Enter starts a new line, typing is announced at most every 2 s.
 * Files come from the attach button, dropped anywhere on the room (the conversation, its header, the
 * composer), or pasted (images from the clipboard);
 * each uploads at once with a progress bar, and the message waits until they are all up, even when
 * the room is left meanwhile (attach.tsx). Unsent text is kept per room (drafts.ts) across room switches
 * and reloads of the tab. `@` offers people to mention (mention-suggestions.tsx), `:` emoji by shortcode,
 * and a whole `:tada:` becomes 🎉 as it is typed (emoji-suggestions.tsx).
 */
import { useId, useRef, type FormEvent, type KeyboardEvent } from "react";
import "@/components/i18n/live-strings";
import { useT } from "@/components/i18n/use-t";
import { countChars, isBlank, prepareText } from "@/lib/text/unicode";
import type { Attachment } from "@/lib/chat/types";
import type { Refusal } from "./chat-types";
import { SendIcon } from "./icons";
import type { StartUpload } from "./use-uploads";
import { AttachButton, AttachNote, AttachTray, UnsentNotice, useAttach } from "./attach";
import { useDraft, useDraftKey } from "./drafts";
import { isComposing } from "./ime";
import { MentionList, useMentionSuggestions } from "./mention-suggestions";
import { EmojiList, useEmojiSuggestions } from "./emoji-suggestions";

export const MESSAGE_MAX_CHARS = 4000;
/** The counter appears only when it matters. */
const COUNTER_THRESHOLD = 500;
const TYPING_THROTTLE_MS = 2_000;

const NOBODY: readonly string[] = [];

export type ComposerProps = {
  room: string;
  /** How people know the room ("#general", or the other person's name for a DM); defaults to `#room`. */
  label?: string;
  disabled?: boolean;
  /**
   * Nothing can be sent or attached for now (the connection is lost), but the room is open: unlike
   * `disabled`, the text field stays usable, so a blip in the middle of a sentence takes neither the
   * focus nor the keys typed meanwhile; Enter sends once this is over.
   */
  offline?: boolean;
  /** Shown under the input while it is disabled or offline, e.g. "Reconnecting…". */
  disabledReason?: string;
  /** Longest message in code points after NFC and trim, counted exactly as the server counts (lib/text). */
  maxLength?: number;
  /**
   * `attachments`: files uploaded for this message (the text may then be empty). Sends to `room` as it
   * was when the message was written: a send that waited for its files is made after the room was left.
   */
  onSend(text: string, attachments?: Attachment[]): void;
  /**
   * Sends a message whose files were uploaded after the room was left (attach.tsx), to `room`: resolves
   * with the refusal (the message then goes back to the draft, and the person is told) or null. Without
   * it, `onSend` sends it.
   */
  onSendLeft?(text: string, attachments?: Attachment[]): Promise<Refusal | null>;
  onTyping?(): void;
  /** How files are uploaded (tests pass their own). */
  startUpload?: StartUpload;
  /** Up-arrow in an empty composer: edit your last message. */
  onEditLast?(): void;
  /** False for guests, who cannot upload (uploads need an account or a bot token): no attach button, drops and pasted files ignored. */
  canAttach?: boolean;
  /** Who `@` offers to mention first (the room's members but the writer and the bots), by name. */
  people?: readonly string[];
  /** `@` offers anyone with an account too, as the server suggests them (a public room, for an account). */
  mentionAnyone?: boolean;
  /** `@` offers `@here` and `@room` too (a room, not a DM, for an account: mention-suggestions.tsx ROOM_WORDS). */
  mentionRoom?: boolean;
};

export function Composer({ room, label = `#${room}`, disabled: closed = false, offline = false, disabledReason, maxLength = MESSAGE_MAX_CHARS, onSend, onSendLeft, onTyping, startUpload, onEditLast, canAttach = true, people = NOBODY, mentionAnyone = false, mentionRoom = false }: ComposerProps) {
  /** Nothing can be sent or attached; only `closed` also locks the text field. */
  const disabled = closed || offline;
  const t = useT();
  const draft = useDraftKey(room);
  const [text, setText] = useDraft(draft);
  const lastTyping = useRef(0);
  const textField = useRef<HTMLTextAreaElement>(null);
  const mentions = useMentionSuggestions(text, people, mentionAnyone, textField, setText, mentionRoom);
  const emoji = useEmojiSuggestions(text, textField, setText);
  // Files dropped anywhere on the room (the <main> around this form) are attached here (file-drop.ts).
  const form = useRef<HTMLFormElement>(null);
  const attach = useAttach({
    room, draft, startUpload, canAttach, disabled, offline: offline && !closed,
    dropArea: () => form.current?.closest("main") ?? form.current,
    // A send that waited for the uploads: the text and files of the render their end brought.
    onUploaded: () => submit(),
    // ...or, when they ended after the room was left, the draft's text and files, as submit sends them.
    sendLeft(words, files) {
      const body = isBlank(prepareText(words)) ? "" : prepareText(words);
      const send = onSendLeft ?? onSend;
      if (files.length > 0) return send(body, files);
      if (body !== "") return send(body);
    },
    putBack: (words) => setText(text.trim() ? `${words}\n${text}` : words),
    label,
  });
  const { uploads } = attach;
  const noteId = useId();
  const counterId = useId();
  const prepared = prepareText(text);
  const remaining = maxLength - countChars(prepared);
  const hasContent = !isBlank(prepared) || uploads.ready.length > 0;
  const canSend = !disabled && hasContent && !uploads.busy && remaining >= 0;
  // Sending while a file is still uploading: the message goes as soon as the uploads are done (say so).
  const canQueue = !disabled && uploads.busy && remaining >= 0;

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!canSend) {
      if (canQueue) attach.queue();
      return;
    }
    const body = isBlank(prepared) ? "" : prepared;
    if (uploads.ready.length > 0) onSend(body, uploads.ready);
    else onSend(body);
    setText("");
    uploads.clear();
    lastTyping.current = 0;
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (mentions.onKeyDown(e) || emoji.onKeyDown(e)) return;
    if (e.key === "ArrowUp" && text === "" && onEditLast && !disabled) {
      e.preventDefault();
      return onEditLast();
    }
    // While an IME is composing (Japanese, Chinese …) Enter confirms the candidate; it must not send.
    if (e.key !== "Enter" || e.shiftKey || isComposing(e)) return;
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
    <form
      className="composer"
      onSubmit={submit}
      ref={form}
      aria-label={t.label("composer.form", { room: label })}
      data-dragging={attach.dragging || undefined}
    >
      <UnsentNotice />
      <AttachTray attach={attach} />
      <MentionList {...mentions} />
      <EmojiList {...emoji} />
      <div className="composer-box" data-disabled={disabled || undefined}>
        <AttachButton attach={attach} />
        <textarea
          ref={textField}
          className="composer-input"
          aria-label={t.label("composer.label", { room: label })}
          placeholder={disabled ? t("composer.blocked") : t("composer.label", { room: label })}
          value={text}
          rows={1}
          disabled={closed}
          aria-describedby={describedBy.filter(Boolean).join(" ") || undefined}
          {...(emoji.open ? emoji.inputProps : mentions.inputProps)}
          onChange={(e) => (onChange(emoji.change(e)), mentions.track(e.target))}
          onSelect={(e) => (mentions.track(e.currentTarget), emoji.track(e.currentTarget))}
          onKeyDown={onKeyDown}
          onPaste={attach.onPaste}
        />
        <button type="submit" className="send-button" aria-label={t.label("composer.send")} disabled={!canSend && !canQueue}>
          <SendIcon />
        </button>
      </div>
      <AttachNote attach={attach} />
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
            {remaining < 0 ? t("composer.over", { count: -remaining }) : t("composer.left", { count: remaining })}
          </p>
        )}
      </div>
    </form>
  );
}
