/**
 * Disk storage's read(): a stream it returned holds the file as it was when returned. The stream used to
 * open its file only after read() had answered, so a file removed in between (a message deleted while
 * its attachment was being downloaded) failed the stream with ENOENT after the response's headers had
 * gone out. Removing the file synchronously right after read() resolves lands in exactly that gap.
 */
import { mkdtempSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { openDiskStorage, type FileStorage } from "../../lib/files/storage";

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("disk storage's read", () => {
  let dir: string;
  let store: FileStorage;
  /** Stores `bytes` under `key`; returns the stored file's path. */
  async function put(key: string, bytes: Buffer): Promise<string> {
    const src = path.join(store.tmpDir, `${key}.part`);
    writeFileSync(src, bytes);
    await store.put(key, src, { type: "application/octet-stream", size: bytes.length });
    return path.join(dir, key.slice(0, 2), key);
  }
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "hibiki-read-"));
    store = await openDiskStorage(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31) % 251));

  it("gives the whole file to a stream whose file is removed right after read() answers", async () => {
    const file = await put("abcdef0123", bytes);
    const stream = await store.read("abcdef0123");
    expect(stream).not.toBeNull();
    unlinkSync(file);
    expect((await bytesOf(stream!)).equals(bytes)).toBe(true);
  });

  it("gives the whole range when the file is removed, and when it is removed through the store", async () => {
    const file = await put("abcdef4567", bytes);
    const ranged = await store.read("abcdef4567", { start: 1000, end: 150_999 });
    unlinkSync(file);
    expect((await bytesOf(ranged!)).equals(bytes.subarray(1000, 151_000))).toBe(true);

    await put("abcdef8901", bytes);
    const whole = await store.read("abcdef8901");
    const removed = store.remove(["abcdef8901"]);
    expect((await bytesOf(whole!)).equals(bytes)).toBe(true);
    await removed;
    expect(await store.read("abcdef8901")).toBeNull();
  });

  it("answers null for a key with no file, and fails (not null) when the file is there but cannot be opened", async () => {
    expect(await store.read("nosuchkey0")).toBeNull();
    // A file that cannot be opened, whoever runs the test (root reads any mode): a symbolic link to itself.
    const file = await put("abcdefloop", bytes);
    rmSync(file);
    symlinkSync(file, file);
    await expect(store.read("abcdefloop")).rejects.toMatchObject({ code: "ELOOP" });
  });

  it("lets go of the file when a stream is destroyed unread (a HEAD request)", async () => {
    await put("abcdefhead", bytes);
    const file = path.join(dir, "ab", "abcdefhead");
    const stream = (await store.read("abcdefhead"))!;
    const fd = (stream as Readable & { fd: number }).fd;
    expect(readlinkSync(`/proc/self/fd/${fd}`)).toBe(file);
    const closed = new Promise<void>((resolve) => stream.once("close", () => resolve()));
    stream.destroy();
    await closed;
    // The descriptor is closed (or already another file's).
    let now: string | null;
    try {
      now = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      now = null;
    }
    expect(now).not.toBe(file);
  });
});
