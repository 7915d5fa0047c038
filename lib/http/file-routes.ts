import { pipeline } from "node:stream/promises";
import { Router, type Request, type Response } from "express";
import { create as contentDisposition } from "content-disposition";
import parseRange from "range-parser";
import type { Identify } from "../auth/identify";
import type { Database } from "../db";
import type { Attachment } from "../chat/types";
import { findReadableUpload, thumbKey } from "../chat/uploads";
import type { FileStorage } from "../files/storage";
import { isImageType } from "../files/inspect";
import type { Logger } from "../log";
import { bearerToken } from "./guards";

export type FileRouteDeps = { db: Database; identify: Identify; storage: FileStorage; log: Logger };

/** Types a browser may show inline: re-encoded raster images, audio and video. Everything else downloads. */
const inline = (type: string) => isImageType(type) || type.startsWith("audio/") || type.startsWith("video/");

/**
 * `GET /api/files/:id/:name` (the file) and `GET /api/files/:id/thumb` (its WebP thumbnail), for users
 * who can read the file's room now (the uploader alone before it is sent); `404` for anyone else, the
 * same as for a file that does not exist. Files never change, so they are cached for good (privately)
 * and carry a strong ETag; `Range` gets `206` (video seeking).
 */
export function fileRoutes(deps: FileRouteDeps): Router {
  const r = Router();
  const serve = (variant: "file" | "thumb") => async (req: Request, res: Response) => {
    const identity = await deps.identify({ cookie: req.headers.cookie, token: bearerToken(req) }).catch(() => null);
    const file = identity && identity.via !== "guest" ? await findReadableUpload(deps.db, identity.user, String(req.params.id)) : null;
    if (!file || (variant === "thumb" && !file.thumbUrl)) return notFound(res);
    const key = variant === "thumb" ? thumbKey(file.id) : file.id;
    const type = variant === "thumb" ? "image/webp" : file.type;
    const size = variant === "thumb" ? undefined : file.size;
    await send(deps, req, res, { key, type, size, file, etag: `"${file.id}${variant === "thumb" ? ".t" : ""}"` });
  };
  r.get("/:id/thumb", serve("thumb"));
  r.get("/:id/:name", serve("file"));
  return r;
}

const notFound = (res: Response) => res.status(404).json({ error: { code: "not_found", message: "no such file" } });

async function send(
  deps: FileRouteDeps,
  req: Request,
  res: Response,
  o: { key: string; type: string; size?: number; file: Attachment; etag: string },
) {
  res.setHeader("Content-Type", o.type === "text/plain" ? "text/plain; charset=utf-8" : o.type);
  res.setHeader("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("Content-Disposition", contentDisposition(o.file.name, { type: inline(o.type) ? "inline" : "attachment" }));
  res.setHeader("Cache-Control", "private, max-age=31536000, immutable");
  res.setHeader("ETag", o.etag);
  res.setHeader("Accept-Ranges", "bytes");
  if (req.headers["if-none-match"]?.split(",").some((t) => t.trim() === o.etag)) return void res.status(304).end();

  let range: { start: number; end: number } | undefined;
  const asked = req.headers.range;
  const ifRange = req.headers["if-range"];
  if (asked && o.size !== undefined && (ifRange === undefined || ifRange === o.etag)) {
    const parsed = parseRange(o.size, asked, { combine: true });
    if (parsed === -1) {
      res.setHeader("Content-Range", `bytes */${o.size}`);
      return void res.status(416).json({ error: { code: "bad_request", message: "range not satisfiable" } });
    }
    // One range only; a multi-range request gets the whole file (RFC 9110 lets a server ignore Range).
    if (Array.isArray(parsed) && parsed.type === "bytes" && parsed.length === 1) range = parsed[0];
  }
  const body = await deps.storage.read(o.key, range);
  if (!body) {
    deps.log.error({ module: "files", key: o.key }, "stored file missing");
    return notFound(res);
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
  await pipeline(body, res).catch((err: unknown) => {
    // A client that stops watching a video mid-way is normal; anything else is worth a line.
    if ((err as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") deps.log.warn({ err, module: "files" }, "file transfer failed");
  });
}
