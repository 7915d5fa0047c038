import { rm } from "node:fs/promises";
import { Router } from "express";
import type { Chat } from "../chat/chat";
import type { Identify } from "../auth/identify";
import type { Database } from "../db";
import { acceptUpload } from "../files/accept";
import type { FileStorage } from "../files/storage";
import { cleanFileName } from "../chat/uploads";
import { AppError } from "../errors";
import { consume, type Limits } from "../limits";
import { identityOf, requireUser } from "./guards";
import { receiveFile } from "./receive-file";

export type UploadRouteDeps = {
  db: Database;
  chat: Chat;
  identify: Identify;
  storage: FileStorage;
  limits: Limits;
  maxBytes: number;
};

/**
 * `POST /api/rooms/:room/uploads` (multipart, one part named `file`) → `201 { upload: Attachment }`.
 * Only a user who may post in the room; the room is checked before a byte is read. Uploads are a costly
 * action: a per-minute rate and daily file and byte quotas per user, all answered with `429`.
 */
export function uploadRoutes(deps: UploadRouteDeps): Router {
  const r = Router();
  r.post("/:room/uploads", requireUser(deps.identify), async (req, res) => {
    const { user } = identityOf(res);
    const room = await deps.chat.access(user, req.params.room);
    await consume(deps.limits.uploads, user.id, "uploads");
    await consume(deps.limits.uploadFilesDaily, user.id, "uploads today");
    const left = await deps.limits.uploadBytesDaily?.get(user.id);
    if (left && left.remainingPoints <= 0) throw new AppError("rate_limited", "daily upload volume reached; try again tomorrow");
    const received = await receiveFile(req, { tmpDir: deps.storage.tmpDir, maxBytes: deps.maxBytes });
    try {
      await consume(deps.limits.uploadBytesDaily, user.id, "uploaded bytes today", received.size);
    } catch (err) {
      // A refused charge still counted its points; give them back, this file is not kept.
      await deps.limits.uploadBytesDaily?.reward(user.id, received.size).catch(() => undefined);
      await rm(received.file, { force: true });
      throw err;
    }
    const upload = await acceptUpload(deps, { user, room, file: received.file, name: cleanFileName(received.name), size: received.size });
    res.status(201).json({ upload });
  });
  return r;
}
