"use client";
/**
 * Message input: Enter sends, Shift+Enter starts a new line, typing is announced at most every 2 s.
 * Files come from the attach button, dropped anywhere on the room (the conversation, its header, the
 * composer), or pasted (images from the clipboard);
 * each uploads at once with a progress bar, and the message waits until they are all up. Unsent text is
 * kept per room (drafts.ts) across room switches and reloads of the tab.
 */
import { lazy, Suspense, useEffect, useId, useRef, useState, type ClipboardEvent, type FormEvent, type KeyboardEvent } from "react";
import "@/components/i18n/live-strings";
import { useT } from "@/components/i18n/use-t";
import { countChars, isBlank, prepareText } from "@/lib/text/unicode";
import type { Attachment } from "@/lib/chat/types";
import { PaperclipIcon, SendIcon } from "./icons";
import { MAX_ATTACHMENTS, useUploads, type StartUpload } from "./use-uploads";
import { draftKey, useDraft } from "./drafts";
import { isComposing } from "./ime";
import { MentionList, useMentionSuggestions } from "./mention-suggestions";

// The tray of files being attached is a chunk of its own, fetched with the first file.
const UploadTray = lazy(() => import("./upload-tray").then((m) => ({ default: m.UploadTray })));

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
  /** `attachments`: files uploaded for this message (the text may then be empty). */
  onSend(text: string, attachments?: Attachment[]): void;
  onTyping?(): void;
  /** How files are uploaded (tests pass their own). */
  startUpload?: StartUpload;
  /** Up-arrow in an empty composer: edit your last message. */
  onEditLast?(): void;
  /** False for guests, who cannot upload (uploads need an account or a bot token): no attach button, drops and pasted files ignored. */
  canAttach?: boolean;
  /** Who `@` offers to mention first (the room's members but the writer), by name. */
  people?: readonly string[];
  /** `@` offers anyone with an account too, as the server suggests them (a public room, for an account). */
  mentionAnyone?: boolean;
};

export function Composer({ room, label = `#${room}`, disabled: closed = false, offline = false, disabledReason, maxLength = MESSAGE_MAX_CHARS, onSend, onTyping, startUpload, onEditLast, canAttach = true, people = NOBODY, mentionAnyone = false }: ComposerProps) {
  /** Nothing can be sent or attached; only `closed` also locks the text field. */
  const disabled = closed || offline;
  const t = useT();
  const [text, setText] = useDraft(draftKey(room));
  const [dragging, setDragging] = useState(false);
  const [uploadNote, setUploadNote] = useState<string | undefined>();
  const lastTyping = useRef(0);
  const textField = useRef<HTMLTextAreaElement>(null);
  const mentions = useMentionSuggestions(text, people, mentionAnyone, textField, setText);
  const fileInput = useRef<HTMLInputElement>(null);
  const attachButton = useRef<HTMLButtonElement>(null);
  /** Cancels or removes a file; the focus, which was on its button, goes to the attach button. */
  const removeUpload = (key: string) => {
    uploads.remove(key);
    attachButton.current?.focus();
  };
  const uploads = useUploads(room, startUpload);
  const noteId = useId();
  const counterId = useId();
  const prepared = prepareText(text);
  const remaining = maxLength - countChars(prepared);
  const hasContent = !isBlank(prepared) || uploads.ready.length > 0;
  const canSend = !disabled && hasContent && !uploads.busy && remaining >= 0;
  // Sending while a file is still uploading: the message goes as soon as the uploads are done (say so).
  const canQueue = !disabled && uploads.busy && remaining >= 0;
  const [queued, setQueued] = useState(false);
  useEffect(() => setQueued(false), [room]);
  const failed = uploads.items.some((i) => i.status === "failed");
  useEffect(() => {
    if (!queued || uploads.busy) return;
    setQueued(false);
    // A file that did not make it: nothing is sent without it; the tray says what went wrong.
    if (failed) setUploadNote(t("composer.uploadFailed"));
    else submit();
    // submit reads this render's text and uploads: the ones the uploads' end brought.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queued, uploads.busy, failed]);

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!canSend) {
      if (canQueue) {
        setQueued(true);
        setUploadNote(undefined);
      }
      return;
    }
    const body = isBlank(prepared) ? "" : prepared;
    if (uploads.ready.length > 0) onSend(body, uploads.ready);
    else onSend(body);
    setText("");
    uploads.clear();
    lastTyping.current = 0;
  }

  function addFiles(files: File[]) {
    const left = uploads.add(files);
    setUploadNote(left > 0 ? t("upload.tooMany", { count: MAX_ATTACHMENTS }) : undefined);
  }

  // Files dragged over the page: a drop anywhere on the room (the <main> around this form) attaches them
  // here. Everywhere else on the page a drop of files is refused, so the browser never leaves Hibiki to
  // open or download the file instead (its default for a drop nobody takes).
  const form = useRef<HTMLFormElement>(null);
  const dropInto = useRef<((files: File[]) => void) | null>(null);
  dropInto.current = !disabled && canAttach ? (files) => files.length > 0 && addFiles(files) : null;
  useEffect(() => {
    const carriesFiles = (e: DragEvent) => !!e.dataTransfer?.types.includes("Files");
    const onRoom = (e: DragEvent) => {
      const room = form.current?.closest("main") ?? form.current;
      return !!room && e.target instanceof Node && room.contains(e.target);
    };
    const over = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      const takes = !!dropInto.current && onRoom(e);
      e.dataTransfer!.dropEffect = takes ? "copy" : "none";
      setDragging(takes);
    };
    const drop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      if (onRoom(e)) dropInto.current?.([...e.dataTransfer!.files]);
    };
    // Out of the window (nothing under the pointer any more), or the drag given up.
    const leave = (e: DragEvent) => e.relatedTarget === null && setDragging(false);
    const end = () => setDragging(false);
    document.addEventListener("dragover", over);
    document.addEventListener("drop", drop);
    document.addEventListener("dragleave", leave);
    document.addEventListener("dragend", end);
    return () => {
      document.removeEventListener("dragover", over);
      document.removeEventListener("drop", drop);
      document.removeEventListener("dragleave", leave);
      document.removeEventListener("dragend", end);
    };
  }, []);

  function onPaste(e: ClipboardEvent) {
    const files = [...e.clipboardData.files].filter((f) => f.type.startsWith("image/"));
    if (files.length === 0 || disabled || !canAttach) return;
    e.preventDefault();
    addFiles(files);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (mentions.onKeyDown(e)) return;
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
      data-dragging={dragging || undefined}
    >
      {uploads.items.length > 0 && (
        <Suspense fallback={null}>
          <UploadTray items={uploads.items} onRemove={removeUpload} />
        </Suspense>
      )}
      <MentionList {...mentions} />
      <div className="composer-box" data-disabled={disabled || undefined}>
        {canAttach && (
          <>
            <button
              ref={attachButton}
              type="button"
              className="attach-button"
              aria-label={t.label("upload.attach")}
              disabled={disabled || uploads.full}
              onClick={() => fileInput.current?.click()}
            >
              <PaperclipIcon />
            </button>
            <input
              ref={fileInput}
              type="file"
              multiple
              hidden
              data-testid="file-input"
              onChange={(e) => {
                if (e.target.files) addFiles([...e.target.files]);
                e.target.value = "";
              }}
            />
          </>
        )}
        <textarea
          ref={textField}
          className="composer-input"
          aria-label={t.label("composer.label", { room: label })}
          placeholder={disabled ? t("composer.blocked") : t("composer.label", { room: label })}
          value={text}
          rows={1}
          disabled={closed}
          aria-describedby={describedBy.filter(Boolean).join(" ") || undefined}
          {...mentions.inputProps}
          onChange={(e) => (onChange(e.target.value), mentions.track(e.target))}
          onSelect={(e) => mentions.track(e.currentTarget)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        <button type="submit" className="send-button" aria-label={t.label("composer.send")} disabled={!canSend && !canQueue}>
          <SendIcon />
        </button>
      </div>
      {queued ? (
        <p className="composer-note" role="status">{t("composer.waitingUpload")}</p>
      ) : (
        uploadNote && <p className="composer-note" role="status">{uploadNote}</p>
      )}
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
