import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { Request } from "express";
import busboy from "busboy";
import { AppError } from "../errors";

export type ReceivedFile = { file: string; name: string; size: number };

/** Room for the multipart framing around the file when judging a declared Content-Length. */
const FRAMING_BYTES = 64 * 1024;
/** Parts of a body that are read; one more is refused (a browser's FormData for an upload has one). */
const MAX_PARTS = 16;

/**
 * Streams the `file` part of a `multipart/form-data` request (busboy) into a new file in `tmpDir`,
 * never holding it in memory. Every other part, field or file, before or after it, is read and
 * dropped. Refusals, each with nothing left on disk:
 * - not multipart, no part named `file`, a `file` part that is a text field (no filename), a second
 *   part named `file`, more than MAX_PARTS parts, an empty file, a malformed or truncated body →
 *   `bad_request`;
 * - more than `maxBytes` (a file of exactly `maxBytes` is taken) → `too_large`, as soon as the limit is
 *   crossed (or at once when the declared Content-Length already says so); the rest of the body is read
 *   and discarded, so the client sees the answer instead of a reset connection.
 * A client that goes away mid-upload rejects the promise the same way.
 */
export function receiveFile(req: Request, opts: { tmpDir: string; maxBytes: number }): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > opts.maxBytes + FRAMING_BYTES) return reject(tooLarge(opts.maxBytes));
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: "utf8",
        // busboy stops a file at `fileSize` bytes and emits `limit` on reaching it, not on passing it
        // (it cannot tell a file of exactly that size from a longer one): one byte more lets `limit` mean
        // "past maxBytes". `parts` likewise: `partsLimit` fires once that many parts were read, so at
        // MAX_PARTS + 1 it means "more than MAX_PARTS". No `files` or `fields` limit: a part busboy
        // skipped for one would be a `file` part silently missed; MAX_PARTS bounds them all.
        limits: { fileSize: opts.maxBytes + 1, fieldSize: 1024, parts: MAX_PARTS + 1, headerPairs: 32 },
      });
    } catch {
      return reject(new AppError("bad_request", "send the file as multipart/form-data with one part named \"file\""));
    }
    let target: string | undefined;
    let name = "";
    let size = 0;
    let writing: Promise<void> | undefined;
    let out: ReturnType<typeof createWriteStream> | undefined;
    let parserFile: NodeJS.ReadableStream | undefined;
    let settled = false;
    /** Parts named `file` seen so far (a file, or a text field that should have been one). */
    let fileParts = 0;

    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      // Keep reading (and dropping) the body so the answer reaches the client.
      req.resume();
      let closed = Promise.resolve();
      if (out) {
        const file = out;
        parserFile?.unpipe(file);
        parserFile?.resume();
        // The file is created when the stream has opened it, which may still be under way: removing it
        // before that would leave the file behind, so wait for the stream to close first.
        if (!file.closed) closed = new Promise((done) => file.once("close", () => done()));
        file.destroy();
      }
      void closed
        .then(() => (target ? rm(target, { force: true }) : undefined))
        .catch(() => undefined)
        .then(() => reject(err));
    };

    const oneFile = () => new AppError("bad_request", "one file per upload: the body has more than one part named \"file\"");
    parser.on("file", (field, stream, info) => {
      if (field !== "file" || settled) return void stream.resume();
      if (++fileParts > 1) {
        stream.resume();
        return fail(oneFile());
      }
      name = info.filename ?? "";
      parserFile = stream;
      target = path.join(opts.tmpDir, randomUUID());
      const file = (out = createWriteStream(target, { flags: "wx" }));
      stream.on("data", (chunk: Buffer) => (size += chunk.length));
      stream.on("limit", () => fail(tooLarge(opts.maxBytes)));
      writing = new Promise((done, broke) => {
        file.on("finish", done);
        file.on("error", broke);
        stream.on("error", broke);
      });
      // Failures are answered by `fail` (from the parser's error or the limit); this only must not go unhandled.
      writing.catch(() => undefined);
      stream.pipe(file);
    });
    // busboy takes a part without a filename for a text field: named `file`, it counts as the file part.
    parser.on("field", (field) => {
      if (field === "file" && ++fileParts > 1) fail(oneFile());
    });
    parser.on("partsLimit", () => fail(new AppError("bad_request", `a multipart body may have at most ${MAX_PARTS} parts`)));
    parser.on("error", () => fail(new AppError("bad_request", "the multipart body is malformed or truncated")));
    parser.on("close", () => {
      if (settled) return;
      if (fileParts > 0 && !target) return fail(new AppError("bad_request", "the part named \"file\" must be a file (a part with a filename)"));
      if (!target || !writing) return fail(new AppError("bad_request", "no part named \"file\" in the multipart body"));
      writing.then(
        () => {
          if (settled) return;
          if (size === 0) return fail(new AppError("bad_request", "the file is empty", { reason: "file_empty" }));
          settled = true;
          resolve({ file: target!, name, size });
        },
        (err: unknown) => fail(new AppError("internal", "the upload could not be stored", { cause: err })),
      );
    });
    req.on("close", () => {
      if (!req.complete) fail(new AppError("bad_request", "the upload was interrupted"));
    });
    req.pipe(parser);
  });
}

function tooLarge(maxBytes: number) {
  return new AppError("too_large", `files may be at most ${maxBytes} bytes`, { reason: "file_too_large", limit: maxBytes });
}
