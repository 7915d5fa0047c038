"use client";
/**
 * Attaching files to what is being written, the same for the room's composer and a thread's reply box:
 * the attach button (and its hidden file input), images pasted into the text field, files dropped on the
 * box's area (file-drop.ts), the tray of uploads with progress, cancel and errors, and the note under the
 * box ("At most 10 files…", "Sending once the upload finishes…", "A file did not upload…"). A send asked
 * for while a file is still uploading waits (`queue`) and goes once the uploads are done, unless one
 * failed. The box itself decides what sending means.
 */
import { lazy, Suspense, useEffect, useRef, useState, type ClipboardEvent } from "react";
import "@/components/i18n/live-strings";
import { useT } from "@/components/i18n/use-t";
import { PaperclipIcon } from "./icons";
import { useFileDrop } from "./file-drop";
import { MAX_ATTACHMENTS, useUploads, type StartUpload } from "./use-uploads";
import { readDraftFiles, saveDraftFiles } from "./drafts";

// The tray of files being attached is a chunk of its own, fetched with the first file.
const UploadTray = lazy(() => import("./upload-tray").then((m) => ({ default: m.UploadTray })));

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
  /** The element a drop of files on which attaches them here (null while it is not rendered). */
  dropArea(): Element | null;
  /** Called once the uploads a queued send waited for are all done, none failed: send now. */
  onUploaded(): void;
};

/** What useAttach gives a box: its uploads, and what the parts below and the box's field need. */
export type Attach = ReturnType<typeof useAttach>;

/**
 * Files for the message being written in `options.room` (see the module's comment). `uploads` is
 * use-uploads.ts's state (`ready` are the attachments to send, `clear` and `restore` take them off the
 * message and put them back); `onPaste` goes on the text field; `queue()` asks to send once the uploads
 * are done; `dragging` is true while files are dragged over the drop area and would be taken.
 */
export function useAttach({ room, draft, startUpload, canAttach, disabled, dropArea, onUploaded }: AttachOptions) {
  const t = useT();
  const uploads = useUploads(room, startUpload, draft);
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
  const [queued, setQueued] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const enabled = canAttach && !disabled;

  function add(files: File[]) {
    if (!enabled || files.length === 0) return;
    const left = uploads.add(files);
    setNote(left > 0 ? t("upload.tooMany", { count: MAX_ATTACHMENTS }) : undefined);
  }

  /** Cancels or removes a file; the focus, which was on its button, goes to the attach button. */
  function remove(key: string) {
    uploads.remove(key);
    button.current?.focus();
  }

  /** Images pasted into the text field are attached (text is pasted as usual). */
  function onPaste(e: ClipboardEvent) {
    const files = [...e.clipboardData.files].filter((f) => f.type.startsWith("image/"));
    if (files.length === 0 || !enabled) return;
    e.preventDefault();
    add(files);
  }

  const dragging = useFileDrop(dropArea, enabled ? add : null);

  useEffect(() => setQueued(false), [room]);
  const failed = uploads.items.some((i) => i.status === "failed");
  const uploaded = useRef(onUploaded);
  uploaded.current = onUploaded;
  useEffect(() => {
    if (!queued || uploads.busy) return;
    setQueued(false);
    // A file that did not make it: nothing is sent without it; the tray says what went wrong.
    if (failed) setNote(t("composer.uploadFailed"));
    else uploaded.current();
    // t is the same for a language; the send reads the render the uploads' end brought.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queued, uploads.busy, failed]);

  /** Sends once the uploads in progress are done (and says so meanwhile). */
  function queue() {
    setQueued(true);
    setNote(undefined);
  }

  return { uploads, canAttach, disabled, add, remove, onPaste, queue, queued, note, dragging, button, input };
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

/** The note about the files, announced politely: waiting for an upload, too many files, a failed one. */
export function AttachNote({ attach }: { attach: Attach }) {
  const t = useT();
  if (attach.queued) return <p className="composer-note" role="status">{t("composer.waitingUpload")}</p>;
  return attach.note ? <p className="composer-note" role="status">{attach.note}</p> : null;
}
