import { pipeline } from "node:stream/promises";
import { Router, type Request, type Response } from "express";
import { create as contentDisposition } from "content-disposition";
import parseRange from "range-parser";
import type { Identify } from "../auth/identify";
import type { Database } from "../db";
import type { Attachment } from "../chat/types";
import { findGuestReadableUpload, findReadableUpload, THUMB_SEGMENT, thumbKey } from "../chat/uploads";
import { guestAccessEnabled } from "../auth/accounts";
import type { FileStorage } from "../files/storage";
import { errorBody, unavailableAnswer } from "../errors";
import { isImageType } from "../files/inspect";
import type { Logger } from "../log";
import { httpReader } from "./guards";

export type FileRouteDeps = {
  db: Database;
  identify: Identify;
  storage: FileStorage;
  log: Logger;
  /** GUEST_ACCESS (the admin's switch, when set, overrides it): whether guests may read public rooms. */
  guestAccess?: boolean;
  /** SEND_TIMEOUT_MS: a download the client takes nothing of for this long is cut off (default 60 s). */
  sendTimeoutMs?: number;
};

/** Types a browser may show inline: re-encoded raster images, audio and video. Everything else downloads. */
const inline = (type: string) => isImageType(type) || type.startsWith("audio/") || type.startsWith("video/");

/**
 * `GET /api/files/:id/:name` (the file) and `GET /api/files/:id/thumb` (its WebP thumbnail), for users
 * who can read the file's room now (the uploader alone before it is sent; guests, while guest access is
 * on, the files of public rooms: see `readable`); `404` for anyone else, the
 * same as for a file that does not exist. Files never change, so they are cached for good (privately)
 * and carry a strong ETag; `Range` gets `206` (video seeking).
 */
export function fileRoutes(deps: FileRouteDeps): Router {
  const r = Router();
  const serve = (variant: "file" | "thumb") => async (req: Request, res: Response) => {
    const found = await readable(deps, req, String(req.params.id));
    const file = found?.file;
    if (!found || !file || (variant === "thumb" && !file.thumbUrl)) return notFound(res);
    const key = variant === "thumb" ? thumbKey(file.id) : file.id;
    const type = variant === "thumb" ? "image/webp" : file.type;
    const size = variant === "thumb" ? undefined : file.size;
    await send(deps, req, res, { key, type, size, file, etag: `"${file.id}${variant === "thumb" ? ".t" : ""}"`, guest: found.guest });
  };
  // `thumb` here and in thumbUrl(); fileUrl() never makes a file's URL that this route would take.
  r.get(`/:id/${THUMB_SEGMENT}`, serve("thumb"));
  r.get("/:id/:name", serve("file"));
  return r;
}

/**
 * The file `id` as the caller may read it (httpReader), or null: accounts and bots what
 * `findReadableUpload` allows, a request with no credential while guest access is on the files sent to
 * public rooms (what any guest may read), anyone else nothing.
 */
async function readable(deps: FileRouteDeps, req: Request, id: string): Promise<{ file: Attachment | null; guest: boolean } | null> {
  const reader = await httpReader(deps.identify, req, () => guestAccessEnabled(deps.db, deps.guestAccess));
  if (reader === null) return null;
  if (reader === "guest") return { file: await findGuestReadableUpload(deps.db, id), guest: true };
  return { file: await findReadableUpload(deps.db, reader.user, id), guest: false };
}

/**
 * The ranges a `Range` header asks of a file of `size` bytes, as range-parser reads them (overlapping
 * and adjacent ranges merged): -1 when none can be served, -2 when the header is malformed, else the
 * ranges with `type` (the unit). A suffix range longer than the file (`bytes=-5000` of 1000 bytes)
 * selects the whole file, as RFC 9110 §14.1.3 says ("If the selected representation is shorter than
 * the specified suffix-length, the entire representation is used"); range-parser drops it instead,
 * which made such a request `416`. A suffix of 0 bytes stays unsatisfiable (§14.1.1).
 */
function byteRanges(size: number, header: string): ReturnType<typeof parseRange> {
  const widened = header.replace(/([=,]\s*)-(\s*)(\d+)(?=\s*(?:,|$))/g, (spec, before: string, _gap: string, digits: string) =>
    Number(digits) > size ? `${before}0-` : spec,
  );
  return parseRange(size, widened, { combine: true });
}

/**
 * Whether an `If-None-Match` header matches the file's entity tag `etag` (a strong tag, `"…"`), so the
 * answer is `304`: RFC 9110 §13.1.2 — `*` matches any file that exists, and a list of tags matches when
 * one of them is the same by weak comparison (§8.8.3.2: `W/"x"` and `"x"` are the same tag). A request's
 * own `Cache-Control: no-cache` (which fetch() adds to every conditional request it is given) does not
 * change that: it asks caches to revalidate, and this is the origin answering the revalidation.
 */
function noneMatchHolds(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

const notFound = (res: Response) => res.status(404).json({ error: { code: "not_found", message: "no such file" } });

/**
 * An error answered after send() set the file's headers: they are taken back, so the JSON is labelled
 * as JSON (res.json keeps a Content-Type already set), is not offered as the file's download, and is
 * not cached as the file for a year (`no-store`).
 */
function fileError(res: Response, status: number, body: { error: { code: string; message: string; retryAfter?: number } }) {
  for (const name of ["Content-Type", "Content-Disposition", "ETag"]) res.removeHeader(name);
  res.setHeader("Cache-Control", "no-store");
  res.status(status).json(body);
}

async function send(
  deps: FileRouteDeps,
  req: Request,
  res: Response,
  o: { key: string; type: string; size?: number; file: Attachment; etag: string; guest: boolean },
) {
  res.setHeader("Content-Type", o.type === "text/plain" ? "text/plain; charset=utf-8" : o.type);
  res.setHeader("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("Content-Disposition", contentDisposition(o.file.name, { type: inline(o.type) ? "inline" : "attachment" }));
  // A guest's copy is revalidated on every use (the ETag makes that a 304), so switching guest access
  // off takes effect at once; an account keeps its copy (a file never changes).
  res.setHeader("Cache-Control", o.guest ? "private, no-cache" : "private, max-age=31536000, immutable");
  res.setHeader("ETag", o.etag);
  res.setHeader("Accept-Ranges", "bytes");
  if (noneMatchHolds(req.headers["if-none-match"], o.etag)) return void res.status(304).end();

  let range: { start: number; end: number } | undefined;
  const asked = req.headers.range;
  const ifRange = req.headers["if-range"];
  if (asked && o.size !== undefined && (ifRange === undefined || ifRange === o.etag)) {
    const parsed = byteRanges(o.size, asked);
    if (parsed === -1) {
      res.setHeader("Content-Range", `bytes */${o.size}`);
      return fileError(res, 416, { error: { code: "bad_request", message: "range not satisfiable" } });
    }
    // `combine` merged the ranges that overlap or touch (a dropped unsatisfiable one aside); ranges that
    // stay several get the whole file rather than multipart/byteranges (RFC 9110 lets a server ignore Range).
    if (Array.isArray(parsed) && parsed.type === "bytes" && parsed.length === 1) range = parsed[0];
  }
  let body: Awaited<ReturnType<FileRouteDeps["storage"]["read"]>>;
  try {
    body = await deps.storage.read(o.key, range);
  } catch (err) {
    // The store failed (S3 unreachable, a disk error): an error, not the file, with no year of caching;
    // a store not answering is "try again shortly" (503, Retry-After), anything else a fault of ours.
    deps.log.error({ err, module: "files", key: o.key }, "reading a stored file failed");
    const down = unavailableAnswer(err);
    if (down) res.setHeader("Retry-After", String(down.retryAfter));
    return fileError(res, down ? 503 : 500, { error: down ? errorBody(down) : { code: "internal", message: "internal error" } });
  }
  if (!body) {
    deps.log.error({ module: "files", key: o.key }, "stored file missing");
    return fileError(res, 404, { error: { code: "not_found", message: "no such file" } });
  }
  if (range) {
    res.status(206);
    res.setHeader("Content-Range", `bytes ${range.start}-${range.end}/${o.size}`);
    res.setHeader("Content-Length", String(range.end - range.start + 1));
  } else if (o.size !== undefined) {
    res.setHeader("Content-Length", String(o.size));
  }
  if (req.method === "HEAD") {
    body.destroy();
    return void res.end();
  }
  // A client that stops reading would otherwise hold the connection and the open file for ever: once
  // nothing was taken for SEND_TIMEOUT_MS the response is cut off (Node resets the socket's timeout for
  // keep-alive when a response ends, so this covers the transfer only).
  res.setTimeout(deps.sendTimeoutMs ?? 60_000, () => {
    deps.log.info({ module: "files", key: o.key }, "cut off a download the client stopped reading");
    res.destroy();
  });
  await pipeline(body, res).catch((err: unknown) => {
    // A client that stops watching a video mid-way is normal; anything else is worth a line.
    if ((err as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") deps.log.warn({ err, module: "files" }, "file transfer failed");
  });
}
