/**
 * Images cost memory by their decoded size, not their file's: a tiny PNG can declare a canvas that
 * takes hundreds of MB once decoded. prepareImage() judges an image by pixels × bytes per pixel before
 * decoding anything, and decodes one image at a time.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { imageProcessing, MAX_IMAGE_DECODED_BYTES, prepareImage } from "../../lib/files/inspect";
import { pngBomb } from "../helpers/uploads";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "image-limits-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

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

  it("takes a 16-bit RGBA image within the limit", async () => {
    const prepared = await prepareImage(await saved(await pngBomb(1000, { bitDepth: 16, color: "rgba", interlaced: true })), "image/png", dir);
    expect({ width: prepared.width, height: prepared.height }).toEqual({ width: 1000, height: 1000 });
  });
});

describe("prepareImage: one image at a time", () => {
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
