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
