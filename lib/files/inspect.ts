import { open, rm } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type sharpFunction from "sharp";
import type { Metadata } from "sharp";
import { AppError } from "../errors";
import { createAdmissionGate } from "../admission";
import { MAX_ATTACHMENTS } from "../chat/uploads";

/** Bytes read to tell text from binary when the signature is unknown. */
const TEXT_SAMPLE = 8192;

/**
 * The type `file-type` gives a file by a signature that is only the start of a text (`<?xml`, with or
 * without a byte-order mark): SVG, XHTML, feeds. Markup is text to us, whatever it starts with.
 */
const TEXT_SIGNATURES = new Set(["application/xml"]);

/**
 * The MIME type of a file, from its bytes only (the client's Content-Type and the name's extension are
 * never believed): a known binary signature (`file-type`), else `text/plain` for UTF-8 text without NULs
 * (HTML, SVG — with or without an XML declaration —, XML and scripts are text to us), else
 * `application/octet-stream`.
 */
export async function sniffType(file: string): Promise<string> {
  // file-type is an ES module; a dynamic import keeps the CommonJS server build working.
  const { fileTypeFromFile } = await import("file-type");
  const found = await fileTypeFromFile(file);
  if (found && !TEXT_SIGNATURES.has(found.mime)) return found.mime;
  const handle = await open(file, "r");
  try {
    const buf = Buffer.alloc(TEXT_SAMPLE);
    const { bytesRead } = await handle.read(buf, 0, TEXT_SAMPLE, 0);
    const sample = buf.subarray(0, bytesRead);
    if (sample.includes(0)) return "application/octet-stream";
    // `stream: true`: a character cut at the end of the sample is not an error.
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
    return "text/plain";
  } catch {
    return "application/octet-stream";
  } finally {
    await handle.close();
  }
}

/** Raster formats that are decoded, re-encoded without metadata and shown inline (sharp's prebuilt codecs). */
const IMAGE_FORMATS: Record<string, "jpeg" | "png" | "webp" | "gif" | "avif"> = {
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/webp": "webp",
  "image/gif": "gif",
  "image/avif": "avif",
};

/** Largest image decoded, in pixels (all frames): beyond it an upload is refused unread (decompression bombs). */
export const MAX_IMAGE_PIXELS = 50_000_000;
/**
 * Largest image decoded, in bytes once decoded (width × height × frames × channels × bytes per sample):
 * 50 million pixels of 8-bit RGBA. Pixels alone do not bound memory: a 381 kB interlaced PNG of 7000 ×
 * 7000 16-bit RGBA pixels (under MAX_IMAGE_PIXELS) is decoded whole, 392 MB, before anything is written
 * (interlaced PNG, progressive JPEG, AVIF and rotated images cannot be decoded a strip at a time).
 */
export const MAX_IMAGE_DECODED_BYTES = 200_000_000;
/**
 * A progressive JPEG is decoded whole, and libjpeg keeps every component's DCT coefficients (2 bytes
 * each, a full-size plane per component with 4:4:4 sampling) beside the pixels: 3 bytes a sample in all.
 * A 575 kB one of 7000 × 7000 (147 MB as pixels) took a server up by 440-580 MB.
 */
const PROGRESSIVE_JPEG_SAMPLE_BYTES = 3;
/** Bytes of one sample per libvips band format (sharp's `Metadata.depth`). */
const SAMPLE_BYTES: Record<string, number> = { uchar: 1, char: 1, ushort: 2, short: 2, uint: 4, int: 4, float: 4, complex: 8, double: 8, dpcomplex: 16 };
/**
 * Images are decoded and re-encoded one at a time per process, the others waiting their turn (round
 * robin by uploader, each uploader's in arrival order), so the memory of image processing is one image's, however many uploads arrive together
 * (four of the PNGs above at once took a server from 440 MB to 1.83 GB). At most IMAGE_QUEUE_MAX wait;
 * beyond, an upload is refused with `rate_limited` and a `retryAfter`.
 */
const IMAGE_QUEUE_MAX = 64;
export const imageProcessing = createAdmissionGate({
  concurrency: 1, queueMax: IMAGE_QUEUE_MAX, maxWaitMs: 120_000, holdMs: 2000, busy: "the server is busy with other images",
});
/**
 * Images of one person (`owner`) waiting or being processed at once, at most: what one message can
 * carry (the web client uploads a message's files together), so one account cannot fill the queue (16
 * large GIFs, each 8 s to decode, held another person's upload for two minutes).
 */
export const IMAGES_PER_OWNER = MAX_ATTACHMENTS;
const queuedByOwner = new Map<string, number>();
/** Thumbnails fit in this square (CSS pixels × 2 for dense screens). */
export const THUMB_SIZE = 480;
/** An image that takes longer than this to process is refused. */
const PROCESS_SECONDS = 30;

export const isImageType = (type: string) => type in IMAGE_FORMATS;

type Sharp = typeof sharpFunction;
let sharpModule: Sharp | undefined;
/**
 * sharp (libvips), loaded on the first image rather than at start: a server nobody sends an image to
 * does without its resident memory (about 10 MiB). libvips keeps recently decoded images in an
 * operation cache (up to 50 MB by default); every upload is a different image, so the cache only holds
 * memory: switched off on load.
 */
function loadSharp(): Sharp {
  if (!sharpModule) {
    sharpModule = require("sharp") as Sharp;
    sharpModule.cache(false);
  }
  return sharpModule;
}

export type PreparedImage = {
  /** The re-encoded original: EXIF orientation applied, every metadata block (EXIF, GPS, XMP, IPTC, comments) dropped. */
  file: string;
  size: number;
  width: number;
  height: number;
  /** WebP thumbnail (first frame), no larger than THUMB_SIZE on either side. */
  thumb: string;
  thumbSize: number;
};

/**
 * Re-encodes an uploaded raster image (same format) and makes its thumbnail, into `tmpDir`. The size is
 * read from the header first, so a small file declaring a huge canvas is refused with `too_large`
 * before anything is decoded; a file that does not decode is `bad_request`.
 */
export async function prepareImage(
  input: string,
  type: string,
  tmpDir: string,
  opts: { owner?: string; signal?: AbortSignal } = {},
): Promise<PreparedImage> {
  const sharp = loadSharp();
  const format = IMAGE_FORMATS[type];
  const animated = format === "gif" || format === "webp";
  let meta: Metadata;
  try {
    // Header only: nothing is decoded here, so no pixel limit yet; the size is judged below.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new AppError("bad_request", "the image could not be read", { cause: err, reason: "image_unreadable" });
  }
  const frames = animated ? (meta.pages ?? 1) : 1;
  const pixels = (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0) * frames;
  // The pixels this image may have: fewer when each takes more than 4 bytes (16-bit samples); an unknown
  // band format counts as the widest, refused if in doubt.
  const sampleBytes = format === "jpeg" && meta.isProgressive ? PROGRESSIVE_JPEG_SAMPLE_BYTES : (SAMPLE_BYTES[meta.depth ?? ""] ?? 16);
  const limit = Math.min(MAX_IMAGE_PIXELS, Math.floor(MAX_IMAGE_DECODED_BYTES / ((meta.channels ?? 4) * sampleBytes)));
  if (!pixels || pixels > limit) {
    throw new AppError("too_large", `images like this one may have at most ${limit / 1e6} million pixels`, { reason: "image_too_large", limit });
  }
  const { owner, signal } = opts;
  const mine = owner ? (queuedByOwner.get(owner) ?? 0) : 0;
  if (owner && mine >= IMAGES_PER_OWNER) {
    throw new AppError("rate_limited", `your other images are still being processed; try again in 5 s`, { retryAfter: 5 });
  }
  if (owner) queuedByOwner.set(owner, mine + 1);
  try {
    // An upload whose client went away while it waited is not decoded for nobody.
    // Round-robin by uploader: one account's images do not hold everyone else's behind them all.
    const release = await imageProcessing.enter(() => signal?.aborted === true, owner);
    if (!release) throw new AppError("bad_request", "the upload was abandoned");
    try {
      if (signal?.aborted) throw new AppError("bad_request", "the upload was abandoned");
      return await encode(input, format, animated, tmpDir);
    } finally {
      release();
    }
  } finally {
    if (owner) {
      const left = (queuedByOwner.get(owner) ?? 1) - 1;
      if (left > 0) queuedByOwner.set(owner, left);
      else queuedByOwner.delete(owner);
    }
  }
}

/** The decoding and encoding part of prepareImage(), once its size is known to be acceptable. */
async function encode(input: string, format: (typeof IMAGE_FORMATS)[string], animated: boolean, tmpDir: string): Promise<PreparedImage> {
  const sharp = loadSharp();
  const file = path.join(tmpDir, `${randomUUID()}.${format}`);
  const thumb = path.join(tmpDir, `${randomUUID()}.webp`);
  try {
    // sharp writes no metadata unless asked (keepMetadata/withMetadata); rotate() applies the EXIF
    // orientation before it is dropped, so the picture still stands the right way up.
    const out = await sharp(input, { limitInputPixels: MAX_IMAGE_PIXELS, animated, failOn: "error" })
      .rotate()
      .timeout({ seconds: PROCESS_SECONDS })
      .toFormat(format, format === "jpeg" ? { quality: 90 } : format === "png" ? {} : { quality: 90 })
      .toFile(file);
    const t = await sharp(file, { limitInputPixels: MAX_IMAGE_PIXELS })
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: "inside", withoutEnlargement: true })
      .timeout({ seconds: PROCESS_SECONDS })
      .webp({ quality: 80 })
      .toFile(thumb);
    return { file, size: out.size, width: out.width, height: (out as { pageHeight?: number }).pageHeight ?? out.height, thumb, thumbSize: t.size };
  } catch (err) {
    await Promise.all([rm(file, { force: true }), rm(thumb, { force: true })]);
    throw new AppError("bad_request", "the image could not be decoded", { cause: err, reason: "image_unreadable" });
  }
}
