import { constants } from "node:fs";
import { access, copyFile, mkdtemp, open, rename, rm, statfs, type FileHandle } from "node:fs/promises";
import { createDirectory } from "./directories";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";

/** An inclusive byte range, as in an HTTP `Range` header (RFC 9110 §14.1.2). */
export type ByteRange = { start: number; end: number };

/**
 * Where uploaded files live. Keys are opaque ASCII strings made by the server (upload ids), never user
 * input. Two drivers: local disk (one instance) and S3-compatible object storage (several instances).
 */
export interface FileStorage {
  readonly kind: "disk" | "s3";
  /** A local directory for files being received and processed before `put` (same filesystem as disk storage). */
  readonly tmpDir: string;
  /** Stores the local file at `localPath` under `key`; the local file may be moved away. */
  put(key: string, localPath: string, info: { type: string; size: number }): Promise<void>;
  /**
   * The bytes of `key` (or of `range`); `null` when there is no such file. A stream returned holds the
   * file's bytes as they were when it was returned: removing the file meanwhile does not cut it short.
   */
  read(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Removes the files (missing ones are not an error). */
  remove(keys: string[]): Promise<void>;
  /**
   * Resolves when the store can serve files, for `/readyz`; rejects with an Error saying what is wrong
   * (a directory that cannot be written, a bucket that does not exist, an endpoint that does not answer).
   */
  ping(): Promise<void>;
  /** Releases what the driver holds (a temporary directory, connections). */
  close(): Promise<void>;
}

/** Keys are made by the server; anything else is a programming error, never a path. */
const KEY = /^[A-Za-z0-9_-]{1,64}(\.[a-z]{1,8})?$/;
export function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`invalid storage key: ${key}`);
  return key;
}

/**
 * Free space below which disk storage is not ready, in bytes (16 MiB): with less, uploads fail, and so does
 * the embedded database's next write when it shares the disk (DATA_DIR). `/readyz` then says so (503,
 * "file storage") instead of answering ready while every post and upload fails.
 */
export const MIN_FREE_BYTES = 16 * 1024 * 1024;

/**
 * Files on local disk under `root` (DATA_DIR/files): `root/ab/abcdef…` (two-character fan-out, so no
 * directory grows huge), and `root/tmp` for uploads in progress. A temporary directory removed on close
 * when `ephemeral` (an in-memory database keeps no files either). `minFreeBytes`: see MIN_FREE_BYTES.
 */
export async function openDiskStorage(root: string, opts: { ephemeral?: boolean; minFreeBytes?: number } = {}): Promise<FileStorage> {
  const minFree = opts.minFreeBytes ?? MIN_FREE_BYTES;
  const base = opts.ephemeral ? await mkdtemp(path.join(tmpdir(), "hibiki-files-")) : path.resolve(root);
  const tmpDir = path.join(base, "tmp");
  await createDirectory(tmpDir);
  // Whatever an earlier run left half-received is garbage now.
  if (!opts.ephemeral) await rm(tmpDir, { recursive: true, force: true }).then(() => createDirectory(tmpDir));
  const where = (key: string) => path.join(base, checkKey(key).slice(0, 2), key);
  return {
    kind: "disk",
    tmpDir,
    async put(key, localPath) {
      const dest = where(key);
      await createDirectory(path.dirname(dest));
      try {
        await rename(localPath, dest);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
        await copyFile(localPath, dest);
      }
    },
    async read(key, range) {
      // Opened here, not by the stream: a stream opens its file later, so a file removed in between (a
      // message deleted while its attachment is being downloaded) failed the response after its headers.
      // An open file's bytes stay readable after it is removed (POSIX unlink).
      let handle: FileHandle;
      try {
        handle = await open(where(key), "r");
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") return null;
        throw err;
      }
      // The stream closes the handle when it ends, fails or is destroyed (autoClose).
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async remove(keys) {
      await Promise.all(keys.map((k) => rm(where(k), { force: true })));
    },
    async ping() {
      await access(tmpDir, constants.W_OK).catch((err: NodeJS.ErrnoException) => {
        throw new Error(`file storage: ${base} cannot be written (${err.code ?? err.message})`);
      });
      // Free to this process (bavail: what is left once the blocks reserved for root are set aside).
      const fs = await statfs(base);
      const free = fs.bavail * fs.bsize;
      if (free < minFree) throw new Error(`file storage: ${base} has ${free} bytes free, less than ${minFree}`);
    },
    async close() {
      if (opts.ephemeral) await rm(base, { recursive: true, force: true });
    },
  };
}
