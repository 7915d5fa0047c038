/**
 * One file upload over HTTP (`POST /api/rooms/:room/uploads`, multipart) with progress and cancel:
 * XMLHttpRequest, because fetch reports no upload progress. The session cookie authenticates it.
 */
import type { Attachment } from "@/lib/chat/types";
import { refusalIn, type Refusal } from "@/components/auth/api";
import { uploadName } from "./upload-name";

export type UploadProgress = { loaded: number; total: number };
export type UploadHandle = { done: Promise<Attachment>; abort(): void };

/**
 * Thrown by `done` when the server refused the file (its refusal: code, message, and the reason, field,
 * limit or wait when it gives them), the network failed (`network`) or the upload was cancelled (`aborted`).
 */
export class UploadError extends Error implements Refusal {
  readonly retryAfter?: number;
  readonly reason?: string;
  readonly field?: string;
  readonly limit?: number;
  constructor(
    readonly code: string,
    message: string,
    detail: Omit<Refusal, "code" | "message"> = {},
  ) {
    super(message);
    this.name = "UploadError";
    ({ retryAfter: this.retryAfter, reason: this.reason, field: this.field, limit: this.limit } = detail);
  }
}

export function startUpload(room: string, file: File, onProgress: (p: UploadProgress) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Attachment>((resolve, reject) => {
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      let body: { upload?: Attachment } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // A proxy's HTML error page: fall through with the status.
      }
      if (xhr.status === 201 && body.upload) return resolve(body.upload);
      const { code, message, ...detail } = refusalIn(body, { status: xhr.status, statusText: xhr.statusText, retryAfter: xhr.getResponseHeader("Retry-After") });
      reject(new UploadError(code, message, detail));
    };
    xhr.onerror = () => reject(new UploadError("network", "network error"));
    xhr.onabort = () => reject(new UploadError("aborted", "cancelled"));
  });
  const form = new FormData();
  form.append("file", file, uploadName(file));
  xhr.open("POST", `/api/rooms/${encodeURIComponent(room)}/uploads`);
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}
