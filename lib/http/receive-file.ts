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

/**
 * Streams the `file` part of a `multipart/form-data` request (busboy) into a new file in `tmpDir`,
 * never holding it in memory. Refusals, each with nothing left on disk:
 * - not multipart, no `file` part, an empty file, a malformed or truncated body → `bad_request`;
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
        // "past maxBytes".
        limits: { files: 1, fileSize: opts.maxBytes + 1, fields: 8, fieldSize: 1024, parts: 16, headerPairs: 32 },
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

    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      // Keep reading (and dropping) the body so the answer reaches the client.
      req.resume();
      if (out) {
        parserFile?.unpipe(out);
        parserFile?.resume();
        out.destroy();
      }
      void (target ? rm(target, { force: true }) : Promise.resolve()).then(() => reject(err));
    };

    parser.on("file", (field, stream, info) => {
      if (field !== "file" || target) return void stream.resume();
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
    parser.on("error", () => fail(new AppError("bad_request", "the multipart body is malformed or truncated")));
    parser.on("close", () => {
      if (settled) return;
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
