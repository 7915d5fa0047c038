"use client";
/** The composer's files: each upload's progress, its result, and cancelling or removing it. */
import { useCallback, useEffect, useRef, useState } from "react";
import type { Attachment } from "@/lib/chat/types";
import { isRefusal } from "@/components/auth/api";
import type { Refusal } from "./chat-types";
import type { UploadHandle, UploadProgress } from "./upload-client";
import { uploadName } from "./upload-name";

/** Most files one message may carry (the server's rule, contract v2). */
export const MAX_ATTACHMENTS = 10;

export type PendingUpload = {
  key: string;
  name: string;
  size: number;
  loaded: number;
  status: "uploading" | "done" | "failed";
  attachment?: Attachment;
  /** Why it failed (status `failed`): the server's refusal, or `network`; put in words when shown. */
  error?: Refusal;
};

export type StartUpload = (room: string, file: File, onProgress: (p: UploadProgress) => void) => UploadHandle;

let nextKey = 0;

/**
 * `startUpload` of upload-client.ts, fetched with the first file: the page's first load does not carry
 * the upload code. Aborting before it has loaded settles `done` as an abort does (code "aborted").
 */
const defaultStart: StartUpload = (room, file, onProgress) => {
  let inner: UploadHandle | null = null;
  let aborted = false;
  const done = import("./upload-client").then(({ startUpload, UploadError }) => {
    if (aborted) throw new UploadError("aborted", "cancelled");
    inner = startUpload(room, file, onProgress);
    return inner.done;
  });
  return {
    done,
    abort: () => {
      aborted = true;
      inner?.abort();
    },
  };
};

/**
 * The files of the message being written in `room`, each uploaded by `start` as soon as it is added:
 * `items` in the order added, `ready` the uploaded ones' attachments, `busy` while one is still on its
 * way, `full` at MAX_ATTACHMENTS. Changing `room` (or unmounting) cancels what is still on its way.
 */
export function useUploads(room: string, start: StartUpload = defaultStart) {
  const [items, setItems] = useState<PendingUpload[]>([]);
  const handles = useRef(new Map<string, UploadHandle>());
  const update = (key: string, patch: Partial<PendingUpload>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  // Leaving the room (or the page) cancels what is still on its way.
  useEffect(() => {
    const current = handles.current;
    return () => {
      for (const h of current.values()) h.abort();
      current.clear();
      setItems([]);
    };
  }, [room]);

  const count = useRef(0);
  count.current = items.length;

  /** Starts uploading `files` (beyond MAX_ATTACHMENTS in all, the rest are left out). */
  const add = useCallback(
    (files: File[]) => {
      const taken = files.slice(0, Math.max(0, MAX_ATTACHMENTS - count.current));
      count.current += taken.length;
      const added = taken.map((file): PendingUpload => {
        const key = `u${++nextKey}`;
        const handle = start(room, file, (p) => update(key, { loaded: p.loaded }));
        handles.current.set(key, handle);
        handle.done
          .then(
            (attachment) => update(key, { status: "done", attachment, loaded: file.size }),
            (err: Error & { code?: string }) => {
              // Anything but a refusal (the upload code could not be fetched) is the network's failure.
              if (err.code !== "aborted") update(key, { status: "failed", error: isRefusal(err) ? err : { code: "network", message: err.message } });
            },
          )
          .finally(() => handles.current.delete(key));
        return { key, name: uploadName(file), size: file.size, loaded: 0, status: "uploading" };
      });
      setItems((list) => [...list, ...added]);
      return files.length - taken.length;
    },
    [room, start],
  );

  /** Cancels an upload in progress, or takes a finished or failed one off the message. */
  const remove = useCallback((key: string) => {
    handles.current.get(key)?.abort();
    handles.current.delete(key);
    setItems((list) => list.filter((i) => i.key !== key));
  }, []);

  const clear = useCallback(() => setItems([]), []);

  /**
   * Puts `attachments` (uploaded earlier, taken off by `clear` for a send that was then refused) back on
   * the message, before any file added since, as finished uploads; beyond MAX_ATTACHMENTS in all, the
   * restored ones that do not fit are left out (the files added since stay).
   */
  const restore = useCallback((attachments: readonly Attachment[]) => {
    const back = attachments.map((a): PendingUpload => ({ key: `u${++nextKey}`, name: a.name, size: a.size, loaded: a.size, status: "done", attachment: a }));
    setItems((list) => [...back.slice(0, Math.max(0, MAX_ATTACHMENTS - list.length)), ...list]);
  }, []);
  const ready = items.filter((i) => i.status === "done").map((i) => i.attachment!);
  const busy = items.some((i) => i.status === "uploading");
  return { items, add, remove, clear, restore, ready, busy, full: items.length >= MAX_ATTACHMENTS };
}
