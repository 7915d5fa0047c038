"use client";
/**
 * The files about to be sent with a message: a progress bar while each uploads, cancel or remove; an
 * image, once uploaded, shows the server's thumbnail of it beside its name (what will be sent, as Slack
 * shows it; the name next to it says the same to a screen reader, so the picture has no text of its own).
 */
import { useT } from "@/components/i18n/use-t";
import { FileName } from "./file-name";
import { formatSize } from "./format-size";
import { CloseIcon } from "./icons";
import type { PendingUpload } from "./use-uploads";
import RefusalText from "./refusal-text";
import "@/components/i18n/files-strings";

export function UploadTray({ items, onRemove }: { items: PendingUpload[]; onRemove(key: string): void }) {
  const t = useT();
  if (items.length === 0) return null;
  return (
    <ul className="upload-tray" aria-label={t.label("upload.tray")}>
      {items.map((u) => (
        <li key={u.key} className="upload-item" data-status={u.status}>
          {u.status === "done" && u.attachment?.thumbUrl && (
            <img className="upload-thumb" src={u.attachment.thumbUrl} alt="" width={32} height={32} decoding="async" />
          )}
          <FileName className="upload-name" name={u.name} />
          {u.status === "uploading" && (
            <progress className="upload-progress" max={u.size || 1} value={u.loaded} aria-label={t.label("upload.progress", { name: u.name })} />
          )}
          {/* A refused file shows its size too: beside "Files can be at most 25 MB", how far over it is. */}
          {/* Rounded up when it was too large, as the limit is rounded down (formatSize): never "25 MB … at most 25 MB". */}
          {(u.status === "done" || u.status === "failed") && (
            <span className="upload-size">{formatSize(u.size, undefined, u.error?.code === "too_large" ? "ceil" : undefined)}</span>
          )}
          {u.status === "failed" && u.error && (
            <span className="upload-error" role="alert"><RefusalText refusal={u.error} sentence="upload.failed" /></span>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label={t.label(u.status === "uploading" ? "upload.cancel" : "upload.remove", { name: u.name })}
            onClick={() => onRemove(u.key)}
          >
            <CloseIcon />
          </button>
        </li>
      ))}
    </ul>
  );
}
