"use client";
/**
 * The composer's files: each upload's progress, its result, and cancelling or removing it. An upload
 * still on its way when its box is left (another room, the thread closed) goes on: it is carried, and
 * lands with the draft's files when it ends (drafts.ts), or, when the box is opened again before,
 * shows there again with its progress. A send asked for before the box was left waits for them
 * (afterCarried, attach.tsx).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { Attachment } from "@/lib/chat/types";
import { isRefusal } from "@/components/auth/api";
import type { Refusal } from "./chat-types";
import { draftInUse, onDraftsForgotten, readDraftFiles, saveDraftFiles } from "./drafts";
import type { UploadHandle, UploadProgress } from "./upload-client";
import { uploadName } from "./upload-name";
import { loadChunk } from "./chunk-load";

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

/** The server's refusal of a file over `maxBytes` (lib/http/receive-file.ts), for one the tab need not send. */
const tooLarge = (maxBytes: number): Refusal => ({ code: "too_large", message: `files may be at most ${maxBytes} bytes`, reason: "file_too_large", limit: maxBytes });

/** An upload that never starts: it fails with `refusal`. */
function refused(refusal: Refusal): UploadHandle {
  return { done: Promise.reject(refusal), abort: () => {} };
}

/**
 * `startUpload` of upload-client.ts, fetched with the first file: the page's first load does not carry
 * the upload code. Aborting before it has loaded settles `done` as an abort does (code "aborted").
 */
const defaultStart: StartUpload = (room, file, onProgress) => {
  let inner: UploadHandle | null = null;
  let aborted = false;
  const done = loadChunk(() => import("./upload-client")).then(({ startUpload, UploadError }) => {
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
 * One upload and its latest state; `show` is the box showing it (null while none does, see carried);
 * `removed` once taken off the message (cancelled): whatever it ends with is dropped.
 */
type Flight = { item: PendingUpload; handle: UploadHandle; draft: string | null; show: ((item: PendingUpload) => void) | null; removed?: true };

/**
 * Uploads on their way, or failed on it, whose box was left, by the draft they belong to (drafts.ts's
 * draftKey): one that ends is added to its draft's files, one that fails waits here to be shown, and
 * the box of the draft, opened again, takes them all back (with their progress). In the tab's memory.
 */
const carried = new Map<string, Flight[]>();

/** Takes `flight` off the carried ones of its draft. */
function uncarry(flight: Flight): void {
  if (flight.draft === null) return;
  const left = (carried.get(flight.draft) ?? []).filter((f) => f !== flight);
  if (left.length > 0) carried.set(flight.draft, left);
  else carried.delete(flight.draft);
}

/**
 * What waits for a draft's carried uploads to end, by draft: a send asked for in its box before it was
 * left (attach.tsx). Told once none is on its way any more, with whether one of them failed.
 */
const awaiting = new Map<string, (failed: boolean) => void>();

/** Tells what waits for `draft` (awaiting), if anything does, once none of its carried uploads is on its way. */
function settled(draft: string | null): void {
  const then = draft === null ? undefined : awaiting.get(draft);
  if (draft === null || !then) return;
  const flights = carried.get(draft) ?? [];
  if (flights.some((f) => f.item.status === "uploading")) return;
  awaiting.delete(draft);
  then(flights.some((f) => f.item.status === "failed"));
}

/**
 * Calls `then` once no upload of `draft` carried (its box left) is on its way, at once when none is:
 * `failed` when one of them failed (it waits in `carried`, to be shown when the box is opened again).
 * Forgotten with the draft (a sign-out), and by `stopAwaiting`.
 */
export function afterCarried(draft: string, then: (failed: boolean) => void): void {
  awaiting.set(draft, then);
  settled(draft);
}

/** Stops waiting for `draft`'s carried uploads (its box is open again); whether something was waiting. */
export function stopAwaiting(draft: string | null): boolean {
  return draft !== null && awaiting.delete(draft);
}

// Drafts forgotten (a sign-out, someone else using the tab): so are their uploads, and what waited for them.
onDraftsForgotten((kept) => {
  for (const draft of awaiting.keys()) if (!kept(draft)) awaiting.delete(draft);
  for (const [draft, flights] of carried) {
    if (kept(draft)) continue;
    carried.delete(draft);
    for (const f of flights) f.handle.abort();
  }
});

/**
 * The files of the message being written in `room`, each uploaded by `start` as soon as it is added:
 * `items` in the order added, `ready` the uploaded ones' attachments, `busy` while one is still on its
 * way, `full` at MAX_ATTACHMENTS. `draft` is the draft the files belong to (drafts.ts's draftKey):
 * changing it or `room` (or unmounting) leaves what is still on its way to finish for that draft (see
 * carried) while its owner uses the tab; with no draft (null) it is cancelled. Mounting with a draft
 * shows its carried uploads again. `maxBytes` is the server's largest file (the `session` event's
 * `uploadMaxBytes`; undefined: not known): a bigger file fails at once, as the server would refuse it
 * (`too_large`, `file_too_large`, its `limit`), without a byte sent.
 */
export function useUploads(room: string, start: StartUpload = defaultStart, draft: string | null = null, maxBytes?: number) {
  const [items, setItems] = useState<PendingUpload[]>([]);
  const flights = useRef(new Map<string, Flight>());
  const shown = useCallback((item: PendingUpload) => setItems((list) => list.map((i) => (i.key === item.key ? item : i))), []);

  // The draft's uploads carried while its box was away come back; leaving hands those on their way over.
  useEffect(() => {
    const mine = flights.current;
    const back = draft === null ? [] : (carried.get(draft) ?? []);
    if (draft !== null) carried.delete(draft);
    for (const f of back) {
      f.show = shown;
      mine.set(f.item.key, f);
    }
    if (back.length > 0) setItems((list) => [...list, ...back.map((f) => f.item)]);
    return () => {
      // A file whose upload ended just as the box was left (the box never showed it done, so attach.tsx
      // never saved it with the draft's files) is the draft's too.
      const ended = [...mine.values()].filter((f) => f.item.status === "done").map((f) => f.item.attachment!);
      if (ended.length > 0 && draftInUse(draft)) {
        const files = readDraftFiles(draft);
        const fresh = ended.filter((a) => !files.some((k) => k.id === a.id));
        if (fresh.length > 0) saveDraftFiles(draft, [...files, ...fresh].slice(0, MAX_ATTACHMENTS));
      }
      for (const f of mine.values()) {
        f.show = null;
        if (f.item.status !== "uploading") continue;
        if (f.draft !== null && draftInUse(f.draft)) carried.set(f.draft, [...(carried.get(f.draft) ?? []), f]);
        else f.handle.abort();
      }
      mine.clear();
      setItems([]);
    };
  }, [room, draft, shown]);

  const count = useRef(0);
  count.current = items.length;

  /** Starts uploading `files` (beyond MAX_ATTACHMENTS in all, the rest are left out). */
  const add = useCallback(
    (files: File[]) => {
      const taken = files.slice(0, Math.max(0, MAX_ATTACHMENTS - count.current));
      count.current += taken.length;
      const added = taken.map((file): PendingUpload => {
        const key = `u${++nextKey}`;
        let item: PendingUpload = { key, name: uploadName(file), size: file.size, loaded: 0, status: "uploading" };
        // The flight's state is `item` until the flight exists (start may report progress at once).
        let flight: Flight | undefined;
        const update = (patch: Partial<PendingUpload>) => {
          item = { ...item, ...patch };
          if (!flight) return;
          flight.item = item;
          flight.show?.(item);
        };
        const handle = maxBytes !== undefined && file.size > maxBytes ? refused(tooLarge(maxBytes)) : start(room, file, (p) => update({ loaded: p.loaded }));
        const f: Flight = { item, handle, draft, show: shown };
        flight = f;
        flights.current.set(key, f);
        handle.done.then(
          (attachment) => {
            update({ status: "done", attachment, loaded: file.size });
            // Ended after its box was left: it joins its draft's files, there when the box is opened again.
            if (f.show === null && !f.removed) {
              uncarry(f);
              if (draftInUse(f.draft)) saveDraftFiles(f.draft, [...readDraftFiles(f.draft), attachment].slice(0, MAX_ATTACHMENTS));
              settled(f.draft);
            }
          },
          (err: Error & { code?: string }) => {
            // Anything but a refusal (the upload code could not be fetched) is the network's failure.
            if (err.code !== "aborted") update({ status: "failed", error: isRefusal(err) ? err : { code: "network", message: err.message } });
            else if (f.show === null) uncarry(f);
            if (f.show === null) settled(f.draft);
          },
        );
        return f.item;
      });
      setItems((list) => [...list, ...added]);
      return files.length - taken.length;
    },
    [room, start, draft, shown, maxBytes],
  );

  /** Cancels an upload in progress, or takes a finished or failed one off the message. */
  const remove = useCallback((key: string) => {
    const flight = flights.current.get(key);
    flights.current.delete(key);
    if (flight) {
      flight.show = null;
      flight.removed = true;
      flight.handle.abort();
    }
    setItems((list) => list.filter((i) => i.key !== key));
  }, []);

  const clear = useCallback(() => {
    flights.current.clear();
    setItems([]);
  }, []);
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
