"use client";
/**
 * A message's files: images as lazy thumbnails (their size set, so nothing jumps as they load) that
 * open in a lightbox; video and audio as players; anything else as a card with name, size and a
 * download link. A long name is cut in the middle as in the tray of files to send (file-name.tsx), its
 * extension in sight and the whole name in its text and tooltip. Files are served by the server with their sniffed type; nothing here decides a type
 * from a name.
 */
import { lazyPart } from "./chunk-load";
import { Suspense, useState } from "react";
import { useT } from "@/components/i18n/use-t";
import type { Attachment } from "@/lib/chat/types";
import { FileName } from "./file-name";
import { formatSize } from "./format-size";
import "@/components/i18n/files-strings";
import { useControlTabIndex } from "./message-focus";

/** The viewer is its own chunk, fetched when an image is first opened. */
const Lightbox = lazyPart(() => import("./lightbox").then((m) => ({ default: m.Lightbox })), undefined, { again: true });

/** Thumbnails are shown at most this big (CSS pixels); the server makes them twice that for dense screens. */
const THUMB_BOX = 240;

function fit(a: Attachment) {
  if (!a.width || !a.height) return { width: THUMB_BOX, height: THUMB_BOX };
  const scale = Math.min(1, THUMB_BOX / Math.max(a.width, a.height));
  return { width: Math.max(1, Math.round(a.width * scale)), height: Math.max(1, Math.round(a.height * scale)) };
}

export function AttachmentList({ items }: { items: Attachment[] }) {
  const t = useT();
  const [open, setOpen] = useState<Attachment | null>(null);
  // Out of the Tab order while the message is not its list's current one (message-focus.ts).
  const tabIndex = useControlTabIndex();
  return (
    <>
    <ul className="attachments" aria-label={t.label("file.list", { count: items.length })}>
      {items.map((a) => (
        <li key={a.id} className="attachment">
          {a.thumbUrl ? (
            <button type="button" className="attachment-thumb" tabIndex={tabIndex} aria-label={t.label("file.view", { name: a.name })} onClick={() => setOpen(a)}>
              <img src={a.thumbUrl} alt={a.name} loading="lazy" decoding="async" {...fit(a)} />
            </button>
          ) : a.type.startsWith("video/") ? (
            <video className="attachment-media" tabIndex={tabIndex} src={a.url} controls preload="metadata" aria-label={a.name} />
          ) : a.type.startsWith("audio/") ? (
            <audio className="attachment-audio" tabIndex={tabIndex} src={a.url} controls preload="metadata" aria-label={a.name} />
          ) : null}
          {!a.thumbUrl && (
            <div className="file-card">
              <FileName className="file-name" name={a.name} />
              <span className="file-size">{formatSize(a.size)}</span>
              <a className="link-button" tabIndex={tabIndex} href={a.url} download={a.name} aria-label={t.label("file.downloadName", { name: a.name })}>
                {t("file.download")}
              </a>
            </div>
          )}
        </li>
      ))}
    </ul>
    {open && (
      <Suspense fallback={null}>
        <Lightbox image={open} onClose={() => setOpen(null)} />
      </Suspense>
    )}
    </>
  );
}
