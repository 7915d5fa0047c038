/**
 * Uploads and attachments end to end: the real server, real multipart requests, real Socket.IO clients,
 * images made on the fly with sharp.
 */
import { readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import sharp from "sharp";
import { parse as parseDisposition } from "content-disposition";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, freshPostgresUrl, request, startTestServer, type TestServer } from "../helpers/server";
import { animatedPng, canonCr3, download, jp2File, jxlFile, phoneHeic, pngChunks, psdFile, rafFile, phonePhoto, png, pngBomb, rawPost, tiffFile, timedMetadataVideo, upload } from "../helpers/uploads";
import { pruneUnsentUploads, removeMessageFiles } from "../../lib/chat/uploads";
import { createLogger } from "../../lib/log";

let server: TestServer;
let admin: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  server = await startTestServer({ uploads: { maxBytes: 1_000_000, perMinute: 0, dailyFiles: 0, dailyBytes: 0 } });
  admin = await setupAdmin(server);
  alice = await joinAs(server, admin, "alice");
  bob = await joinAs(server, admin, "bob");
}, 120_000);
afterAll(() => server.close());

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie } });
const tmpFiles = () => readdir(server.storage.tmpDir);

describe("uploading", () => {
  it("stores a phone photo upright with its location and other metadata removed, and serves it inline", async () => {
    const photo = await phonePhoto(64, 32);
    const before = await sharp(photo).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif!.includes(Buffer.from([0x88, 0x25])) || before.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true); // GPS IFD pointer

    const res = await upload(server, "general", { name: "IMG_0001.jpg", bytes: photo, type: "image/jpeg" }, { cookie: alice });
    expect(res.status).toBe(201);
    const a = res.body.upload;
    // Orientation 6 turns the 64×32 sensor image into a 32×64 picture.
    expect(a).toMatchObject({ name: "IMG_0001.jpg", type: "image/jpeg", width: 32, height: 64 });
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.url).toBe(`/api/files/${a.id}/IMG_0001.jpg`);
    expect(a.thumbUrl).toBe(`/api/files/${a.id}/thumb`);

    const got = await download(server, a.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect(got.bytes.length).toBe(a.size);
    const served = await sharp(got.bytes).metadata();
    expect(served).toMatchObject({ format: "jpeg", width: 32, height: 64 });
    expect(served.exif).toBeUndefined();
    expect(served.xmp).toBeUndefined();
    expect(served.iptc).toBeUndefined();
    expect(got.bytes.includes(Buffer.from("PhoneCo"))).toBe(false);
    expect(got.headers.get("content-type")).toBe("image/jpeg");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(got.headers.get("content-security-policy")).toMatch(/^sandbox/);
    expect(parseDisposition(got.headers.get("content-disposition")!)).toMatchObject({ type: "inline", parameters: { filename: "IMG_0001.jpg" } });
    expect(got.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    const etag = got.headers.get("etag")!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect((await download(server, a.url, { cookie: alice, "if-none-match": etag })).status).toBe(304);

    const thumb = await download(server, a.thumbUrl, { cookie: alice });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: "webp", width: 32, height: 64 });
  });

  it.each([
    ["phone.mov", "video/quicktime", ["+35.6586", "ISO6709", "Home"]],
    ["android.mp4", "video/mp4", ["loci", "earth"]],
  ])("serves a phone's video %s (%s) without where it was filmed, every other byte as sent", async (name, type, secrets) => {
    const sent = await readFile(path.join(__dirname, "..", "fixtures", "media", name));
    for (const secret of secrets) expect(sent.includes(Buffer.from(secret, "latin1"))).toBe(true);
    const res = await upload(server, "general", { name, bytes: sent, type: "application/octet-stream" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ name, type, size: sent.length });
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect([got.status, got.headers.get("content-type")]).toEqual([200, type]);
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("inline");
    for (const secret of [...secrets, "udta"]) expect([secret, got.bytes.includes(Buffer.from(secret, "latin1"))]).toEqual([secret, false]);
    // Only the user data box changed (now free space): the media data and the sample tables are the same bytes.
    const differing = [...sent.keys()].filter((i) => sent[i] !== got.bytes[i]);
    const udta = sent.indexOf("udta") - 4;
    expect(Math.min(...differing)).toBeGreaterThanOrEqual(udta + 4);
    expect(Math.max(...differing)).toBeLessThan(udta + sent.readUInt32BE(udta));
  });

  it("serves an action camera's video without its GPS track's samples, the video's own bytes as sent", async () => {
    const built = timedMetadataVideo();
    const res = await upload(server, "general", { name: "GOPR0001.MP4", bytes: built.bytes, type: "video/mp4" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ type: "video/mp4", size: built.bytes.length });
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect(got.bytes.includes(Buffer.from("+35.65", "latin1"))).toBe(false);
    for (const [start, length] of built.samples[1]) expect(got.bytes.subarray(start, start + length).every((b) => b === 0)).toBe(true);
    for (const [start, length] of built.samples[0]) expect(got.bytes.subarray(start, start + length).equals(built.bytes.subarray(start, start + length))).toBe(true);
  });

  it.each([
    ["120,000 empty udta boxes", "udta", 120_000],
    ["a JPEG XL of 80,000 compressed EXIF boxes", "brob", 80_000],
    ["80,000 empty tracks", "trak", 80_000],
  ])("strips a video or photo of %s in a few seconds, not minutes of file system calls", async (_what, kind, count) => {
    const u32 = (v: number) => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
    const box = (type: string, body = Buffer.alloc(0)) => Buffer.concat([u32(8 + body.length), Buffer.from(type, "latin1"), body]);
    const many = (one: Buffer) => Buffer.concat(Array.from({ length: count }, () => one));
    const bytes =
      kind === "udta"
        ? Buffer.concat([box("ftyp", Buffer.from("isom\0\0\0\0", "latin1")), many(box("udta")), box("udta", Buffer.from("GPSLatitude 35.6586N"))])
        : kind === "brob"
          ? Buffer.concat([box("JXL ", Buffer.from([0x0d, 0x0a, 0x87, 0x0a])), box("ftyp", Buffer.from("jxl \0\0\0\0", "latin1")), box("jxlc", Buffer.from([0xff, 0x0a])), many(box("brob", Buffer.from("Exif"))), box("Exif", Buffer.from("GPSLatitude 35.6586N"))])
          : Buffer.concat([box("ftyp", Buffer.from("isom\0\0\0\0", "latin1")), box("moov", Buffer.concat([many(box("trak")), box("udta", Buffer.from("GPSLatitude 35.6586N"))]))]);
    const started = Date.now();
    const res = await upload(server, "general", { name: "many.bin", bytes }, { cookie: alice });
    const took = Date.now() - started;
    expect(res.status).toBe(201);
    // Box by box this took 15-40 s for these files (and minutes at the default 25 MiB limit).
    expect(took).toBeLessThan(5000);
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect([got.bytes.length, got.bytes.includes(Buffer.from("GPSLatitude"))]).toEqual([bytes.length, false]);
  }, 120_000);

  it("stores an iPhone's HEIC photo as sent but without its EXIF (camera, GPS) and XMP, as a download", async () => {
    const sent = await phoneHeic();
    const res = await upload(server, "general", { name: "IMG_0002.HEIC", bytes: sent, type: "image/heic" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ type: "image/heic", size: sent.length });
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("attachment");
    for (const secret of ["PhoneCo", "Pocket 12", "GPSLatitude"]) expect([secret, got.bytes.includes(Buffer.from(secret))]).toEqual([secret, false]);
    expect(got.bytes.length).toBe(sent.length);
  });

  it.each([
    ["small", {}],
    ["whose first frame and XMP are larger than the stripper's window", { side: 320, xmpBytes: 300_000 }],
    ["with 20,000 comments", { comments: 20_000 }],
  ])("stores an animated PNG (%s) with both frames but without its EXIF, text, XMP and time chunks, as a download", async (_what, opts) => {
    const sent = await animatedPng(opts);
    const res = await upload(server, "general", { name: "sticker.png", bytes: sent, type: "image/png" }, { cookie: alice });
    expect(res.status).toBe(201);
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect([res.body.upload.type, got.headers.get("content-type"), res.body.upload.size]).toEqual(["image/apng", "image/apng", got.bytes.length]);
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("attachment");
    for (const secret of ["GPSLatitude", "35.6586N", "SN-123456789", "PhoneCo", "XML:com.adobe.xmp"]) {
      expect([secret, got.bytes.includes(Buffer.from(secret))]).toEqual([secret, false]);
    }
    // Every other chunk is there, in order, byte for byte (CRCs included): both frames and the animation control.
    const kept = pngChunks(sent).filter((c) => !["eXIf", "tEXt", "zTXt", "iTXt", "tIME"].includes(c.type));
    expect(got.bytes.subarray(0, 8).equals(sent.subarray(0, 8))).toBe(true);
    expect(pngChunks(got.bytes).map((c) => c.type)).toEqual(["IHDR", "acTL", "fcTL", "IDAT", "fcTL", "fdAT", "IEND"]);
    expect(Buffer.concat(pngChunks(got.bytes).map((c) => c.bytes)).equals(Buffer.concat(kept.map((c) => c.bytes)))).toBe(true);
    expect((await sharp(got.bytes).metadata()).width).toBe((opts as { side?: number }).side ?? 8);
  });

  it("stores a Photoshop document as sent but with its EXIF (GPS location), XMP and IPTC resources zeroed, as a download", async () => {
    const psd = psdFile();
    const res = await upload(server, "general", { name: "poster.psd", bytes: psd.bytes, type: "application/octet-stream" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ type: "image/vnd.adobe.photoshop", size: psd.bytes.length });
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("attachment");
    for (const secret of ["GPSLatitude", "35.6586N", "SN-123456789", "PhoneCo"]) expect([secret, got.bytes.includes(Buffer.from(secret))]).toEqual([secret, false]);
    expect(got.bytes.length).toBe(psd.bytes.length);
    expect(got.bytes.toString("latin1", psd.resolution, psd.resolution + 16)).toBe("RESOLUTION-KEPT!");
    expect([...got.bytes.subarray(psd.pixels)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("stores a Canon CR3 raw photo as sent but without its GPS IFD and XMP, its camera and exposure data kept, as a download", async () => {
    const cr3 = canonCr3();
    const res = await upload(server, "general", { name: "IMG_0001.CR3", bytes: cr3.bytes, type: "application/octet-stream" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ type: "image/x-canon-cr3", size: cr3.bytes.length });
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("attachment");
    for (const secret of ["GPSLatitude", "35.6586N"]) expect([secret, got.bytes.includes(Buffer.from(secret))]).toEqual([secret, false]);
    expect(got.bytes.length).toBe(cr3.bytes.length);
    expect(got.bytes.toString("latin1", cr3.cmt1 + 8, cr3.cmt1 + 32)).toBe("Canon EOS R5 CAMERA-KEPT");
    expect(got.bytes.toString("latin1", cr3.cmt2 + 8, cr3.cmt2 + 21)).toBe("EXPOSURE-KEPT");
    expect(got.bytes.toString("latin1", cr3.sensor)).toBe("SENSOR-DATA-KEPT");
  });

  it("stores a JPEG XL photo as sent but with its EXIF, XMP and compressed EXIF boxes emptied, as a download", async () => {
    const jxl = jxlFile();
    const res = await upload(server, "general", { name: "photo.jxl", bytes: jxl.bytes, type: "image/jxl" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ type: "image/jxl", size: jxl.bytes.length });
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("attachment");
    for (const secret of ["GPSLatitude", "35.6586N"]) expect([secret, got.bytes.includes(Buffer.from(secret))]).toEqual([secret, false]);
    expect(got.bytes.length).toBe(jxl.bytes.length);
    expect(got.bytes.subarray(0, jxl.codestream + 17).equals(jxl.bytes.subarray(0, jxl.codestream + 17))).toBe(true);
  });

  it.each([
    ["JPEG 2000 (JP2)", "scan.jp2", "jp2 ", "image/jp2"],
    ["JPEG 2000 part 2 (JPX)", "scan.jpf", "jpx ", "image/jpx"],
  ])("stores a %s photo as sent but with its EXIF, XMP and XML boxes emptied, other boxes and the codestream kept, as a download", async (_what, name, brand, type) => {
    const jp2 = jp2File({ brand });
    const res = await upload(server, "general", { name, bytes: jp2.bytes, type: "application/octet-stream" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ type, size: jp2.bytes.length });
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("attachment");
    for (const secret of ["GPSLatitude", "35.6586N", "JpgTiffExif"]) expect([secret, got.bytes.includes(Buffer.from(secret))]).toEqual([secret, false]);
    expect(got.bytes.length).toBe(jp2.bytes.length);
    // From the other uuid box on, every byte is as sent: the georeference and the picture.
    expect(got.bytes.subarray(jp2.otherUuid).equals(jp2.bytes.subarray(jp2.otherUuid))).toBe(true);
    expect(got.bytes.toString("latin1", jp2.codestream + 4)).toBe("CODESTREAM-KEPT");
  });

  it.each([
    ["a JPX association box (asoc → xml, as a label's or region's XML)", ["asoc"]],
    ["nested association boxes", ["asoc", "asoc", "asoc"]],
    ["the JP2 header superbox", ["jp2h"]],
    ["a resolution superbox in the header", ["jp2h", "res "]],
    ["a JPX compositing-layer header", ["jplh"]],
  ])("empties the EXIF, XMP and XML boxes of a JPEG 2000 photo inside %s too", async (_what, within) => {
    const jp2 = jp2File({ brand: "jpx ", within });
    const res = await upload(server, "general", { name: "scan.jpf", bytes: jp2.bytes, type: "application/octet-stream" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ type: "image/jpx", size: jp2.bytes.length });
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    for (const secret of ["GPSLatitude", "35.6586N", "JpgTiffExif"]) expect([secret, got.bytes.includes(Buffer.from(secret))]).toEqual([secret, false]);
    expect(got.bytes.length).toBe(jp2.bytes.length);
    // The labels the XML was associated with are kept.
    expect(got.bytes.includes(Buffer.from("place"))).toBe(within.includes("asoc"));
    expect(got.bytes.subarray(jp2.otherUuid).equals(jp2.bytes.subarray(jp2.otherUuid))).toBe(true);
  });

  it("stores a JPEG XR photo as sent but without where it was taken, its XMP or serial number (TIFF-structured IFDs), as a download", async () => {
    const t = tiffFile({ magic: 0x01bc });
    const res = await upload(server, "general", { name: "IMG_0001.jxr", bytes: t.bytes, type: "application/octet-stream" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ type: "image/vnd.ms-photo", size: t.bytes.length });
    const got = await download(server, res.body.upload.url, { cookie: alice });
    for (const secret of ["GPSLatitude", "SN-123456789"]) expect([secret, got.bytes.includes(Buffer.from(secret))]).toEqual([secret, false]);
    expect(got.bytes.subarray(t.gpsValues[1], t.gpsValues[1] + 24).every((b) => b === 0)).toBe(true);
    expect([got.bytes.length, got.bytes.includes(Buffer.from("PhoneCo"))]).toEqual([t.bytes.length, true]);
    expect([...got.bytes.subarray(t.pixels, t.pixels + 4)]).toEqual([10, 20, 30, 40]);
  });

  it("stores a Fujifilm RAF as sent but without the GPS, XMP and serial number of its preview's EXIF, the camera settings kept, as a download", async () => {
    const raf = rafFile();
    const res = await upload(server, "general", { name: "DSCF0001.RAF", bytes: raf.bytes, type: "application/octet-stream" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ type: "image/x-fujifilm-raf", size: raf.bytes.length });
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("attachment");
    for (const secret of ["GPSLatitude", "35.6586N", "SN-123456789"]) expect([secret, got.bytes.includes(Buffer.from(secret))]).toEqual([secret, false]);
    const gps = raf.tiffAt + raf.tiff.gpsValues[1];
    expect(got.bytes.subarray(gps, gps + 24).every((b) => b === 0)).toBe(true);
    expect([got.bytes.length, got.bytes.includes(Buffer.from("PhoneCo"))]).toEqual([raf.bytes.length, true]);
    expect(got.bytes.toString("latin1", raf.sensor)).toBe("SENSOR-DATA-KEPT");
  });

  it.each([
    ["a TIFF", "scan.tif", {}],
    ["a camera's raw photo (TIFF inside, big-endian, as Nikon's NEF)", "DSC_0001.NEF", { order: "MM" as const }],
  ])("stores %s as sent but without where it was taken, its XMP or serial number, as a download", async (_what, name, opts) => {
    const t = tiffFile(opts);
    const res = await upload(server, "general", { name, bytes: t.bytes, type: "application/octet-stream" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ name, type: "image/tiff", size: t.bytes.length });
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("attachment");
    for (const secret of ["GPSLatitude", "SN-123456789"]) expect([secret, got.bytes.includes(Buffer.from(secret))]).toEqual([secret, false]);
    expect(got.bytes.subarray(t.gpsValues[1], t.gpsValues[1] + 24).every((b) => b === 0)).toBe(true);
    expect([got.bytes.length, got.bytes.includes(Buffer.from("PhoneCo"))]).toEqual([t.bytes.length, true]);
    expect([...got.bytes.subarray(t.pixels, t.pixels + 4)]).toEqual([10, 20, 30, 40]);
  });

  it("answers Range requests with 206 and the asked bytes, and 416 past the end", async () => {
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    const { body } = await upload(server, "general", { name: "clip.bin", bytes }, { cookie: alice });
    const part = await download(server, body.upload.url, { cookie: alice, range: "bytes=100-199" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/5000");
    expect(part.bytes.equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await download(server, body.upload.url, { cookie: alice, range: "bytes=-10" });
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(bytes.subarray(4990))).toBe(true);
    const past = await download(server, body.upload.url, { cookie: alice, range: "bytes=6000-7000" });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe("bytes */5000");
  });

  it("takes the type from the bytes: a PDF named .png is a PDF, sent as a download", async () => {
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    const res = await upload(server, "general", { name: "holiday.png", bytes: pdf, type: "image/png" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload).toMatchObject({ type: "application/pdf", name: "holiday.png" });
    expect(res.body.upload.thumbUrl).toBeUndefined();
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.headers.get("content-type")).toBe("application/pdf");
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("attachment");
  });

  it.each([
    ["an SVG with a script", "logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>', "image/svg+xml"],
    ["an SVG with an XML declaration", "logo2.svg", '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"],
    ["an HTML page", "page.html", "<!doctype html><html><body><script>fetch('/api/session')</script></body></html>", "text/html"],
    ["HTML disguised as a picture", "cat.jpg", "<html><script>alert(1)</script></html>", "image/jpeg"],
    ["XHTML with an XML declaration", "page.xhtml", '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>', "application/xhtml+xml"],
    ["an SVG with a byte-order mark and an XML declaration", "bom.svg", '\ufeff<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"],
    ["an XML document with a stylesheet instruction", "feed.xml", '<?xml version="1.0"?><?xml-stylesheet href="x.xsl"?><rss version="2.0"><channel/></rss>', "application/xml"],
  ])("never lets %s render on our origin: a sandboxed download of text, not markup", async (_what, name, text, claimed) => {
    const res = await upload(server, "general", { name, bytes: Buffer.from(text), type: claimed }, { cookie: alice });
    expect(res.status).toBe(201);
    // Markup is text to us (docs/protocol.md, "Upload"), whatever it starts with.
    expect(res.body.upload.type).toBe("text/plain");
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.headers.get("content-type")).not.toMatch(/svg|html/);
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("attachment");
    expect(got.headers.get("content-security-policy")).toMatch(/^sandbox/);
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("stores a zip named .png as a zip, never unpacked or shown", async () => {
    // A stored (uncompressed) zip with one entry, built by hand: the local header is enough for sniffing.
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0]), Buffer.alloc(20), Buffer.from("a.txt"), Buffer.from("hello")]);
    const res = await upload(server, "general", { name: "bomb.png", bytes: zip, type: "image/png" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload.type).toBe("application/zip");
    expect(res.body.upload.width).toBeUndefined();
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(parseDisposition(got.headers.get("content-disposition")!).type).toBe("attachment");
  });

  it.each([
    ["../../etc/passwd", "passwd"],
    ['a"\r\nX-Injected: y.txt', 'a" X-Injected: y.txt'],
    ["\u202Egpj.exe", "gpj.exe"],
    ["a\u2066b\u2069\u200E\u061C.txt", "ab.txt"],
    // Padding cannot push the real end of a name out of sight; nor can a name be only invisible.
    [`invoice.pdf${" ".repeat(180)}.exe`, "invoice.pdf .exe"],
    ["report\u3000\u2003\u00A0final.txt", "report final.txt"],
    ["\u3164\u200B\u2800", "file"],
    ["日本語の資料.txt", "日本語の資料.txt"],
    // Invisible characters that only make two names that look alike differ are taken out.
    ["a\u200Bb\u202Ec.txt", "abc.txt"],
    ["in\u00ADvoice\u2060.pdf\uFEFF", "invoice.pdf"],
    ["\uFEFFplan\u2062\u180E.md", "plan.md"],
    // …before NFC, so that what they stood between composes: one é, one 가.
    ["cafe\u200B\u0301.txt", "caf\u00E9.txt"],
    ["\u1100\u2060\u1161.txt", "\uAC00.txt"],
    ["x\u17B4\u{1D173}y.txt", "xy.txt"],
    // …but not those a word or an emoji needs to read right.
    ["👨\u200D👩\u200D👧.png", "👨\u200D👩\u200D👧.png"],
    ["می\u200Cخواهم.txt", "می\u200Cخواهم.txt"],
    ["葛\u{E0100}城.txt", "葛\u{E0100}城.txt"],
  ])("stores the name %j safely and serves it in an RFC 6266 header", async (raw, stored) => {
    const res = await upload(server, "general", { name: raw, bytes: Buffer.from("plain text\n") }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload.name).toBe(stored);
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect(got.headers.get("x-injected")).toBeNull();
    expect(parseDisposition(got.headers.get("content-disposition")!).parameters.filename).toBe(stored);
  });

  it.each([
    ['Report "final".pdf', 'Report "final".pdf'],
    ['"quoted"', '"quoted"'],
    ["two\nlines.txt", "two lines.txt"],
    ["cr\r\nlf.txt", "cr lf.txt"],
    ["100%.txt", "100%.txt"],
  ])("takes a name %j as the browser meant it (the multipart escapes %%22, %%0D, %%0A undone) and serves it back so", async (name, stored) => {
    // fetch's FormData, like every browser, sends `"` as %22 and line breaks as %0D / %0A (HTML Standard).
    const res = await upload(server, "general", { name, bytes: Buffer.from("hello") }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload.name).toBe(stored);
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.status).toBe(200);
    expect(parseDisposition(got.headers.get("content-disposition")!).parameters.filename).toBe(stored);
  });

  it("keeps a quote and line break a raw client puts in the name (RFC 5987 filename*) out of the served headers", async () => {
    const res = await rawPost(
      server,
      "/api/rooms/general/uploads",
      { cookie: alice, "content-type": "multipart/form-data; boundary=B" },
      Buffer.from("--B\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''a%22%0D%0AX-Injected%3A%20y.txt\r\n\r\nhello\r\n--B--\r\n"),
    );
    expect(res.status).toBe(201);
    // The line break is whitespace: one space, like any run of whitespace in a name.
    expect(res.body.upload.name).toBe('a" X-Injected: y.txt');
    const got = await download(server, res.body.upload.url, { cookie: alice });
    expect(got.headers.get("x-injected")).toBeNull();
    expect(parseDisposition(got.headers.get("content-disposition")!).parameters.filename).toBe('a" X-Injected: y.txt');
  });

  it("refuses a file over UPLOAD_MAX_BYTES with 413 while streaming, keeping nothing, and goes on working", async () => {
    const big = Buffer.alloc(1_500_000, 7);
    const res = await upload(server, "general", { name: "big.bin", bytes: big }, { cookie: alice });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("too_large");
    expect(await tmpFiles()).toEqual([]);
    // Chunked, so the declared length cannot give it away: the limit is hit mid-stream.
    const chunked = await rawPost(
      server,
      "/api/rooms/general/uploads",
      { cookie: alice, "content-type": "multipart/form-data; boundary=XyZ", "transfer-encoding": "chunked" },
      Buffer.concat([
        Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'),
        big,
        Buffer.from("\r\n--XyZ--\r\n"),
      ]),
    );
    expect(chunked.status).toBe(413);
    expect(chunked.body.error.code).toBe("too_large");
    expect(await tmpFiles()).toEqual([]);
    expect((await upload(server, "general", { name: "ok.txt", bytes: Buffer.from("fine") }, { cookie: alice })).status).toBe(201);
  });

  it("refuses an image bomb (a few hundred KB declaring 20,000×20,000 pixels) without decoding it", async () => {
    const bomb = await pngBomb(20_000);
    expect(bomb.length).toBeLessThan(1_000_000);
    const res = await upload(server, "general", { name: "tiny.png", bytes: bomb, type: "image/png" }, { cookie: alice });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: "too_large", message: expect.stringMatching(/pixels/) });
    expect(await tmpFiles()).toEqual([]);
    const [{ n }] = await server.db.query<{ n: number }>("select count(*)::int as n from uploads where name = 'tiny.png'");
    expect(n).toBe(0);
  });

  it("refuses an image that does not decode (a PNG signature and nothing else) with 400", async () => {
    const broken = (await png(40, 40)).subarray(0, 60);
    const res = await upload(server, "general", { name: "broken.png", bytes: broken }, { cookie: alice });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
    expect(await tmpFiles()).toEqual([]);
  });

  it("refuses an empty file, a body that is not multipart, a form without a file and a cut-off body, each with 400", async () => {
    const empty = await upload(server, "general", { name: "empty.txt", bytes: Buffer.alloc(0) }, { cookie: alice });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: "bad_request", message: "the file is empty" });

    const json = await api(server, "/api/rooms/general/uploads", { body: { file: "aGVsbG8=" }, cookie: alice });
    expect(json.status).toBe(400);
    expect(json.body.error.message).toMatch(/multipart\/form-data/);

    const noFile = await rawPost(
      server,
      "/api/rooms/general/uploads",
      { cookie: alice, "content-type": "multipart/form-data; boundary=B" },
      Buffer.from('--B\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--B--\r\n'),
    );
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.message).toMatch(/no part named "file"/);

    const cut = await rawPost(
      server,
      "/api/rooms/general/uploads",
      { cookie: alice, "content-type": "multipart/form-data; boundary=B" },
      Buffer.from('--B\r\nContent-Disposition: form-data; name="file"; filename="half.txt"\r\n\r\nthe first half and then noth'),
    );
    expect(cut.status).toBe(400);
    expect(cut.body.error.message).toMatch(/truncated/);
    expect(await tmpFiles()).toEqual([]);
    const [{ n }] = await server.db.query<{ n: number }>("select count(*)::int as n from uploads where name in ('half.txt', 'empty.txt')");
    expect(n).toBe(0);
  });

  it("lets only people who may post upload: 401 signed out, 403 for a private room's non-member (as for sending), 404 for a missing room, 403 from a foreign origin", async () => {
    const a = await as(alice);
    await call(a, "create-room", { name: "secret", private: true });
    const file = { name: "x.txt", bytes: Buffer.from("x") };
    expect((await upload(server, "secret", file)).status).toBe(401);
    const outsider = await upload(server, "secret", file, { cookie: bob });
    expect(outsider.status).toBe(403);
    expect(outsider.body.error).toEqual({ code: "forbidden", message: "you are not a member of this room" });
    const missing = await upload(server, "no-such-room", file, { cookie: bob });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
    const foreign = await upload(server, "secret", file, { cookie: alice, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect((await upload(server, "secret", file, { cookie: alice })).status).toBe(201);
  });
});

describe("reading files", () => {
  it("serves a private room's file to members only: 404 for others, signed out, guests and unknown ids alike", async () => {
    const a = await as(alice);
    await call(a, "create-room", { name: "vault", private: true });
    const { body } = await upload(server, "vault", { name: "plan.txt", bytes: Buffer.from("the plan") }, { cookie: alice });
    const id = body.upload.id;
    await call(a, "send-message-to-room", { room: "vault", message: "", attachments: [id] });
    const url = body.upload.url;
    const refusals = [await download(server, url, { cookie: bob }), await download(server, url), await download(server, `/api/files/${"A".repeat(22)}/plan.txt`, { cookie: alice })];
    for (const r of refusals) {
      expect(r.status).toBe(404);
      expect(JSON.parse(r.bytes.toString())).toEqual({ error: { code: "not_found", message: "no such file" } });
    }
    await call(a, "add-member", { room: "vault", name: "bob" });
    expect((await download(server, url, { cookie: bob })).bytes.toString()).toBe("the plan");
    await call(a, "remove-member", { room: "vault", name: "bob" });
    expect((await download(server, url, { cookie: bob })).status).toBe(404);
  });

  it("serves a file named like the thumbnail's segment (thumb, THUMB, dir/Thumb) as itself, not as a thumbnail or a 404", async () => {
    for (const name of ["thumb", "THUMB", "dir/Thumb"]) {
      const { body } = await upload(server, "general", { name, bytes: Buffer.from(`the file ${name}`) }, { cookie: alice });
      const got = await download(server, body.upload.url, { cookie: alice });
      expect({ name, status: got.status, text: got.bytes.toString() }).toEqual({ name, status: 200, text: `the file ${name}` });
      expect(parseDisposition(got.headers.get("content-disposition")!).parameters.filename).toBe(name.split("/").pop());
    }
    // An image named so: its URL is the picture as uploaded (re-encoded), its thumbUrl the WebP thumbnail.
    const { body } = await upload(server, "general", { name: "thumb", bytes: await png(40, 20) }, { cookie: alice });
    expect(body.upload.url).not.toBe(body.upload.thumbUrl);
    const original = await download(server, body.upload.url, { cookie: alice });
    expect({ status: original.status, type: original.headers.get("content-type"), size: original.bytes.length }).toEqual({ status: 200, type: "image/png", size: body.upload.size });
    expect((await download(server, body.upload.thumbUrl, { cookie: alice })).headers.get("content-type")).toBe("image/webp");
  });

  it("shows an unsent upload to its uploader only", async () => {
    const { body } = await upload(server, "general", { name: "draft.txt", bytes: Buffer.from("draft") }, { cookie: alice });
    expect((await download(server, body.upload.url, { cookie: bob })).status).toBe(404);
    expect((await download(server, body.upload.url, { cookie: alice })).status).toBe(200);
  });
});

describe("messages with attachments", () => {
  it("delivers them in receive-message, history, replay and to bots over HTTP; the text may be empty", async () => {
    const a = await as(alice);
    const b = await as(bob);
    await call(a, "join-room", "general");
    await call(b, "join-room", "general");
    const one = (await upload(server, "general", { name: "a.png", bytes: await png() }, { cookie: alice })).body.upload;
    const two = (await upload(server, "general", { name: "notes.txt", bytes: Buffer.from("notes") }, { cookie: alice })).body.upload;
    const received = new Promise<any>((resolve) => b.on("receive-message", (m) => m.attachments && resolve(m)));
    const { message } = await call(a, "send-message-to-room", { room: "general", message: "", attachments: [one.id, two.id] });
    expect(message.text).toBe("");
    expect(message.attachments).toEqual([one, two]);
    expect((await received).attachments).toEqual([one, two]);
    const history = await call(b, "history", { room: "general", limit: 5 });
    expect(history.messages.at(-1)).toEqual(message);
    expect((await download(server, one.url, { cookie: bob })).status).toBe(200);

    const replayed = await connect(server.url, { lastSeen: { general: String(Number(message.id) - 1) } }, { extraHeaders: { cookie: bob } });
    const replay: any[] = [];
    replayed.on("receive-message", (m) => replay.push(m));
    await call(replayed, "list-rooms");
    expect(replay.find((m) => m.id === message.id)?.attachments).toEqual([one, two]);

    const bot = await api(server, "/api/admin/bots", { body: { name: "filebot" }, cookie: admin });
    const token = bot.body.token;
    const file = await upload(server, "general", { name: "report.csv", bytes: Buffer.from("a,b\n1,2\n") }, { token });
    expect(file.status).toBe(201);
    const posted = await api(server, "/api/rooms/general/messages", { body: { text: "nightly report", attachments: [file.body.upload.id] }, headers: { authorization: `Bearer ${token}` } });
    expect(posted.status).toBe(201);
    expect(posted.body.message.attachments).toEqual([file.body.upload]);
  });

  it("refuses 11 attachments, someone else's upload, another room's upload, a reused upload, a repeated id and an empty message without files", async () => {
    const a = await as(alice);
    await call(a, "join-room", "general");
    const mine = async (room = "general") => (await upload(server, room, { name: "f.txt", bytes: Buffer.from("f") }, { cookie: alice })).body.upload.id as string;
    const eleven = await Promise.all(Array.from({ length: 11 }, () => mine()));
    const send = (attachments: unknown, message = "") => request(a, "send-message-to-room", { room: "general", message, attachments });

    expect(await send(eleven)).toMatchObject({ ok: false, error: { code: "bad_request", message: expect.stringMatching(/at most 10/) } });
    const bobs = (await upload(server, "general", { name: "b.txt", bytes: Buffer.from("b") }, { cookie: bob })).body.upload.id;
    expect(await send([bobs])).toMatchObject({ ok: false, error: { code: "not_found" } });
    await call(a, "create-room", { name: "elsewhere" });
    expect(await send([await mine("elsewhere")])).toMatchObject({ ok: false, error: { code: "bad_request", message: expect.stringMatching(/another room/) } });
    expect(await send([eleven[0], eleven[0]])).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(await send(["not an id"])).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await send([])).toMatchObject({ ok: false, error: { code: "bad_request", message: "message must not be empty" } });
    expect(await send("x")).toMatchObject({ ok: false, error: { code: "bad_request" } });

    expect(await send([eleven[1]], "first")).toMatchObject({ ok: true });
    expect(await send([eleven[1]], "again")).toMatchObject({ ok: false, error: { code: "conflict" } });
    const http = await api(server, "/api/rooms/general/messages", { body: { text: "again", attachments: [eleven[1]] }, cookie: alice });
    expect(http.status).toBe(409);
    // Nothing of the refused sends was stored; the allowed one after them was.
    const { messages } = await call(a, "history", { room: "general", limit: 3 });
    expect(messages.at(-1).text).toBe("first");
  });

  it("lets exactly one of two sends racing for the same upload win", async () => {
    const a = await as(alice);
    const a2 = await as(alice);
    for (const s of [a, a2]) await call(s, "join-room", "general");
    for (let round = 0; round < 5; round++) {
      const id = (await upload(server, "general", { name: "race.txt", bytes: Buffer.from("r") }, { cookie: alice })).body.upload.id;
      const results = await Promise.all([
        request(a, "send-message-to-room", { room: "general", message: "one", attachments: [id] }),
        request(a2, "send-message-to-room", { room: "general", message: "two", attachments: [id] }),
        request(a, "send-message-to-room", { room: "general", message: "three", attachments: [id] }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(["conflict", "conflict"]);
    }
  });

  it("answers a retried send (same clientId) with the stored message, attachments included", async () => {
    const a = await as(alice);
    const id = (await upload(server, "general", { name: "retry.txt", bytes: Buffer.from("r") }, { cookie: alice })).body.upload.id;
    const first = await call(a, "send-message-to-room", { room: "general", message: "", attachments: [id], clientId: "retry-1" });
    const again = await call(a, "send-message-to-room", { room: "general", message: "", attachments: [id], clientId: "retry-1" });
    expect(again.message).toEqual(first.message);
    expect(again.message.attachments[0].id).toBe(id);
  });

  it("refuses binary data in a Socket.IO event, pointing at the upload endpoint", async () => {
    const a = await as(alice);
    const res = await request(a, "send-message-to-room", { room: "general", message: "look", file: Buffer.from([1, 2, 3]) });
    expect(res).toMatchObject({ ok: false, error: { code: "bad_request", message: expect.stringContaining("POST /api/rooms/:room/uploads") } });
    const raw = await request(a, "send-message-to-room", Buffer.from("hello"));
    expect(raw).toMatchObject({ ok: false, error: { code: "bad_request", message: expect.stringContaining("uploads") } });
    expect(await request(a, "send-message-to-room", { room: "general", message: "still here" })).toMatchObject({ ok: true });
  });
});

describe("removing files", () => {
  it("removes uploads never sent after a day, bytes and all, and keeps sent ones", async () => {
    const a = await as(alice);
    const sent = (await upload(server, "general", { name: "kept.png", bytes: await png() }, { cookie: alice })).body.upload;
    await call(a, "send-message-to-room", { room: "general", message: "", attachments: [sent.id] });
    const fresh = (await upload(server, "general", { name: "fresh.txt", bytes: Buffer.from("f") }, { cookie: alice })).body.upload;
    const stale = (await upload(server, "general", { name: "stale.png", bytes: await png() }, { cookie: alice })).body.upload;
    await server.db.query("update uploads set created_at = now() - interval '25 hours' where id = any($1::text[])", [[stale.id, sent.id]]);
    const removed = await pruneUnsentUploads(server.db, server.storage);
    expect(removed).toBeGreaterThanOrEqual(1);
    expect((await download(server, stale.url, { cookie: alice })).status).toBe(404);
    expect(await server.storage.read(stale.id)).toBeNull();
    expect(await server.storage.read(`${stale.id}.thumb`)).toBeNull();
    expect((await download(server, fresh.url, { cookie: alice })).status).toBe(200);
    expect((await download(server, sent.url, { cookie: alice })).status).toBe(200);
  });

  it("removeMessageFiles removes a message's files and nothing else", async () => {
    const a = await as(alice);
    const one = (await upload(server, "general", { name: "one.png", bytes: await png() }, { cookie: alice })).body.upload;
    const other = (await upload(server, "general", { name: "other.txt", bytes: Buffer.from("o") }, { cookie: alice })).body.upload;
    const { message } = await call(a, "send-message-to-room", { room: "general", message: "", attachments: [one.id] });
    await call(a, "send-message-to-room", { room: "general", message: "", attachments: [other.id] });
    expect(await removeMessageFiles(server.db, server.storage, message.id)).toBe(1);
    expect((await download(server, one.url, { cookie: alice })).status).toBe(404);
    expect((await download(server, one.thumbUrl, { cookie: alice })).status).toBe(404);
    expect(await server.storage.read(one.id)).toBeNull();
    expect((await download(server, other.url, { cookie: alice })).status).toBe(200);
  });
});

describe("limits", () => {
  it("answers 429 past the daily file and byte quotas", async () => {
    const limited = await startTestServer({ uploads: { maxBytes: 1_000_000, perMinute: 0, dailyFiles: 2, dailyBytes: 0 } });
    try {
      const cookie = await setupAdmin(limited);
      const file = { name: "q.txt", bytes: Buffer.from("q") };
      expect((await upload(limited, "general", file, { cookie })).status).toBe(201);
      expect((await upload(limited, "general", file, { cookie })).status).toBe(201);
      const third = await upload(limited, "general", file, { cookie });
      expect(third.status).toBe(429);
      expect(third.body.error.code).toBe("rate_limited");
    } finally {
      await limited.close();
    }
    const bytes = await startTestServer({ uploads: { maxBytes: 1_000_000, perMinute: 0, dailyFiles: 0, dailyBytes: 1000 } });
    try {
      const cookie = await setupAdmin(bytes);
      expect((await upload(bytes, "general", { name: "a", bytes: Buffer.alloc(600, 1) }, { cookie })).status).toBe(201);
      const over = await upload(bytes, "general", { name: "b", bytes: Buffer.alloc(600, 1) }, { cookie });
      expect(over.status).toBe(429);
      expect(await readdir(bytes.storage.tmpDir)).toEqual([]);
      // The refused file did not use up the rest of the day's volume.
      expect((await upload(bytes, "general", { name: "c", bytes: Buffer.alloc(300, 1) }, { cookie })).status).toBe(201);
    } finally {
      await bytes.close();
    }
  });

  it("gives a file refused after it arrived (an image that does not decode) its quota points back", async () => {
    const both = await startTestServer({ uploads: { maxBytes: 1_000_000, perMinute: 0, dailyFiles: 2, dailyBytes: 1500 } });
    try {
      const cookie = await setupAdmin(both);
      const broken = Buffer.concat([(await png(40, 40)).subarray(0, 60), Buffer.alloc(540, 7)]);
      // Three refusals of 600 bytes: more files and more bytes than the day allows, none of them kept.
      for (const name of ["a.png", "b.png", "c.png"]) {
        const res = await upload(both, "general", { name, bytes: broken }, { cookie });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe("bad_request");
      }
      // The day's two files and 1,500 bytes are all still there.
      expect((await upload(both, "general", { name: "d.txt", bytes: Buffer.alloc(700, 1) }, { cookie })).status).toBe(201);
      expect((await upload(both, "general", { name: "e.txt", bytes: Buffer.alloc(700, 1) }, { cookie })).status).toBe(201);
      const third = await upload(both, "general", { name: "f.txt", bytes: Buffer.alloc(10, 1) }, { cookie });
      expect(third.status).toBe(429);
    } finally {
      await both.close();
    }
  });
});

const pg = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) process.stdout.write("skipping the PostgreSQL upload race: DATABASE_URL is not set\n");

pg("on PostgreSQL, two instances", () => {
  it("let exactly one of two sends of the same upload win, each instance writing its own batch", async () => {
    const databaseUrl = (await freshPostgresUrl())!;
    const one = await startTestServer({ databaseUrl, uploads: { maxBytes: 1_000_000, perMinute: 0, dailyFiles: 0, dailyBytes: 0 }, rateLimitMessages: 0 });
    const two = await startTestServer({ databaseUrl, uploads: { maxBytes: 1_000_000, perMinute: 0, dailyFiles: 0, dailyBytes: 0 }, rateLimitMessages: 0 });
    try {
      const cookie = await setupAdmin(one);
      const [x, y] = [await connect(one.url, {}, { extraHeaders: { cookie } }), await connect(two.url, {}, { extraHeaders: { cookie } })];
      for (let round = 0; round < 10; round++) {
        const id = (await upload(one, "general", { name: "race.txt", bytes: Buffer.from("r") }, { cookie })).body.upload.id;
        const results = await Promise.all([
          request(x, "send-message-to-room", { room: "general", message: `x${round}`, attachments: [id] }),
          request(y, "send-message-to-room", { room: "general", message: `y${round}`, attachments: [id] }),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: "conflict" } });
        const [{ n }] = await one.db.query<{ n: number }>("select count(*)::int as n from messages where extra->'attachments' @> $1::jsonb", [JSON.stringify([{ id }])]);
        expect(n).toBe(1);
      }
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe("an upload the server cannot store", () => {
  it("answers 500 without the cause, and logs the cause at error level", async () => {
    const records: { level: number; msg: string; err?: { code?: string; message?: string } }[] = [];
    const log = createLogger({ level: "info", destination: new Writable({ write: (chunk, _e, cb) => (records.push(JSON.parse(String(chunk))), cb()) }) });
    const own = await startTestServer({}, { log });
    try {
      const cookie = await setupAdmin(own);
      // Where an upload is written while it arrives is gone (as a full disk or a lost mount fails it).
      await rm(own.storage.tmpDir, { recursive: true, force: true });
      const res = await upload(own, "general", { name: "notes.txt", bytes: Buffer.from("the minutes") }, { cookie });
      expect([res.status, res.body]).toEqual([500, { error: { code: "internal", message: "the upload could not be stored" } }]);
      const logged = records.find((r) => r.level === 50 && r.msg === "request failed: the upload could not be stored");
      expect(logged?.err).toMatchObject({ code: "ENOENT", message: expect.stringContaining(own.storage.tmpDir) });
    } finally {
      await own.close();
    }
  });
});
