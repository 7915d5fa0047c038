import { rm } from "node:fs/promises";
import { Router } from "express";
import type { Chat } from "../chat/chat";
import type { Identify } from "../auth/identify";
import type { Database } from "../db";
import { acceptUpload } from "../files/accept";
import type { FileStorage } from "../files/storage";
import { cleanFileName } from "../chat/uploads";
import { AppError } from "../errors";
import { RateLimiterRes } from "rate-limiter-flexible";
import { rateLimited, type Limits } from "../limits";
import { identityOf, requireUser } from "./guards";
import { receiveFile } from "./receive-file";
import { refuseArchived } from "../chat/rooms";

export type UploadRouteDeps = {
  db: Database;
  chat: Chat;
  identify: Identify;
  storage: FileStorage;
  limits: Limits;
  maxBytes: number;
  /** Told the size in bytes, as received, of every accepted upload (metrics). */
  onUploaded?: (bytes: number) => void;
};

/**
 * `POST /api/rooms/:room/uploads` (multipart, one part named `file`) → `201 { upload: Attachment }`.
 * Only a user who may post in the room; the room is checked before a byte is read. Uploads are a costly
 * action: a per-minute rate and daily file and byte quotas per user, all answered with `429`; a file
 * refused after it arrived (or not stored) costs nothing of the daily quotas.
 */
export function uploadRoutes(deps: UploadRouteDeps): Router {
  const r = Router();
  r.post("/:room/uploads", requireUser(deps.identify), async (req, res) => {
    const { user } = identityOf(res);
    const room = await deps.chat.access(user, req.params.room);
    // Nothing can be sent to an archived room: a file for it would never be.
    refuseArchived(room);
    await deps.limits.take("upload", user.id);
    await deps.limits.take("upload-files", user.id);
    const bytes = deps.limits.limiter("upload-bytes");
    const left = await bytes?.get(user.id);
    if (left && left.remainingPoints <= 0) throw rateLimited("uploaded bytes today", left.msBeforeNext);
    const received = await receiveFile(req, { tmpDir: deps.storage.tmpDir, maxBytes: deps.maxBytes });
    try {
      await bytes?.consume(user.id, received.size);
    } catch (err) {
      // A refused charge still counted its points; give them back, this file is not kept.
      await bytes?.reward(user.id, received.size).catch(() => undefined);
      await rm(received.file, { force: true });
      throw err instanceof RateLimiterRes ? rateLimited("uploaded bytes today", err.msBeforeNext) : err;
    }
    // The response closing before it was sent: the client went away (aborted, disconnected).
    const gone = new AbortController();
    res.on("close", () => res.writableFinished || gone.abort());
    let upload;
    try {
      upload = await acceptUpload(deps, { user, room, file: received.file, name: cleanFileName(received.name), size: received.size, signal: gone.signal });
    } catch (err) {
      // Refused (an image that does not decode, too many pixels), abandoned or not stored: nothing is
      // kept, so the day's file and byte quotas get their points back (the per-minute rate keeps its
      // point: the work was done).
      await bytes?.reward(user.id, received.size).catch(() => undefined);
      await deps.limits.limiter("upload-files")?.reward(user.id, 1).catch(() => undefined);
      throw err;
    }
    deps.onUploaded?.(received.size);
    res.status(201).json({ upload });
  });
  return r;
}
