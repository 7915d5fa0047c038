"use client";
/**
 * Attaching files to what is being written, the same for the room's composer and a thread's reply box:
 * the attach button (and its hidden file input), images pasted into the text field, files dropped on the
 * box's area (file-drop.ts), the tray of uploads with progress, cancel and errors, and the note under the
 * box ("At most 10 files…", "Sending once the upload finishes…", "A file did not upload…"). A send asked
 * for while a file is still uploading waits (`queue`) and goes once the uploads are done, unless one
 * failed. The box itself decides what sending means. Such a send still waiting when the box is left
 * (another room, the thread closed) goes on waiting for the draft's uploads, carried on (use-uploads.ts),
 * and then sends the draft to where it was written; if a file did not upload, or the send is refused,
 * the draft stays, and `UnsentNotice` says so wherever the person is.
 */
import { lazyPart } from "./chunk-load";
import { Suspense, useEffect, useRef, useState, useSyncExternalStore, type ClipboardEvent } from "react";
import "@/components/i18n/live-strings";
import { useT } from "@/components/i18n/use-t";
import type { Attachment } from "@/lib/chat/types";
import type { Refusal } from "./chat-types";
import { useAnnounce } from "./announcer";
import { CloseIcon, PaperclipIcon } from "./icons";
import { useFileDrop } from "./file-drop";
import { afterCarried, MAX_ATTACHMENTS, stopAwaiting, useUploads, type StartUpload } from "./use-uploads";
import { useOptionalChatContext } from "./chat-provider";
import { draftInUse, onDraftsForgotten, readDraft, readDraftFiles, saveDraft, saveDraftFiles } from "./drafts";
import { keepFocus } from "./keep-focus";

// The tray of files being attached is a chunk of its own, fetched with the first file.
const UploadTray = lazyPart(() => import("./upload-tray").then((m) => ({ default: m.UploadTray })), undefined, { again: true });

export type AttachOptions = {
  /** The room the files are uploaded to (the message's room). */
  room: string;
  /** The draft the files belong to (drafts.ts's draftKey): the uploaded ones are kept with it until sent; null keeps none. */
  draft: string | null;
  /** How files are uploaded (tests pass their own); upload-client.ts's startUpload by default. */
  startUpload?: StartUpload;
  /** False for guests, who cannot upload: no attach button, drops and pasted files ignored. */
  canAttach: boolean;
  /** Nothing can be attached for now (the button is disabled, drops and pastes are ignored). */
  disabled: boolean;
  /**
   * The reason for `disabled` is the lost connection: a file pasted or dropped meanwhile is not taken, and
   * the note says it can be once the connection is back (else it seemed to vanish).
   */
  offline?: boolean;
  /** The element a drop of files on which attaches them here (null while it is not rendered). */
  dropArea(): Element | null;
  /** Called once the uploads a queued send waited for are all done, none failed: send now. */
  onUploaded(): void;
  /**
   * Sends the draft's words and files (`text`, `files`, read back from it) when the uploads a queued
   * send waited for end after the box was left: to the room (and thread) it was written in, as
   * `onUploaded` would have. A refusal it resolves with puts them back in the draft (see UnsentNotice).
   */
  sendLeft(text: string, files: Attachment[]): Promise<Refusal | null> | void;
  /**
   * Puts `text`, the words of a message refused after `sendLeft` sent them, back in the box (open again
   * by then), before anything written since; its files are put back in the tray.
   */
  putBack(text: string): void;
  /** How people know the room ("#general", a DM's other person), for UnsentNotice. */
  label: string;
  /** The box is a thread's reply box (UnsentNotice says "reply"). */
  reply?: boolean;
};

/** What useAttach gives a box: its uploads, and what the parts below and the box's field need. */
export type Attach = ReturnType<typeof useAttach>;

/**
 * Files for the message being written in `options.room` (see the module's comment). `uploads` is
 * use-uploads.ts's state (`ready` are the attachments to send, `clear` and `restore` take them off the
 * message and put them back); `onPaste` goes on the text field; `queue()` asks to send once the uploads
 * are done; `dragging` is true while files are dragged over the drop area and would be taken.
 */
export function useAttach({ room, draft, startUpload, canAttach, disabled, offline = false, dropArea, onUploaded, sendLeft, putBack, label, reply = false }: AttachOptions) {
  const t = useT();
  // The server's largest file, once its socket has said (none outside the chat, as in a component's test).
  const maxBytes = useOptionalChatContext()?.state.session?.uploadMaxBytes;
  const uploads = useUploads(room, startUpload, draft, maxBytes);
  // The files uploaded for a draft stay with it, as its words do (drafts.ts): moving to another room or
  // closing the thread and coming back finds them in the tray. Saved whenever they change while the tray
  // holds this draft's files (not in the render that moved to another draft, which still holds the last
  // one's); put back when the draft is opened. Files still uploading when it is left go on uploading and
  // join the draft's files when done (use-uploads.ts), or show in the tray again if it is opened before.
  const showing = useRef<string | null | undefined>(undefined);
  const readyIds = uploads.ready.map((a) => a.id).join(" ");
  useEffect(() => {
    if (showing.current === draft) saveDraftFiles(draft, uploads.ready);
    // The files are the same while their ids are.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft, readyIds]);
  const { restore } = uploads;
  useEffect(() => {
    const saved = readDraftFiles(draft);
    if (saved.length > 0) restore(saved);
    showing.current = draft;
    return () => void (showing.current = undefined);
  }, [draft, restore]);
  const [note, setNote] = useState<string | undefined>();
  // Which box a send waits in (its draft, or its room when there is no draft): in the render that moves
  // to another one, the send is not this box's any more, even before the state has caught up.
  const here = draft ?? `\u0000${room}`;
  const [queuedIn, setQueuedIn] = useState<string | null>(null);
  const queued = queuedIn === here;
  const button = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const enabled = canAttach && !disabled;
  /** Files offered while only the connection holds them back: not taken, and said so. */
  const heldOffline = canAttach && disabled && offline;
  const sayOffline = () => setNote(t("upload.offline"));

  function add(files: File[]) {
    if (files.length === 0) return;
    // Chosen in a file picker opened before the connection was lost: not taken either, and said so.
    if (!enabled) return heldOffline ? sayOffline() : undefined;
    const left = uploads.add(files);
    setNote(left > 0 ? t("upload.tooMany", { count: MAX_ATTACHMENTS }) : undefined);
  }

  /**
   * Cancels or removes a file; the focus, which was on its button, goes to the attach button once the
   * tray has been drawn without it (a full tray's attach button is disabled until then), else, where
   * it stays disabled (offline), to the text field of its form.
   */
  function remove(key: string) {
    uploads.remove(key);
    keepFocus(() => {
      const attachButton = button.current;
      return attachButton && !attachButton.disabled ? attachButton : attachButton?.closest("form")?.querySelector("textarea");
    });
  }

  /** Images pasted into the text field are attached (text is pasted as usual). */
  function onPaste(e: ClipboardEvent) {
    const files = [...e.clipboardData.files].filter((f) => f.type.startsWith("image/"));
    if (files.length === 0 || !(enabled || heldOffline)) return;
    e.preventDefault();
    if (enabled) add(files);
    else sayOffline();
  }

  // Offline, a drop is answered with the note, not shown as one that would be attached.
  const dragging = useFileDrop(dropArea, enabled ? add : heldOffline ? sayOffline : null) && enabled;
  // Back online: the note about waiting for the connection has had its day.
  const offlineNote = t("upload.offline");
  useEffect(() => {
    if (enabled) setNote((n) => (n === offlineNote ? undefined : n));
  }, [enabled, offlineNote]);

  // A send still waiting when the box is left waits on, for the uploads carried on (use-uploads.ts), with
  // what the box last showed for the draft; the box opened again before they end takes it back (no
  // second send). A notice about the draft's message not sent goes when it is opened again.
  const leaving = useRef({ queued, sendLeft, putBack, label, reply });
  useEffect(() => void (leaving.current = { queued, sendLeft, putBack, label, reply }));
  useEffect(() => {
    const putBackHere = (text: string, files: Attachment[]) => {
      leaving.current.putBack(text);
      restore(files);
    };
    if (draft !== null) openBoxes.set(draft, putBackHere);
    const back = stopAwaiting(draft);
    // Left again before a render (StrictMode's second mount), it is handed on again.
    if (back) leaving.current.queued = true;
    setQueuedIn(back ? here : null);
    setNote(forgetUnsent(draft) === "upload" ? t("composer.uploadFailed") : undefined);
    return () => {
      if (draft !== null && openBoxes.get(draft) === putBackHere) openBoxes.delete(draft);
      const left = leaving.current;
      if (!left.queued || draft === null || !draftInUse(draft)) return;
      afterCarried(draft, (failed) => {
        if (failed) addUnsent({ draft, label: left.label, reply: left.reply, why: "upload" });
        else void sendDraft(draft, left);
      });
    };
    // `here` names the draft (or the room, without one); t is the same for a language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [here]);
  // The files that had failed already when the send was asked for: the tray said so then, and the send
  // goes without them, as a send with no upload in progress does (an outside trial: a file refused as too
  // large, left in the tray, stopped a later send that waited for another file, after "Sending once the
  // upload finishes…").
  const failedAtQueue = useRef<ReadonlySet<string>>(new Set());
  const failedSince = uploads.items.find((i) => i.status === "failed" && !failedAtQueue.current.has(i.key));
  const failed = failedSince?.name;
  const uploaded = useRef(onUploaded);
  uploaded.current = onUploaded;
  useEffect(() => {
    if (!queued || uploads.busy) return;
    setQueuedIn(null);
    // Sent (or not) here: leaving now hands nothing on.
    leaving.current.queued = false;
    // A file the send waited for did not make it: nothing is sent without it; the note names it, and the
    // tray says what went wrong.
    if (failed !== undefined) setNote(t("composer.fileFailed", { name: failed }));
    else uploaded.current();
    // t is the same for a language; the send reads the render the uploads' end brought.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queued, uploads.busy, failed]);

  /** Sends once the uploads in progress are done (and says so meanwhile). */
  function queue() {
    failedAtQueue.current = new Set(uploads.items.filter((i) => i.status === "failed").map((i) => i.key));
    setQueuedIn(here);
    setNote(undefined);
  }

  return { uploads, canAttach, disabled, add, remove, onPaste, queue, queued, note, dragging, button, input };
}

/**
 * Sends what the draft `key` holds (its words and uploaded files), and empties it as a send from its box
 * does; a refusal puts them back, before anything written there since, and is noticed (UnsentNotice).
 */
async function sendDraft(key: string, left: { sendLeft: AttachOptions["sendLeft"]; label: string; reply: boolean }): Promise<void> {
  const text = readDraft(key);
  const files = readDraftFiles(key);
  saveDraft(key, "");
  saveDraftFiles(key, []);
  const refusal = await left.sendLeft(text, files);
  if (!refusal || !draftInUse(key)) return;
  // Its box open again by now: back into it (what it shows is what it saves); else into the draft.
  const box = openBoxes.get(key);
  if (box) box(text, files);
  else {
    const since = readDraft(key);
    saveDraft(key, since.trim() ? `${text}\n${since}` : text);
    saveDraftFiles(key, [...files, ...readDraftFiles(key)].slice(0, MAX_ATTACHMENTS));
  }
  addUnsent({ draft: key, label: left.label, reply: left.reply, why: "refused" });
}

/** The boxes open now, by draft: what puts a refused message back into one (see sendDraft). */
const openBoxes = new Map<string, (text: string, files: Attachment[]) => void>();

/** A message not sent after its box was left: whose draft keeps it, where, and why (a file, or a refusal). */
type Unsent = { draft: string; label: string; reply: boolean; why: "upload" | "refused" };

/** The messages not sent after their box was left, oldest first, until dismissed or their box is opened (in the tab's memory). */
let unsent: readonly Unsent[] = [];
const unsentListeners = new Set<() => void>();
const NONE: readonly Unsent[] = [];
/** The notices already announced (once, by whichever box showed them first). */
const spoken = new WeakSet<Unsent>();

function setUnsent(next: readonly Unsent[]): void {
  unsent = next;
  unsentListeners.forEach((l) => l());
}

function addUnsent(u: Unsent): void {
  setUnsent([...unsent.filter((o) => o.draft !== u.draft), u]);
}

/** Takes the notice about `draft` away (its box is open, or it is dismissed); why it was there, if it was. */
function forgetUnsent(draft: string | null): Unsent["why"] | undefined {
  const was = unsent.find((u) => u.draft === draft);
  if (was) setUnsent(unsent.filter((u) => u !== was));
  return was?.why;
}

// Drafts forgotten (a sign-out, someone else using the tab): so are the notices about them.
onDraftsForgotten((kept) => {
  if (unsent.some((u) => !kept(u.draft))) setUnsent(unsent.filter((u) => kept(u.draft)));
});

/**
 * Shows, wherever the person is now, that a message sent after its box was left did not go (a file did
 * not upload, or it was refused), and that it is kept in the draft there; each is said once by the chat's
 * polite announcer (announcer.tsx: a live region inserted with its text is often not read), can be
 * dismissed, and goes when its box is opened.
 */
export function UnsentNotice() {
  const t = useT();
  const announce = useAnnounce();
  const list = useSyncExternalStore(
    (listener) => (unsentListeners.add(listener), () => void unsentListeners.delete(listener)),
    () => unsent,
    () => NONE,
  );
  const sentence = (u: Unsent) =>
    t(u.why === "refused" ? (u.reply ? "composer.unsentReplyRefused" : "composer.unsentRefused") : u.reply ? "composer.unsentReply" : "composer.unsent", { room: u.label });
  useEffect(() => {
    for (const u of list) {
      if (spoken.has(u)) continue;
      spoken.add(u);
      announce(sentence(u));
    }
    // The sentence is said in the language of the moment it comes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list, announce]);
  if (list.length === 0) return null;
  return (
    <div className="composer-unsent">
      {list.map((u) => (
        <p key={u.draft} className="composer-note">
          {sentence(u)}
          <button
            type="button" className="icon-button" aria-label={t.label("composer.unsentDismiss")}
            onClick={(e) => {
              // The notice goes with its button: the focus goes to the text field of the composer it was in.
              const field = e.currentTarget.closest("form")?.querySelector("textarea");
              forgetUnsent(u.draft);
              keepFocus(() => field);
            }}
          >
            <CloseIcon />
          </button>
        </p>
      ))}
    </div>
  );
}

/** The attach button and the hidden file input it opens; nothing for someone who cannot attach. */
export function AttachButton({ attach, label }: { attach: Attach; /** Its accessible name ("Attach files" by default). */ label?: string }) {
  const t = useT();
  if (!attach.canAttach) return null;
  return (
    <>
      <button
        ref={attach.button}
        type="button"
        className="attach-button"
        aria-label={label ?? t.label("upload.attach")}
        disabled={attach.disabled || attach.uploads.full}
        onClick={() => attach.input.current?.click()}
      >
        <PaperclipIcon />
      </button>
      <input
        ref={attach.input}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          if (e.target.files) attach.add([...e.target.files]);
          e.target.value = "";
        }}
      />
    </>
  );
}

/** The files on their way or ready (upload-tray.tsx), once there is one. */
export function AttachTray({ attach }: { attach: Attach }) {
  if (attach.uploads.items.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <UploadTray items={attach.uploads.items} onRemove={attach.remove} />
    </Suspense>
  );
}

/**
 * The note about the files, announced politely: waiting for an upload, too many files, a failed one. Its
 * live region is in the page from the start, empty (and taking no room: messages.css) while there is
 * nothing to say: a `role="status"` inserted together with its text is often not read (WCAG 4.1.3).
 */
export function AttachNote({ attach }: { attach: Attach }) {
  const t = useT();
  return <p className="composer-note" role="status">{attach.queued ? t("composer.waitingUpload") : (attach.note ?? "")}</p>;
}
