import { request as httpRequest } from "node:http";
import sharp from "sharp";
import type { TestServer } from "./server";

export type UploadResult = { status: number; body: any; headers: Headers };

/** POSTs one file as multipart/form-data (part `file`), the way a browser's FormData does. */
export async function upload(
  server: TestServer,
  room: string,
  file: { name: string; bytes: Buffer | Uint8Array; type?: string },
  auth: { cookie?: string; token?: string; origin?: string } = {},
): Promise<UploadResult> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.type ?? "application/octet-stream" }), file.name);
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.origin) headers.origin = auth.origin;
  const res = await fetch(`${server.url}/api/rooms/${encodeURIComponent(room)}/uploads`, { method: "POST", body: form, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** A GET of a file URL: status, headers and the body bytes. */
export async function download(server: TestServer, url: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + url, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Sends a raw HTTP request body (for bodies fetch will not produce, such as a cut-off multipart). */
export function rawPost(server: TestServer, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url + path);
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers }, (res) => {
      let data = "";
      res.on("data", (d) => (data += d));
      res.on("end", () => resolve({ status: res.statusCode!, body: data ? JSON.parse(data) : null }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A photo as a phone takes it: JPEG, EXIF orientation 6 (rotate 90°) and GPS coordinates. */
export function phonePhoto(width = 64, height = 32): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: "PhoneCo", Model: "Pocket 12" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "35/1 39/1 2910/100", GPSLongitudeRef: "E", GPSLongitude: "139/1 44/1 2880/100" },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/**
 * A photo as an iPhone saves it, HEIF with EXIF (camera, GPS) and XMP items: sharp writes the HEIF
 * container (with AV1 pictures, as its prebuilt libheif has no HEVC encoder), branded `heic` as a
 * phone's file is, so it is sniffed as image/heic.
 */
export async function phoneHeic(): Promise<Buffer> {
  const heif = await sharp({ create: { width: 64, height: 32, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .withExif({
      IFD0: { Make: "PhoneCo", Model: "Pocket 12" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "35/1 39/1 2910/100", GPSLongitudeRef: "E", GPSLongitude: "139/1 44/1 2880/100" },
    })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="35,39.485N"/></rdf:RDF></x:xmpmeta>')
    .heif({ compression: "av1", quality: 50 })
    .toBuffer();
  heif.write("heic", 8, "latin1"); // ftyp's major brand
  return heif;
}

/** One IFD entry for tiffFile: tag, field type (TIFF 6.0 §2), count, the value's bytes (in the file's byte order). */
export type TiffEntry = { tag: number; type: number; count: number; value: Buffer };

/**
 * A TIFF-structured file as a camera or phone writes one (TIFF, or BigTIFF with `big`; `magic` for the
 * raw formats' own header words, e.g. 0x4f52 for Olympus ORF), built by hand since no library here writes
 * EXIF into TIFF: a 2 × 2 grey picture (bytes 10, 20, 30, 40), IFD0 with the camera's make, XMP holding a
 * GPS position, an Exif IFD (time taken, body serial number) and a GPS IFD (N 35°39'30.3", E 139°44'28.45").
 * Returns the file and where its parts are: `gps` the GPS IFD, `gpsValues` its out-of-line values,
 * `pixels` the picture, `xmp` and `serial` the values of those tags.
 */
export function tiffFile(opts: { order?: "II" | "MM"; big?: boolean; magic?: number } = {}) {
  const le = (opts.order ?? "II") === "II";
  const big = opts.big === true;
  const num = (bytes: number, v: number) => {
    const b = Buffer.alloc(bytes);
    if (bytes === 1) b.writeUInt8(v);
    else if (bytes === 2) (le ? b.writeUInt16LE(v) : b.writeUInt16BE(v));
    else if (bytes === 4) (le ? b.writeUInt32LE(v) : b.writeUInt32BE(v));
    else (le ? b.writeBigUInt64LE(BigInt(v)) : b.writeBigUInt64BE(BigInt(v)));
    return b;
  };
  const short = (v: number): TiffEntry => ({ tag: 0, type: 3, count: 1, value: num(2, v) });
  const ascii = (text: string): Omit<TiffEntry, "tag"> => ({ type: 2, count: text.length + 1, value: Buffer.from(`${text}\0`, "latin1") });
  const rationals = (...parts: [number, number][]) => ({ type: 5, count: parts.length, value: Buffer.concat(parts.flatMap(([n, d]) => [num(4, n), num(4, d)])) });
  const pointer = (v: number) => (big ? { type: 16, count: 1, value: num(8, v) } : { type: 4, count: 1, value: num(4, v) });
  const xmpText = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="35,39.505N"/></rdf:RDF></x:xmpmeta>';
  const inline = big ? 8 : 4;
  const entryBytes = big ? 20 : 12;
  const countBytes = big ? 8 : 2;
  const parts: Buffer[] = [];
  let length = 0;
  const append = (b: Buffer) => {
    const at = length;
    parts.push(b);
    length += b.length;
    if (length % 2) (parts.push(Buffer.alloc(1)), length++);
    return at;
  };
  /** Writes an IFD (entries sorted by tag) and then its out-of-line values; returns where the IFD and each value are. */
  const ifd = (entries: TiffEntry[]) => {
    const sorted = [...entries].sort((a, b) => a.tag - b.tag);
    const size = countBytes + sorted.length * entryBytes + (big ? 8 : 4);
    const at = length;
    let valueAt = at + size + ((at + size) % 2);
    const valueOffsets: number[] = [];
    const table = Buffer.alloc(size);
    num(countBytes, sorted.length).copy(table, 0);
    sorted.forEach((e, i) => {
      const o = countBytes + i * entryBytes;
      num(2, e.tag).copy(table, o);
      num(2, e.type).copy(table, o + 2);
      num(big ? 8 : 4, e.count).copy(table, o + 4);
      if (e.value.length <= inline) {
        e.value.copy(table, o + (big ? 12 : 8));
        valueOffsets.push(at + o + (big ? 12 : 8));
      } else {
        num(big ? 8 : 4, valueAt).copy(table, o + (big ? 12 : 8));
        valueOffsets.push(valueAt);
        valueAt += e.value.length + (e.value.length % 2);
      }
    });
    append(table);
    for (const e of sorted) if (e.value.length > inline) append(e.value);
    return { at, values: valueOffsets, sorted };
  };
  // Header; IFD0 is written last, at an offset the header points to.
  const header = Buffer.alloc(big ? 16 : 8);
  header.write(le ? "II" : "MM", 0, "latin1");
  num(2, opts.magic ?? (big ? 43 : 42)).copy(header, 2);
  if (big) (num(2, 8).copy(header, 4), num(2, 0).copy(header, 6));
  append(header);
  const pixels = append(Buffer.from([10, 20, 30, 40]));
  const gps = ifd([
    { tag: 0, type: 1, count: 4, value: Buffer.from([2, 3, 0, 0]) },
    { tag: 1, ...ascii("N") },
    { tag: 2, ...rationals([35, 1], [39, 1], [3030, 100]) },
    { tag: 3, ...ascii("E") },
    { tag: 4, ...rationals([139, 1], [44, 1], [2845, 100]) },
  ]);
  const exif = ifd([
    { tag: 36867, ...ascii("2026:11:30 10:00:00") },
    { tag: 42033, ...ascii("SN-123456789") },
  ]);
  const ifd0 = ifd([
    { ...short(2), tag: 256 },
    { ...short(2), tag: 257 },
    { ...short(8), tag: 258 },
    { ...short(1), tag: 259 },
    { ...short(1), tag: 262 },
    { tag: 271, ...ascii("PhoneCo") },
    { tag: 273, ...pointer(pixels) },
    { ...short(1), tag: 277 },
    { ...short(2), tag: 278 },
    { tag: 279, ...pointer(4) },
    { tag: 700, type: 1, count: xmpText.length, value: Buffer.from(xmpText, "latin1") },
    { tag: 34665, ...pointer(exif.at) },
    { tag: 34853, ...pointer(gps.at) },
  ]);
  const bytes = Buffer.concat(parts);
  num(big ? 8 : 4, ifd0.at).copy(bytes, big ? 8 : 4);
  const valueOf = (table: typeof ifd0, tag: number) => table.values[table.sorted.findIndex((e) => e.tag === tag)];
  return {
    bytes,
    pixels,
    gps: gps.at,
    gpsValues: [valueOf(gps, 2), valueOf(gps, 4)],
    xmp: valueOf(ifd0, 700),
    serial: valueOf(exif, 42033),
  };
}

export const png = (width = 20, height = 10) =>
  sharp({ create: { width, height, channels: 3, background: { r: 0, g: 120, b: 255 } } }).png().toBuffer();

/**
 * A valid PNG of `size`×`size` black pixels whose file is tiny (its rows are all zeros, which deflate
 * compresses ~1000:1): a decompression bomb. Built by hand, since no encoder should be asked to hold
 * the canvas. By default 8-bit grayscale; `bitDepth` 16, `color` "rgb" or "rgba" (3 or 4 samples a pixel) and
 * `interlaced` (Adam7, which a decoder cannot read a strip at a time) make each pixel cost more.
 */
export async function pngBomb(size = 20_000, opts: { bitDepth?: 8 | 16; color?: "gray" | "rgb" | "rgba"; interlaced?: boolean } = {}): Promise<Buffer> {
  const { createDeflate, crc32 } = await import("node:zlib");
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const bitDepth = opts.bitDepth ?? 8;
  const samples = { gray: 1, rgb: 3, rgba: 4 }[opts.color ?? "gray"];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  // Bit depth, color type (0 grayscale, 2 RGB, 6 RGBA), deflate, adaptive filtering, interlace method.
  ihdr.set([bitDepth, { 1: 0, 3: 2, 4: 6 }[samples]!, 0, 0, opts.interlaced ? 1 : 0], 8);
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on("data", (d: Buffer) => parts.push(d));
  const done = new Promise((r) => deflate.on("end", r));
  // Each pass of Adam7 (x0, y0, dx, dy) is a small image of its own; without interlacing, one pass of all.
  const passes = opts.interlaced
    ? [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]]
    : [[0, 0, 1, 1]];
  for (const [x0, y0, dx, dy] of passes) {
    const width = Math.ceil((size - x0) / dx);
    const height = Math.ceil((size - y0) / dy);
    if (width <= 0 || height <= 0) continue;
    const row = Buffer.alloc(1 + (width * samples * bitDepth) / 8); // filter byte 0, then the pixels
    for (let y = 0; y < height; y++) if (!deflate.write(row)) await new Promise((r) => deflate.once("drain", r));
  }
  deflate.end();
  await done;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", Buffer.concat(parts)), chunk("IEND", Buffer.alloc(0))]);
}

/** One PNG chunk (length, type, data, CRC-32 of type and data; PNG third edition §5.3). */
export function pngChunk(type: string, data: Buffer): Buffer {
  const { crc32 } = require("node:zlib") as typeof import("node:zlib");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** The chunks of a PNG file after its signature: type and the whole chunk's bytes. */
export function pngChunks(file: Buffer): { type: string; bytes: Buffer }[] {
  const out: { type: string; bytes: Buffer }[] = [];
  for (let at = 8; at + 12 <= file.length; ) {
    const total = 12 + file.readUInt32BE(at);
    out.push({ type: file.toString("latin1", at + 4, at + 8), bytes: file.subarray(at, at + total) });
    at += total;
  }
  return out;
}

/**
 * An animated PNG (APNG) of two `side`×`side` frames, noise then blue (a large side makes a large
 * first frame), with the metadata a camera app or editor writes: EXIF with a GPS IFD (`eXIf`), a comment
 * (`tEXt`, and `comments` more of them between the frames), a compressed one (`zTXt`), XMP (`iTXt`, of
 * `xmpBytes`) and `tIME`, some before the image data and some after it. The secrets it holds: "GPSLatitude", "35.6586N", "SN-123456789",
 * "PhoneCo".
 */
export async function animatedPng(opts: { xmpBytes?: number; side?: number; comments?: number } = {}): Promise<Buffer> {
  const { xmpBytes = 200, side = 8, comments = 0 } = opts;
  const { deflateSync } = await import("node:zlib");
  const frame = async (background: { r: number; g: number; b: number }, noise: boolean) => {
    const create = { width: side, height: side, channels: 3 as const, background, ...(noise ? { noise: { type: "gaussian" as const, mean: 128, sigma: 60 } } : {}) };
    const one = await sharp({ create }).png({ compressionLevel: 0 }).toBuffer();
    return Buffer.concat(pngChunks(one).filter((c) => c.type === "IDAT").map((c) => c.bytes.subarray(8, c.bytes.length - 4)));
  };
  const [red, blue] = [await frame({ r: 255, g: 0, b: 0 }, side > 8), await frame({ r: 0, g: 0, b: 255 }, false)];
  const u32 = (...values: number[]) => Buffer.concat(values.map((v) => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255])));
  const ihdr = Buffer.concat([u32(side, side), Buffer.from([8, 2, 0, 0, 0])]);
  // fcTL: sequence, width, height, x, y, delay 1/10 s, dispose none, blend source.
  const fctl = (seq: number) => Buffer.concat([u32(seq, side, side, 0, 0), Buffer.from([0, 1, 0, 10, 0, 0])]);
  const exif = Buffer.concat([Buffer.from("MM\0\x2a\0\0\0\x08", "latin1"), Buffer.from("GPSLatitude 35.6586N SN-123456789", "latin1")]);
  const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>35.6586N</exif:GPSLatitude></x:xmpmeta>`.padEnd(xmpBytes, " ");
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    pngChunk("IHDR", ihdr),
    pngChunk("acTL", u32(2, 0)),
    pngChunk("eXIf", exif),
    pngChunk("iTXt", Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0${xmp}`, "latin1")),
    pngChunk("tEXt", Buffer.from("Software\0PhoneCo Camera", "latin1")),
    pngChunk("fcTL", fctl(0)),
    pngChunk("IDAT", red),
    pngChunk("zTXt", Buffer.concat([Buffer.from("Comment\0\0", "latin1"), deflateSync(Buffer.from("taken at 35.6586N"))])),
    ...Array.from({ length: comments }, (_, i) => pngChunk("tEXt", Buffer.from(`Comment\0PhoneCo ${i}`, "latin1"))),
    pngChunk("fcTL", fctl(1)),
    pngChunk("fdAT", Buffer.concat([u32(2), blue])),
    pngChunk("tIME", Buffer.from([0x07, 0xea, 12, 4, 9, 0, 0])),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A Photoshop document (PSD, 2×2 RGB, raw image data) whose image resources hold what Photoshop keeps
 * from the photo it was made from: EXIF with a GPS location and a serial number (resource 1058), XMP
 * (1060) and IPTC (1028, under a name, so its block has a padded Pascal string), beside a resolution
 * resource (1005) that must stay. Returns the bytes, where the resolution resource's data and the
 * pixels start. The secrets: "GPSLatitude", "35.6586N", "SN-123456789", "PhoneCo".
 */
export function psdFile(): { bytes: Buffer; resolution: number; pixels: number } {
  const u16 = (v: number) => Buffer.from([v >> 8, v & 255]);
  const u32 = (v: number) => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
  const resource = (id: number, name: string, data: Buffer) => {
    const pascal = Buffer.concat([Buffer.from([name.length]), Buffer.from(name, "latin1")]);
    const padded = pascal.length % 2 ? Buffer.concat([pascal, Buffer.alloc(1)]) : pascal;
    return Buffer.concat([Buffer.from("8BIM"), u16(id), padded, u32(data.length), data, Buffer.alloc(data.length % 2)]);
  };
  const header = Buffer.concat([Buffer.from("8BPS"), u16(1), Buffer.alloc(6), u16(3), u32(2), u32(2), u16(8), u16(3)]);
  const resolutionData = Buffer.from("RESOLUTION-KEPT!", "latin1");
  const resources = [
    resource(1058, "", Buffer.concat([Buffer.from("MM\0\x2a\0\0\0\x08", "latin1"), Buffer.from("GPSLatitude 35.6586N SN-123456789", "latin1")])),
    resource(1005, "", resolutionData),
    resource(1060, "", Buffer.from(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>35.6586N</exif:GPSLatitude></x:xmpmeta>`, "latin1")),
    resource(1028, "ab", Buffer.from("\x1c\x02\x50\x00\x07PhoneCo", "latin1")),
  ];
  const section = Buffer.concat(resources);
  const before = Buffer.concat([header, u32(0), u32(section.length)]);
  const resolution = before.length + resources[0].length + 12;
  const image = Buffer.concat([u16(0), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])]);
  const bytes = Buffer.concat([before, section, u32(0), image]);
  return { bytes, resolution, pixels: bytes.length - 12 };
}

/**
 * A Canon CR3 raw photo as its box structure goes (ISO base media, brand `crx `): `moov` holds Canon's
 * metadata `uuid` box with CNCV, CMT1 (IFD0: the camera), CMT2 (Exif: the exposure), CMT4 (the GPS IFD)
 * and a THMB thumbnail; an XMP `uuid` box follows at the top level, then `mdat` with the sensor data.
 * Returns the bytes and where CMT1's, CMT2's and the sensor data's contents start. The secrets:
 * "GPSLatitude", "35.6586N".
 */
export function canonCr3(): { bytes: Buffer; cmt1: number; cmt2: number; sensor: number } {
  const u32 = (v: number) => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
  const box = (type: string, ...contents: Buffer[]) => {
    const body = Buffer.concat(contents);
    return Buffer.concat([u32(8 + body.length), Buffer.from(type, "latin1"), body]);
  };
  const tiff = (text: string) => Buffer.concat([Buffer.from("II\x2a\0\x08\0\0\0", "latin1"), Buffer.from(text, "latin1")]);
  const ftyp = box("ftyp", Buffer.from("crx \0\0\0\x01crx isom", "latin1"));
  const head = [box("CNCV", Buffer.from("CanonCR3_001/00.10.00/00.00.00", "latin1")), box("CMT1", tiff("Canon EOS R5 CAMERA-KEPT")), box("CMT2", tiff("EXPOSURE-KEPT"))];
  const canon = box("uuid", Buffer.from("85c0b687820f11e08111f4ce462b6a48", "hex"), ...head, box("CMT4", tiff("GPSLatitude 35.6586N")), box("THMB", Buffer.alloc(16, 7)));
  const moov = box("moov", canon);
  const xmp = box("uuid", Buffer.from("be7acfcb97a942e89c71999491e3afac", "hex"), Buffer.from("<x:xmpmeta><exif:GPSLatitude>35.6586N</exif:GPSLatitude></x:xmpmeta>", "latin1"));
  const mdat = box("mdat", Buffer.from("SENSOR-DATA-KEPT", "latin1"));
  const bytes = Buffer.concat([ftyp, moov, xmp, mdat]);
  const canonAt = ftyp.length + 8 + 8 + 16;
  const cmt1 = canonAt + head[0].length + 8;
  const cmt2 = cmt1 - 8 + head[1].length + 8;
  return { bytes, cmt1, cmt2, sensor: bytes.length - 16 };
}

/**
 * A JPEG XL file in its container form (ISO/IEC 18181-2): the `JXL ` signature box, `ftyp`, the
 * codestream (`jxlc`), then an `Exif` box (GPS), an `xml ` box (XMP) and a `brob` box (a compressed
 * `Exif`, its payload written plain here so the test can look for it). Returns the bytes and where the
 * codestream's contents start. The secrets: "GPSLatitude", "35.6586N".
 */
export function jxlFile(): { bytes: Buffer; codestream: number } {
  const u32 = (v: number) => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
  const box = (type: string, ...contents: Buffer[]) => {
    const body = Buffer.concat(contents);
    return Buffer.concat([u32(8 + body.length), Buffer.from(type, "latin1"), body]);
  };
  const signature = box("JXL ", Buffer.from([0x0d, 0x0a, 0x87, 0x0a]));
  const ftyp = box("ftyp", Buffer.from("jxl \0\0\0\0jxl ", "latin1"));
  const jxlc = box("jxlc", Buffer.from([0xff, 0x0a]), Buffer.from("CODESTREAM-KEPT", "latin1"));
  const exif = box("Exif", u32(0), Buffer.from("MM\0\x2a\0\0\0\x08GPSLatitude 35.6586N", "latin1"));
  const xml = box("xml ", Buffer.from("<x:xmpmeta><exif:GPSLatitude>35.6586N</exif:GPSLatitude></x:xmpmeta>", "latin1"));
  const brob = box("brob", Buffer.from("Exif", "latin1"), Buffer.from("GPSLatitude 35.6586N", "latin1"));
  const bytes = Buffer.concat([signature, ftyp, jxlc, exif, xml, brob]);
  return { bytes, codestream: signature.length + ftyp.length + 8 };
}

/**
 * A JPEG 2000 photo (JP2, or JPX with `brand: "jpx "`; ISO/IEC 15444-1 Annex I boxes) as an editing tool
 * writes one: the signature box, `ftyp`, `jp2h` (header: `ihdr`, `colr`), an EXIF `uuid` box (user type
 * "JpgTiffExif->JP2"), an XMP `uuid` box, an `xml ` box, a GeoJP2-like `uuid` box of another user type
 * (kept: it is no metadata of this code's), then the codestream (`jp2c`). The secrets: "GPSLatitude",
 * "35.6586N". `within`: superboxes (outermost first, e.g. ["asoc", "asoc"]) the three metadata boxes
 * are put in instead of the top level, each `asoc` starting with a label (`lbl `), as JPX writers
 * associate XML with a label or region. Returns the bytes and where the codestream's contents and the
 * other `uuid` box start.
 */
export function jp2File(opts: { brand?: string; within?: string[] } = {}): { bytes: Buffer; codestream: number; otherUuid: number } {
  const u32 = (v: number) => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
  const box = (type: string, ...contents: Buffer[]) => {
    const body = Buffer.concat(contents);
    return Buffer.concat([u32(8 + body.length), Buffer.from(type, "latin1"), body]);
  };
  const brand = opts.brand ?? "jp2 ";
  const signature = box("jP  ", Buffer.from([0x0d, 0x0a, 0x87, 0x0a]));
  const ftyp = box("ftyp", Buffer.from(`${brand}\0\0\0\0${brand}`, "latin1"));
  const ihdr = box("ihdr", u32(2), u32(2), Buffer.from([0, 3, 7, 7, 0, 0]));
  const colr = box("colr", Buffer.from([1, 0, 0]), u32(16));
  const jp2h = box("jp2h", ihdr, colr);
  const exif = box("uuid", Buffer.from("JpgTiffExif->JP2", "latin1"), Buffer.from("MM\0\x2a\0\0\0\x08GPSLatitude 35.6586N", "latin1"));
  const xmp = box("uuid", Buffer.from("be7acfcb97a942e89c71999491e3afac", "hex"), Buffer.from("<x:xmpmeta><exif:GPSLatitude>35.6586N</exif:GPSLatitude></x:xmpmeta>", "latin1"));
  const xml = box("xml ", Buffer.from("<caption>Taken at GPSLatitude 35.6586N</caption>", "latin1"));
  const other = box("uuid", Buffer.from("b14bf8bd083d4b43a5ae8cd7d5a6ce03", "hex"), Buffer.from("GEOREFERENCE-KEPT", "latin1"));
  const jp2c = box("jp2c", Buffer.from([0xff, 0x4f, 0xff, 0x51]), Buffer.from("CODESTREAM-KEPT", "latin1"));
  let metadata = Buffer.concat([exif, xmp, xml]);
  for (const superbox of [...(opts.within ?? [])].reverse()) {
    metadata = superbox === "asoc" ? box("asoc", box("lbl ", Buffer.from("place", "latin1")), metadata) : box(superbox, metadata);
  }
  const head = Buffer.concat([signature, ftyp, jp2h, metadata]);
  const bytes = Buffer.concat([head, other, jp2c]);
  return { bytes, codestream: head.length + other.length + 8, otherUuid: head.length };
}

/**
 * A Fujifilm RAF raw photo: its header (magic, camera, the JPEG preview's offset and length at byte 84),
 * a JPEG preview whose EXIF segment is `tiffFile()` (camera make "PhoneCo", GPS IFD, XMP, serial
 * number) and which has an XMP segment too, then the sensor data. Returns the bytes, the embedded TIFF
 * (as tiffFile returns it) and where it starts, and where the sensor data start.
 */
export function rafFile(): { bytes: Buffer; tiff: ReturnType<typeof tiffFile>; tiffAt: number; sensor: number } {
  const u16 = (v: number) => Buffer.from([v >> 8, v & 255]);
  const u32 = (v: number) => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
  const segment = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker]), u16(body.length + 2), body]);
  const tiff = tiffFile({ order: "MM" });
  const exif = segment(0xe1, Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff.bytes]));
  const xmp = segment(0xe1, Buffer.from("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>35.6586N</exif:GPSLatitude></x:xmpmeta>", "latin1"));
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), exif, xmp, segment(0xda, Buffer.alloc(6)), Buffer.from("SCAN"), Buffer.from([0xff, 0xd9])]);
  const jpegAt = 148;
  const header = Buffer.alloc(jpegAt);
  header.write("FUJIFILMCCD-RAW 0201FF383501", 0, "latin1");
  header.write("X-T5", 28, "latin1");
  Buffer.concat([u32(jpegAt), u32(jpeg.length)]).copy(header, 84);
  const sensor = Buffer.from("SENSOR-DATA-KEPT", "latin1");
  const bytes = Buffer.concat([header, jpeg, sensor]);
  return { bytes, tiff, tiffAt: jpegAt + 2 + 4 + 6, sensor: bytes.length - sensor.length };
}

/** A track of timedMetadataVideo: its handler, sample entry format and how its sample tables are written. */
export type VideoTrack = {
  handler: string;
  format: string;
  /** Sample text per chunk (each chunk's samples, in order). */
  chunks: string[][];
  /** `stsz` with a size per sample (default), `fixed`: `stsz` with one size for all (samples padded to it), `stz2`: 8-bit sizes. */
  sizes?: "stsz" | "fixed" | "stz2";
  /** `stco` (default) or `co64` chunk offsets. */
  offsets?: "stco" | "co64";
};

/**
 * An MP4 as action cameras and phones write one, built box by box (no tool here writes timed metadata):
 * `ftyp`, `mdat` with the tracks' chunks interleaved (chunk 1 of every track, then chunk 2 …), then
 * `moov` with a `udta` holding a `©xyz` location and one `trak` per track, each with real sample tables
 * (`stsd`, `stsc` in runs of equal samples per chunk, `stsz`/`stz2`, `stco`/`co64`). Returns the file
 * and, per track, the [start, length] byte ranges of its samples. Default tracks: an H.264 video (`vide`,
 * `avc1`) and a GoPro GPS stream (`meta`, `gpmd`).
 */
export function timedMetadataVideo(tracks: VideoTrack[] = [
  { handler: "vide", format: "avc1", chunks: [["frame-1 keyframe"], ["frame-2"], ["frame-3"]] },
  { handler: "meta", format: "gpmd", chunks: [["GPS5 +35.6586+139.7454 t0", "GPS5 +35.6587+139.7455 t1"], ["GPS5 +35.6590+139.7460 t2"], ["GPS5 +35.6591+139.7462 t3"]] },
]) {
  const u32 = (...values: number[]) => Buffer.concat(values.map((v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; }));
  const u64 = (v: number) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(v)); return b; };
  const box = (type: string, ...contents: Buffer[]) => { const body = Buffer.concat(contents); return Buffer.concat([u32(8 + body.length), Buffer.from(type, "latin1"), body]); };
  const full = (type: string, ...contents: Buffer[]) => box(type, u32(0), ...contents);
  const ftyp = box("ftyp", Buffer.from("isom\0\0\x02\0isomiso2avc1mp41", "latin1"));
  // Samples: fixed-size tracks pad every sample to the longest.
  const samples = tracks.map((t) => {
    const width = Math.max(...t.chunks.flat().map((s) => s.length));
    return t.chunks.map((chunk) => chunk.map((s) => Buffer.from(t.sizes === "fixed" ? s.padEnd(width, " ") : s, "latin1")));
  });
  const mdatStart = ftyp.length + 8;
  const ranges: [number, number][][] = tracks.map(() => []);
  const chunkOffsets: number[][] = tracks.map(() => []);
  const body: Buffer[] = [];
  let at = mdatStart;
  const most = Math.max(...tracks.map((t) => t.chunks.length));
  for (let c = 0; c < most; c++) {
    tracks.forEach((_, t) => {
      const chunk = samples[t][c];
      if (!chunk) return;
      chunkOffsets[t].push(at);
      for (const s of chunk) (ranges[t].push([at, s.length]), body.push(s), (at += s.length));
    });
  }
  const mdat = box("mdat", ...body);
  const trak = (t: number) => {
    const track = tracks[t];
    const flat = samples[t].flat();
    // stsc: a run starts wherever the samples per chunk change.
    const runs: number[] = [];
    samples[t].forEach((chunk, c) => { if (c === 0 || chunk.length !== samples[t][c - 1].length) runs.push(c + 1, chunk.length, 1); });
    const sizes =
      track.sizes === "fixed" ? full("stsz", u32(flat[0].length, flat.length))
      : track.sizes === "stz2" ? full("stz2", u32(8, flat.length), Buffer.from(flat.map((s) => s.length)))
      : full("stsz", u32(0, flat.length, ...flat.map((s) => s.length)));
    const offsets = track.offsets === "co64" ? full("co64", u32(chunkOffsets[t].length), ...chunkOffsets[t].map(u64)) : full("stco", u32(chunkOffsets[t].length, ...chunkOffsets[t]));
    const stbl = box("stbl", full("stsd", u32(1), box(track.format, Buffer.alloc(8))), full("stts", u32(1, flat.length, 1000)), full("stsc", u32(runs.length / 3, ...runs)), sizes, offsets);
    const hdlr = full("hdlr", u32(0), Buffer.from(track.handler, "latin1"), Buffer.alloc(12), Buffer.from(`${track.handler} handler\0`, "latin1"));
    return box("trak", box("tkhd", Buffer.alloc(84)), box("mdia", full("mdhd", Buffer.alloc(20)), hdlr, box("minf", box("dinf", Buffer.alloc(8)), stbl)));
  };
  const moov = box("moov", full("mvhd", Buffer.alloc(96)), box("udta", box("\xa9xyz", Buffer.from("+35.6586+139.7454/", "latin1"))), ...tracks.map((_, t) => trak(t)));
  return { bytes: Buffer.concat([ftyp, mdat, moov]), samples: ranges };
}
