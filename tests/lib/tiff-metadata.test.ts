import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { stripTiffMetadata } from "../../lib/files/tiff-metadata";
import { tiffFile } from "../helpers/uploads";

/**
 * stripTiffMetadata on TIFF-structured files built entry by entry (tests/helpers/uploads.ts, tiffFile):
 * the GPS IFD and its values, XMP and the serial number become zeros; every other byte stays.
 */
let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "hibiki-tiff-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes `bytes` to a file, strips it, and returns what the file holds then and how many bytes were zeroed. */
async function stripped(bytes: Buffer): Promise<{ out: Buffer; zeroed: number }> {
  const file = path.join(dir, `f${n++}.tif`);
  await writeFile(file, bytes);
  const zeroed = await stripTiffMetadata(file);
  return { out: await readFile(file), zeroed };
}

const has = (b: Buffer, text: string) => b.includes(Buffer.from(text, "latin1"));
/** The 24 bytes of the longitude's three rationals (139/1 44/1 2845/100) in the file's byte order. */
const longitude = (le: boolean) =>
  Buffer.concat([139, 1, 44, 1, 2845, 100].map((v) => {
    const b = Buffer.alloc(4);
    if (le) b.writeUInt32LE(v);
    else b.writeUInt32BE(v);
    return b;
  }));

describe("stripTiffMetadata", () => {
  it.each<[string, { order?: "II" | "MM"; big?: boolean }]>([
    ["little-endian TIFF", { order: "II" }],
    ["big-endian TIFF", { order: "MM" }],
    ["BigTIFF", { big: true }],
  ])("empties the GPS IFD, the XMP and the serial number of a %s, and nothing else", async (_what, opts) => {
    const t = tiffFile(opts);
    const le = (opts.order ?? "II") === "II";
    for (const secret of ["GPSLatitude", "SN-123456789", "PhoneCo", "2026:11:30"]) expect([secret, has(t.bytes, secret)]).toEqual([secret, true]);
    expect(t.bytes.includes(longitude(le))).toBe(true);
    const { out, zeroed } = await stripped(t.bytes);
    expect(out.length).toBe(t.bytes.length);
    expect(zeroed).toBeGreaterThan(0);
    for (const secret of ["GPSLatitude", "SN-123456789"]) expect([secret, has(out, secret)]).toEqual([secret, false]);
    expect(out.includes(longitude(le))).toBe(false);
    // The GPS IFD reads as one of no entries and no next IFD.
    expect(out.subarray(t.gps, t.gps + (opts.big ? 16 : 6)).every((b) => b === 0)).toBe(true);
    // What a reader of the picture needs is as it was: the make, the time, the pixels.
    expect(has(out, "PhoneCo")).toBe(true);
    expect(has(out, "2026:11:30 10:00:00")).toBe(true);
    expect([...out.subarray(t.pixels, t.pixels + 4)]).toEqual([10, 20, 30, 40]);
    expect(await sharp(out).metadata()).toMatchObject({ format: "tiff", width: 2, height: 2 });
    expect((await sharp(out).raw().toBuffer()).equals(await sharp(t.bytes).raw().toBuffer())).toBe(true);
    // Every byte that changed is in the GPS IFD, its values, the XMP or the serial number.
    const wiped = (i: number) =>
      (i >= t.gps && i < t.gpsValues[0]) || t.gpsValues.some((v) => i >= v && i < v + 24) || (i >= t.xmp && i < t.xmp + 300) || (i >= t.serial && i < t.serial + 13);
    const differing = [...t.bytes.keys()].filter((i) => t.bytes[i] !== out[i]);
    expect(differing.filter((i) => !wiped(i))).toEqual([]);
  });

  it("reads the raw formats' own header words (Olympus ORF) as TIFF", async () => {
    const t = tiffFile({ magic: 0x4f52 });
    const { out } = await stripped(t.bytes);
    expect([has(out, "GPSLatitude"), has(out, "SN-123456789"), out.includes(longitude(true))]).toEqual([false, false, false]);
  });

  it("leaves a file that is not TIFF-structured as it is", async () => {
    for (const bytes of [Buffer.from("II*\u0000 is how a text may start, too", "latin1").subarray(0, 3), Buffer.from("%PDF-1.7\n% GPSLatitude\n"), Buffer.alloc(100)]) {
      const { out, zeroed } = await stripped(bytes);
      expect([zeroed, out.equals(bytes)]).toEqual([0, true]);
    }
  });

  it("stops at crafted IFDs: a chain pointing at itself, offsets past the end, absurd counts", async () => {
    const t = tiffFile();
    // IFD0's next-IFD offset pointing back at IFD0: read once.
    const ifd0 = t.bytes.readUInt32LE(4);
    const entries = t.bytes.readUInt16LE(ifd0);
    const looped = Buffer.from(t.bytes);
    looped.writeUInt32LE(ifd0, ifd0 + 2 + entries * 12);
    const a = await stripped(looped);
    expect([has(a.out, "GPSLatitude"), has(a.out, "SN-123456789")]).toEqual([false, false]);
    // The first IFD past the end of the file, or an entry count of 65,535: nothing read, nothing written.
    for (const broken of [
      Buffer.concat([t.bytes.subarray(0, 4), Buffer.from([0xff, 0xff, 0xff, 0x7f]), t.bytes.subarray(8)]),
      (() => {
        const b = Buffer.from(t.bytes);
        b.writeUInt16LE(0xffff, ifd0);
        return b;
      })(),
    ]) {
      const { out, zeroed } = await stripped(broken);
      expect([zeroed, out.equals(broken)]).toEqual([0, true]);
    }
    // A GPS value whose count runs far past the end: cut at the end of the file, written once.
    const long = Buffer.from(t.bytes);
    const gpsEntries = long.readUInt16LE(t.gps);
    for (let i = 0; i < gpsEntries; i++) {
      const e = t.gps + 2 + i * 12;
      if (long.readUInt16LE(e) === 4) long.writeUInt32LE(0x7fffffff, e + 4);
    }
    const c = await stripped(long);
    expect(c.out.length).toBe(long.length);
    expect(c.zeroed).toBeLessThanOrEqual(long.length);
  });
});
