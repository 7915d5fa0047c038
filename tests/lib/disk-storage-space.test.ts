/**
 * Disk storage is not ready when its disk is (nearly) full: an operator trial filled DATA_DIR's disk and
 * `/readyz` still answered ready while every post and upload failed. The free space is read from the
 * real file system (statfs); the test moves the bar instead of filling a disk.
 */
import { mkdtempSync, rmSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MIN_FREE_BYTES, openDiskStorage } from "../../lib/files/storage";

describe("disk storage's readiness and free space", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "hibiki-space-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is ready with more free space than its minimum, and says how much is free when there is less", async () => {
    const s = statfsSync(dir);
    const free = s.bavail * s.bsize;
    // This machine's temp disk has room: the default bar passes (as it must for every other test).
    expect(free).toBeGreaterThan(MIN_FREE_BYTES);
    await expect((await openDiskStorage(dir)).ping()).resolves.toBeUndefined();
    await expect((await openDiskStorage(dir, { minFreeBytes: free - 1024 * 1024 })).ping()).resolves.toBeUndefined();
    const full = await openDiskStorage(dir, { minFreeBytes: free * 2 });
    await expect(full.ping()).rejects.toThrow(/file storage: .+ has \d+ bytes free, less than \d+/);
  });
});
