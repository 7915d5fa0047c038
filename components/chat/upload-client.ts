/**
 * One file upload over HTTP (`POST /api/rooms/:room/uploads`, multipart) with progress and cancel:
 * XMLHttpRequest, because fetch reports no upload progress. The session cookie authenticates it.
 */
import type { Attachment } from "@/lib/chat/types";

export type UploadProgress = { loaded: number; total: number };
export type UploadHandle = { done: Promise<Attachment>; abort(): void };

/** Thrown by `done` when the server refused the file (its error code and message) or the network failed. */
export class UploadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function startUpload(room: string, file: File, onProgress: (p: UploadProgress) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Attachment>((resolve, reject) => {
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      let body: { upload?: Attachment; error?: { code: string; message: string } } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // A proxy's HTML error page: fall through with the status.
      }
      if (xhr.status === 201 && body.upload) resolve(body.upload);
      else reject(new UploadError(body.error?.code ?? "internal", body.error?.message ?? `HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new UploadError("network", "network error"));
    xhr.onabort = () => reject(new UploadError("aborted", "cancelled"));
  });
  const form = new FormData();
  form.append("file", file, file.name);
  xhr.open("POST", `/api/rooms/${encodeURIComponent(room)}/uploads`);
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}
