/**
 * Images cost memory by their decoded size, not their file's: a tiny PNG can declare a canvas that
 * takes hundreds of MB once decoded. prepareImage() judges an image by pixels × bytes per pixel before
 * decoding anything, and decodes one image at a time.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { imageProcessing, IMAGES_PER_OWNER, MAX_IMAGE_DECODED_BYTES, prepareImage } from "../../lib/files/inspect";
import { pngBomb } from "../helpers/uploads";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "image-limits-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Waits (a turn of the event loop at a time) until `check` holds. */
async function until(check: () => boolean, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setImmediate(r));
  }
}

const saved = async (bytes: Buffer) => {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.png`);
  await writeFile(file, bytes);
  return file;
};

describe("prepareImage: the decoded size", () => {
  // 16-bit RGBA is 8 bytes a pixel: at most 25 million pixels, though 50 million of 8-bit gray are fine.
  const limit16Rgba = MAX_IMAGE_DECODED_BYTES / 8;

  it.each([
    ["an interlaced 16-bit RGBA PNG under the pixel limit (the reported bomb's kind)", 5100, { bitDepth: 16, color: "rgba", interlaced: true }, limit16Rgba],
    ["the same, not interlaced", 5100, { bitDepth: 16, color: "rgba" }, limit16Rgba],
    ["an interlaced 16-bit RGB PNG (6 bytes a pixel)", 6000, { bitDepth: 16, color: "rgb", interlaced: true }, Math.floor(MAX_IMAGE_DECODED_BYTES / 6)],
    ["8-bit RGBA over the pixel limit, which is its decoded limit too", 7072, { color: "rgba" }, 50_000_000],
    ["16-bit grayscale over the pixel limit", 7100, { bitDepth: 16 }, 50_000_000],
  ] as const)("refuses %s before decoding it", async (_what, size, opts, limit) => {
    const file = await saved(await pngBomb(size, opts));
    await expect(prepareImage(file, "image/png", dir)).rejects.toMatchObject({ code: "too_large", reason: "image_too_large", limit });
    expect(imageProcessing.inFlight).toBe(0);
  });

  it("counts a progressive JPEG's coefficient buffers: 3 bytes a sample, so fewer pixels than a baseline one", async () => {
    const jpeg = (progressive: boolean, width: number, height: number) =>
      sharp({ create: { width, height, channels: 3, background: "#3a6" } }).jpeg({ progressive, quality: 50 }).toBuffer();
    // 24 million pixels: 72 MB as pixels, 216 MB decoded progressively.
    const file = await saved(await jpeg(true, 6000, 4000));
    await expect(prepareImage(file, "image/jpeg", dir)).rejects.toMatchObject({ code: "too_large", reason: "image_too_large", limit: Math.floor(MAX_IMAGE_DECODED_BYTES / 9) });
    // A small progressive one is taken (positive control).
    const small = await prepareImage(await saved(await jpeg(true, 800, 600)), "image/jpeg", dir);
    expect({ width: small.width, height: small.height }).toEqual({ width: 800, height: 600 });
  });

  it("takes a 16-bit RGBA image within the limit", async () => {
    const prepared = await prepareImage(await saved(await pngBomb(1000, { bitDepth: 16, color: "rgba", interlaced: true })), "image/png", dir);
    expect({ width: prepared.width, height: prepared.height }).toEqual({ width: 1000, height: 1000 });
  });
});

describe("prepareImage: one image at a time", () => {
  it(`holds at most ${IMAGES_PER_OWNER} images of one person at once; another person's still queue`, async () => {
    const image = await pngBomb(1200, { bitDepth: 16, color: "rgba" });
    const files = await Promise.all(Array.from({ length: IMAGES_PER_OWNER + 2 }, () => saved(image)));
    const results = await Promise.allSettled(files.map((f, i) => prepareImage(f, "image/png", dir, { owner: i <= IMAGES_PER_OWNER ? "u1" : "u2" })));
    // Whichever of u1's images had its header read last is refused (the headers are read in parallel).
    const u1 = results.slice(0, IMAGES_PER_OWNER + 1);
    expect(u1.filter((r) => r.status === "fulfilled")).toHaveLength(IMAGES_PER_OWNER);
    expect(u1.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.objectContaining({ code: "rate_limited", retryAfter: 5 }),
    ]);
    expect(results.at(-1)!.status).toBe("fulfilled");
    // Once they are done, u1 may send more.
    await expect(prepareImage(files[0], "image/png", dir, { owner: "u1" })).resolves.toMatchObject({ width: 1200 });
  });

  it("does not decode an image whose client went away while it waited", async () => {
    const files = await Promise.all([1, 2].map(async () => saved(await pngBomb(2000, { bitDepth: 16, color: "rgba" }))));
    const gone = new AbortController();
    const first = prepareImage(files[0], "image/png", dir);
    // The first holds the one place before the second asks (each reads its header first: started
    // together, the second could be the one that gets the place).
    await until(() => imageProcessing.inFlight === 1);
    const waiting = prepareImage(files[1], "image/png", dir, { signal: gone.signal });
    await until(() => imageProcessing.waiting === 1);
    gone.abort();
    await expect(waiting).rejects.toMatchObject({ code: "bad_request", message: "the upload was abandoned" });
    await expect(first).resolves.toMatchObject({ width: 2000 });
  });

  it("decodes concurrent uploads in turn, not together", async () => {
    const files = await Promise.all([1, 2, 3].map(async () => saved(await pngBomb(1500, { bitDepth: 16, color: "rgba" }))));
    let most = 0;
    let queued = 0;
    let done = false;
    const all = Promise.all(files.map((f) => prepareImage(f, "image/png", dir))).finally(() => (done = true));
    while (!done) {
      most = Math.max(most, imageProcessing.inFlight);
      queued = Math.max(queued, imageProcessing.waiting);
      await new Promise((r) => setImmediate(r));
    }
    const prepared = await all;
    expect(prepared.map((p) => p.width)).toEqual([1500, 1500, 1500]);
    expect(most).toBe(1);
    expect(queued).toBeGreaterThanOrEqual(1);
    expect(imageProcessing.inFlight).toBe(0);
  });
});
