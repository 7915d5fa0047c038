import { open, type FileHandle } from "node:fs/promises";

/**
 * Location and other metadata removed from an ISO base media file (ISO/IEC 14496-12: MP4, QuickTime
 * MOV, M4A, 3GP): what phones record beside a video: where it was filmed (QuickTime `©xyz`, the
 * `com.apple.quicktime.location.ISO6709` key of a `meta` box, 3GPP `loci`), the device, the software,
 * titles, XMP. They live in `udta` (user data) and `meta` boxes of the movie (`moov`) and its tracks
 * (`trak`), at the top level, and in XMP `uuid` boxes.
 *
 * Each such box is turned into a free-space box in place: its type becomes `free` and its contents
 * zeros (ISO/IEC 14496-12 §8.1.2: "the contents of a free-space box are irrelevant and may be ignored").
 * The file keeps its size and every other byte, so the chunk offsets of the sample tables (`stco`,
 * `co64`) stay right and the video plays as before, streamed or seeked (`Range`), with nothing to
 * re-encode or rewrite.
 */

/** Boxes whose children are walked: the movie, its tracks, their media. */
const CONTAINERS = new Set(["moov", "trak", "mdia"]);
/** Boxes of metadata only, emptied wherever the walk meets them. */
const METADATA = new Set(["udta", "meta"]);
/** The `uuid` box type of XMP in ISO base media files (Adobe XMP Specification Part 3, §1.1.4). */
const XMP_UUID = Buffer.from("be7acfcb97a942e89c71999491e3afac", "hex");
/**
 * The `uuid` box of a Canon CR3 raw photo's movie box (ISO base media, brand `crx `) that holds its TIFF
 * metadata: `CMT1` (IFD0), `CMT2` (Exif), `CMT3` (maker notes), `CMT4` (the GPS IFD: where the photo was
 * taken). Layout as LibRaw and ExifTool read it (Canon publishes no specification).
 */
const CANON_UUID = Buffer.from("85c0b687820f11e08111f4ce462b6a48", "hex");
/** Boxes of Canon's `uuid` box that are emptied: the GPS IFD. */
const CANON_METADATA = new Set(["CMT4"]);
/**
 * Top-level boxes of a JPEG XL file in its container form (ISO/IEC 18181-2 §9: it starts with a `JXL `
 * box) that hold metadata: EXIF (with the GPS location), XMP and JUMBF; a `brob` box is one of them
 * Brotli-compressed, its first 4 bytes naming which.
 */
const JXL_METADATA = new Set(["Exif", "xml ", "jumb"]);
/**
 * The `uuid` box of EXIF in the JPEG 2000 family (JP2, JPX, JPM, MJ2: ISO/IEC 15444, the same box
 * structure), user type "JpgTiffExif->JP2" as ExifTool and Exiv2 write and read it. Its XMP is an XMP
 * `uuid` box (XMP_UUID), and its top-level `xml ` boxes hold XML of any kind (XMP, captions).
 */
const JP2_EXIF_UUID = Buffer.from("JpgTiffExif->JP2", "latin1");
/**
 * The superboxes of the JPEG 2000 family (ISO/IEC 15444-1 Annex I, -2 Annex M, -6 JPM), walked like the
 * top level: a JPX association box (`asoc`, nested in others of its kind) pairs a label or a region with
 * an `xml ` box (GPS, captions), and any of these may hold an EXIF or XMP `uuid` box.
 */
const JP2_SUPERBOXES = new Set(["jp2h", "res ", "uinf", "asoc", "jpch", "jplh", "cgrp", "ftbl", "comp", "drep", "page", "lobj", "objc"]);
/** How deep JPEG 2000 superboxes are walked (an `asoc` in an `asoc` …): deeper ones are left as they are. */
const JP2_MAX_DEPTH = 16;
/** Top-level boxes one of which starts every ISO base media file or QuickTime movie this handles (`jP  `: the JPEG 2000 signature box). */
const FIRST_BOXES = new Set(["ftyp", "moov", "mdat", "wide", "free", "skip", "JXL ", "jP  "]);
const ZEROS = Buffer.alloc(64 * 1024);

/** A box: its type, where it starts, its size and its header's (size, type, large size, `uuid` user type), and where its size fields end (`fields`: 8, or 16 with a large size). */
type Box = { type: string; start: number; size: number; header: number; fields: number };

/** Reads box headers through a window of WINDOW bytes, so a file of many small boxes is not one read per box. */
type HeaderReader = { handle: FileHandle; window: Buffer; from: number; length: number };
const WINDOW = 64 * 1024;
const headerReader = (handle: FileHandle): HeaderReader => ({ handle, window: Buffer.alloc(WINDOW), from: 0, length: 0 });

/**
 * The header of the box that `bytes` starts with, `room` bytes being left in its parent (a size of 0
 * takes them all: the box runs to the parent's end): its type, size, header length (size, type, large
 * size, `uuid` user type), where its size fields end (`fields`) and a `uuid` box's user type. Null where
 * no box fits (too few bytes, a size smaller than its header or past the parent): the walk stops there.
 */
function boxHeader(bytes: Buffer, room: number): (Omit<Box, "start"> & { uuid?: Buffer }) | null {
  if (bytes.length < 8 || room < 8) return null;
  let size = bytes.readUInt32BE(0);
  const type = bytes.toString("latin1", 4, 8);
  let fields = 8;
  if (size === 1) {
    size = uint(bytes, 8, 8);
    fields = 16;
  } else if (size === 0) {
    size = room;
  }
  const uuid = type === "uuid" && bytes.length >= fields + 16 ? bytes.subarray(fields, fields + 16) : undefined;
  const header = type === "uuid" ? fields + 16 : fields;
  if (!(size >= header) || size > room) return null;
  return { type, size, header, fields, uuid };
}

/** The box header at file offset `at` within a parent that ends at `end` (see boxHeader), read through the window. */
async function readBox(reader: HeaderReader, at: number, end: number): Promise<(Box & { uuid?: Buffer }) | null> {
  if (at + 8 > end) return null;
  const want = Math.min(32, end - at);
  if (at < reader.from || at + want > reader.from + reader.length) {
    reader.from = at;
    reader.length = (await reader.handle.read(reader.window, 0, WINDOW, at)).bytesRead;
  }
  const offset = at - reader.from;
  const found = boxHeader(reader.window.subarray(offset, Math.min(offset + want, reader.length)), end - at);
  return found && { ...found, start: at };
}

/** Writes zeros over the bytes [start, end) of the file. */
async function zeroFill(handle: FileHandle, start: number, end: number): Promise<void> {
  for (let at = start; at < end; at += ZEROS.length) await handle.write(ZEROS, 0, Math.min(ZEROS.length, end - at), at);
}

/** Bytes of emptied boxes gathered before they are written (see emptier). */
const RUN = 256 * 1024;
/** Paths of emptied boxes stripMediaMetadata lists, at most (a file may have millions of tiny ones). */
const MAX_LISTED = 64;

/**
 * Turns boxes into `free` boxes of the same size with zeros for contents (their size fields kept): `empty`
 * takes a box right after readBox read its header (its size fields are then in the reader's window);
 * boxes that follow one another are gathered, up to RUN bytes, and written together by the next box that
 * does not follow or by `flush`, so a file of many small metadata boxes costs a write per RUN bytes, not
 * several per box (100,000 empty `udta` boxes, 800 kB, took 13-17 s box by box). Boxes are emptied in
 * file order and the walk never reads a box it passed, so what is not written yet is never read.
 */
function emptier(reader: HeaderReader) {
  const run = { at: 0, length: 0, buf: Buffer.alloc(RUN) };
  const flush = async () => {
    if (run.length > 0) await reader.handle.write(run.buf, 0, run.length, run.at);
    run.length = 0;
  };
  const empty = async (box: Box) => {
    // The size fields as they are (a size of 0, a large size), then `free`; a `uuid` box's user type and
    // everything else become zeros.
    const offset = box.start - reader.from;
    let head: Buffer;
    if (offset >= 0 && offset + box.fields <= reader.length) head = Buffer.from(reader.window.subarray(offset, offset + box.fields));
    else {
      head = Buffer.alloc(box.fields);
      await reader.handle.read(head, 0, box.fields, box.start);
    }
    head.write("free", 4, "latin1");
    if (box.size > RUN) {
      await flush();
      await reader.handle.write(head, 0, box.fields, box.start);
      return zeroFill(reader.handle, box.start + box.fields, box.start + box.size);
    }
    if (run.length > 0 && (run.at + run.length !== box.start || run.length + box.size > RUN)) await flush();
    if (run.length === 0) run.at = box.start;
    head.copy(run.buf, run.length);
    run.buf.fill(0, run.length + box.fields, run.length + box.size);
    run.length += box.size;
  };
  return { empty, flush };
}

/**
 * Empties the metadata boxes (`udta`, `meta`, XMP `uuid`) of the ISO base media file at `file`, in
 * place: top level, `moov`, each `trak` and its `mdia`, and the GPS IFD (`CMT4`) of a Canon CR3's metadata
 * `uuid` box in `moov` (CANON_UUID), the EXIF, XMP and JUMBF boxes of a JPEG XL file (JXL_METADATA), and
 * the EXIF `uuid` (JP2_EXIF_UUID), XMP `uuid` and `xml ` boxes of a JPEG 2000 file, at its top level and in
 * its superboxes (JP2_SUPERBOXES, JP2_MAX_DEPTH deep: a JPX `asoc` → `xml `);
 * and zeroes the samples of its timed metadata tracks (see timedMetadataSamples: a GoPro's GPS track, Google's camera motion metadata …), whose
 * bytes lie in `mdat`. Returns the paths of the boxes emptied (`"moov/udta"`, `"moov/trak/meta"` …; the
 * first MAX_LISTED) and `"moov/trak samples (<format>)"` for each track whose samples were zeroed; [] for a file that
 * is not one (its first box is none of
 * ftyp, moov, mdat, wide, free, skip, JXL , jP  ) or has none. A malformed box (a size past its parent) ends the
 * walk of its parent: what came before it is emptied, the bytes after it are left as they are.
 * Errors: those of reading and writing the file.
 */
export async function stripMediaMetadata(file: string): Promise<string[]> {
  const handle = await open(file, "r+");
  try {
    const { size } = await handle.stat();
    const reader = headerReader(handle);
    const first = await readBox(reader, 0, size);
    if (!first || !FIRST_BOXES.has(first.type)) return [];
    const emptied: string[] = [];
    const samples: [number, number][] = [];
    const { empty, flush } = emptier(reader);
    const jxl = first.type === "JXL ";
    // Readers of the JPEG 2000 family skip boxes they do not know (ISO/IEC 15444-1 §I.4), a `free` one included.
    const jp2 = first.type === "jP  ";
    const jp2Metadata = (box: Box & { uuid?: Buffer }) => jp2 && (box.type === "xml " || (box.type === "uuid" && box.uuid?.equals(JP2_EXIF_UUID) === true));
    /** Whether a top-level box of a JPEG XL file is one of its metadata boxes, compressed (`brob`) or not. */
    const jxlMetadata = async (box: Box): Promise<boolean> => {
      if (JXL_METADATA.has(box.type)) return true;
      if (box.type !== "brob" || box.size < box.header + 4) return false;
      // Read with the header, through the window, when it is there (readBox reads 32 bytes of a box).
      const offset = box.start + box.header - reader.from;
      let inner = offset >= 0 && offset + 4 <= reader.length ? reader.window.subarray(offset, offset + 4) : null;
      if (!inner) {
        inner = Buffer.alloc(4);
        await handle.read(inner, 0, 4, box.start + box.header);
      }
      return JXL_METADATA.has(inner.toString("latin1"));
    };
    const walk = async (from: number, end: number, path: string): Promise<void> => {
      for (let at = from; ; ) {
        const box = await readBox(reader, at, end);
        if (!box) return;
        const xmp = box.type === "uuid" && box.uuid?.equals(XMP_UUID);
        if (box.type === "trak" && path === "moov/") {
          // Read before the walk below empties the track's own udta/meta (which hold no sample tables).
          const timed = await timedMetadataSamples(reader, box);
          if (timed) {
            samples.push(...timed.ranges);
            emptied.push(`moov/trak samples (${timed.format})`);
          }
        }
        const metadata =
          METADATA.has(box.type) || xmp || (path === "moov/uuid/" && CANON_METADATA.has(box.type)) || (jxl && path === "" && (await jxlMetadata(box))) ||
          jp2Metadata(box);
        if (metadata) {
          await empty(box);
          if (emptied.length < MAX_LISTED) emptied.push(`${path}${box.type}`);
        } else if (path === "moov/" && box.type === "uuid" && box.uuid?.equals(CANON_UUID)) {
          await walk(box.start + box.header, box.start + box.size, "moov/uuid/");
        } else if (jp2 && JP2_SUPERBOXES.has(box.type) && path.split("/").length <= JP2_MAX_DEPTH) {
          await walk(box.start + box.header, box.start + box.size, `${path}${box.type}/`);
        } else if (CONTAINERS.has(box.type) && !path.split("/").includes(box.type)) {
          // A container inside one of its own kind (moov in moov …) is no movie's: the walk is at most three deep.
          await walk(box.start + box.header, box.start + box.size, `${path}${box.type}/`);
        }
        at = box.start + box.size;
      }
    };
    await walk(0, size, "");
    await flush();
    if (samples.length > 0) await zeroRanges(handle, samples, size);
    return emptied;
  } finally {
    await handle.close();
  }
}

/** The JPEG 2000 family (ISO/IEC 15444: JP2, JPX, JPM, Motion JPEG 2000) as `file-type` names it: stored as sent, its metadata boxes emptied. */
export const JPEG_2000_TYPES = new Set(["image/jp2", "image/jpx", "image/jpm", "image/mj2", "video/mj2"]);

/** The HEIF image types (ISO/IEC 23008-12) as `file-type` names them: stored as sent, never decoded here. */
export const HEIF_TYPES = new Set(["image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"]);
/** Largest `meta` box read whole (item information and locations; the pictures are elsewhere). */
const MAX_META_BYTES = 16 * 1024 * 1024;
/** Most extents (byte ranges) the EXIF and XMP items of one file may have and still be zeroed. */
const MAX_METADATA_EXTENTS = 1024;

/** An unsigned big-endian integer of `bytes` (0, 4 or 8) at `at`; NaN past MAX_SAFE_INTEGER or the buffer's end. */
function uint(buf: Buffer, at: number, bytes: number): number {
  if (bytes === 0) return 0;
  if (at + bytes > buf.length) return NaN;
  if (bytes === 2) return buf.readUInt16BE(at);
  if (bytes === 4) return buf.readUInt32BE(at);
  if (bytes === 8) {
    const v = buf.readBigUInt64BE(at);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? NaN : Number(v);
  }
  return NaN;
}

/** The child boxes of the box contents `buf[from, end)`, as offsets into `buf` (see boxHeader). */
function children(buf: Buffer, from: number, end: number): Box[] {
  const out: Box[] = [];
  for (let at = from; ; ) {
    const found = boxHeader(buf.subarray(at, end), end - at);
    if (!found) return out;
    out.push({ ...found, start: at });
    at += found.size;
  }
}

/**
 * The ids of the metadata items in an `iinf` box (ISO/IEC 14496-12 §8.11.6): item type `Exif` (EXIF,
 * with its GPS location) and `mime` items of type `application/rdf+xml` (XMP).
 */
function metadataItems(buf: Buffer, iinf: { start: number; size: number }): Set<number> {
  const ids = new Set<number>();
  const version = buf[iinf.start + 8];
  const first = iinf.start + 12 + (version === 0 ? 2 : 4);
  for (const infe of children(buf, first, iinf.start + iinf.size)) {
    if (infe.type !== "infe") continue;
    const v = buf[infe.start + 8];
    if (v < 2) continue; // versions 0 and 1 name no item type
    let at = infe.start + 12;
    const id = uint(buf, at, v === 2 ? 2 : 4);
    at += (v === 2 ? 2 : 4) + 2; // item_protection_index
    const itemType = buf.toString("latin1", at, at + 4);
    at += 4;
    // item_name, then a MIME item's content_type: strings ended by NUL, within the infe box.
    const [, contentType = ""] = buf.toString("latin1", at, infe.start + infe.size).split("\0");
    if (itemType === "Exif" || (itemType === "mime" && contentType.split(";")[0].trim() === "application/rdf+xml")) ids.add(id);
  }
  return ids;
}

/**
 * The byte ranges of items `ids` in the file, from an `iloc` box (ISO/IEC 14496-12 §8.11.3): file offsets
 * for construction method 0, offsets into the `idat` box's contents (`idat`, a file offset) for method 1;
 * items built from other items (method 2) have no bytes of their own. Null when the metadata items
 * have more than MAX_METADATA_EXTENTS extents (a phone writes one each): a file built to make the
 * zeroing slow, not a photo.
 */
function itemExtents(buf: Buffer, iloc: { start: number; size: number }, ids: Set<number>, metaAt: number, idat: number | null): [number, number][] | null {
  const ranges: [number, number][] = [];
  const version = buf[iloc.start + 8];
  let at = iloc.start + 12;
  const offsetSize = buf[at] >> 4;
  const lengthSize = buf[at] & 15;
  const baseOffsetSize = buf[at + 1] >> 4;
  const indexSize = version === 1 || version === 2 ? buf[at + 1] & 15 : 0;
  at += 2;
  const idSize = version < 2 ? 2 : 4;
  const count = uint(buf, at, idSize);
  at += idSize;
  for (let i = 0; i < count && at < iloc.start + iloc.size; i++) {
    const id = uint(buf, at, idSize);
    at += idSize;
    let method = 0;
    if (version === 1 || version === 2) {
      method = uint(buf, at, 2) & 15;
      at += 2;
    }
    at += 2; // data_reference_index
    const base = uint(buf, at, baseOffsetSize);
    at += baseOffsetSize;
    const extents = uint(buf, at, 2);
    at += 2;
    // Extents past the box's end are not there: stop (a count of 65,535 per item must not be walked on
    // 0-byte fields — offset, length and index sizes of 0 — or read past the box).
    const extentBytes = indexSize + offsetSize + lengthSize;
    if (Number.isNaN(extents) || at + extents * extentBytes > iloc.start + iloc.size) break;
    if (extentBytes === 0 || !ids.has(id)) {
      at += extents * extentBytes;
      continue;
    }
    for (let e = 0; e < extents; e++) {
      at += indexSize;
      const offset = uint(buf, at, offsetSize);
      at += offsetSize;
      const length = uint(buf, at, lengthSize);
      at += lengthSize;
      if (!(length > 0) || Number.isNaN(base + offset)) continue;
      if (ranges.length === MAX_METADATA_EXTENTS) return null;
      if (method === 0) ranges.push([base + offset, length]);
      else if (method === 1 && idat !== null) ranges.push([metaAt + idat + base + offset, length]);
    }
    if (Number.isNaN(count)) break;
  }
  return ranges;
}

/**
 * `ranges` ([start, length]) cut to a file of `size` bytes, sorted, with overlapping and touching ones
 * merged: each byte is in at most one, so no byte is written twice however often extents repeat it.
 */
function mergeRanges(ranges: readonly [number, number][], size: number): [number, number][] {
  const cut = ranges
    .map(([start, length]): [number, number] => [start, Math.min(start + length, size)])
    .filter(([start, end]) => start < end)
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [start, end] of cut) {
    const last = out.at(-1);
    if (last && start <= last[0] + last[1]) last[1] = Math.max(last[1], end - last[0]);
    else out.push([start, end - start]);
  }
  return out;
}

/**
 * Writes zeros over `ranges` ([start, length] in bytes) of the open file of `size` bytes, cut to the file
 * and merged first (mergeRanges), so no byte is written twice however often the ranges repeat it.
 * Returns how many bytes were zeroed. Errors: those of writing the file.
 */
export async function zeroRanges(handle: FileHandle, ranges: readonly [number, number][], size: number): Promise<number> {
  let zeroed = 0;
  for (const [start, length] of mergeRanges(ranges, size)) {
    await zeroFill(handle, start, start + length);
    zeroed += length;
  }
  return zeroed;
}

/**
 * Empties the EXIF and XMP items of the HEIF image (HEIC, as iPhones save photos) at `file`, in place:
 * the bytes the top-level `meta` box's item locations (`iloc`) give for the items its item information
 * (`iinf`) names `Exif` or XMP become zeros, so the camera, the time and the GPS location are gone while
 * every offset, the pictures and their properties (size, rotation, colour) stay as they are. (The
 * server has no HEVC decoder to re-encode HEIC as it does JPEG.) Each byte is written at most once,
 * however often the extents name it. Returns how many bytes were zeroed; 0 for a file without such
 * items or whose boxes it cannot read (a `meta` box over 16 MiB, a malformed one, more than
 * MAX_METADATA_EXTENTS extents of metadata). Errors: those of reading and writing the file.
 */
export async function stripHeifMetadata(file: string): Promise<number> {
  const handle = await open(file, "r+");
  try {
    const { size } = await handle.stat();
    let meta: Box | null = null;
    const reader = headerReader(handle);
    for (let at = 0; ; ) {
      const box = await readBox(reader, at, size);
      if (!box) break;
      if (box.type === "meta") {
        meta = box;
        break;
      }
      at = box.start + box.size;
    }
    if (!meta || meta.size > MAX_META_BYTES) return 0;
    const buf = Buffer.alloc(meta.size);
    await handle.read(buf, 0, meta.size, meta.start);
    const boxes = children(buf, meta.header + 4, meta.size); // meta is a full box: version and flags first
    const iinf = boxes.find((b) => b.type === "iinf");
    const iloc = boxes.find((b) => b.type === "iloc");
    const idat = boxes.find((b) => b.type === "idat");
    if (!iinf || !iloc) return 0;
    const ids = metadataItems(buf, iinf);
    if (ids.size === 0) return 0;
    const extents = itemExtents(buf, iloc, ids, meta.start, idat ? idat.start + idat.fields : null);
    if (!extents) return 0;
    return await zeroRanges(handle, extents, size);
  } finally {
    await handle.close();
  }
}

/**
 * Sample entry formats of timed metadata that may say where a video was filmed, whatever their track's
 * handler: GoPro's GPMF (`gpmd`: GPS among the sensor streams), Google's Camera Motion Metadata
 * (`camm`, type 5 and 6 are GPS), Apple's boxed metadata (`mebx`, QuickTime File Format: timed location
 * among other keys).
 */
const TIMED_METADATA_FORMATS = new Set(["gpmd", "camm", "mebx"]);
/** Largest `trak` box read whole for its sample tables (a long video's are a few MB). */
const MAX_TRAK_BYTES = 16 * 1024 * 1024;

/** The first child of `buf[box]` of type `type` (`skip`: bytes of a full box's version and flags, or an entry count, before the children). */
function childOf(buf: Buffer, box: Box | undefined, type: string, skip = 0): Box | undefined {
  return box && children(buf, box.start + box.header + skip, box.start + box.size).find((b) => b.type === type);
}

/**
 * The byte ranges ([start, length]) of every sample of the track whose `stbl` box is `stbl` in `buf`,
 * from its sample tables (ISO/IEC 14496-12 §8.7: `stsz` or `stz2` sizes, `stsc` samples per chunk,
 * `stco` or `co64` chunk offsets), or null where the tables are missing or contradict their own sizes.
 */
function sampleRanges(buf: Buffer, stbl: Box): [number, number][] | null {
  const boxes = children(buf, stbl.start + stbl.header, stbl.start + stbl.size);
  const find = (type: string) => boxes.find((b) => b.type === type);
  const body = (b: Box) => b.start + b.header + 4; // past version and flags
  const end = (b: Box) => b.start + b.size;
  // Sample sizes: `count` samples, all `fixed` bytes or each its own (`sizeAt`).
  let count: number;
  let fixed = 0;
  let sizeAt: (i: number) => number = () => fixed;
  const stsz = find("stsz");
  const stz2 = find("stz2");
  if (stsz) {
    fixed = uint(buf, body(stsz), 4);
    count = uint(buf, body(stsz) + 4, 4);
    const first = body(stsz) + 8;
    if (!(fixed >= 0) || !(count >= 0) || (fixed === 0 && first + count * 4 > end(stsz))) return null;
    if (fixed === 0) sizeAt = (i) => buf.readUInt32BE(first + i * 4);
  } else if (stz2) {
    const field = buf[body(stz2) + 3];
    count = uint(buf, body(stz2) + 4, 4);
    const first = body(stz2) + 8;
    if (![4, 8, 16].includes(field) || !(count >= 0) || first + Math.ceil((count * field) / 8) > end(stz2)) return null;
    if (field === 16) sizeAt = (i) => buf.readUInt16BE(first + i * 2);
    else if (field === 8) sizeAt = (i) => buf[first + i];
    else sizeAt = (i) => (i % 2 === 0 ? buf[first + (i >> 1)] >> 4 : buf[first + (i >> 1)] & 0x0f);
  } else {
    return null;
  }
  // Chunk offsets.
  const stco = find("stco");
  const co64 = find("co64");
  const offsets = stco ?? co64;
  if (!offsets) return null;
  const width = stco ? 4 : 8;
  const chunks = uint(buf, body(offsets), 4);
  if (!(chunks >= 0) || body(offsets) + 4 + chunks * width > end(offsets)) return null;
  // Samples per chunk: runs from a first chunk (1-based) on.
  const stsc = find("stsc");
  if (!stsc) return null;
  const runs = uint(buf, body(stsc), 4);
  if (!(runs >= 0) || body(stsc) + 4 + runs * 12 > end(stsc)) return null;
  const ranges: [number, number][] = [];
  let sample = 0;
  for (let r = 0; r < runs && sample < count; r++) {
    const at = body(stsc) + 4 + r * 12;
    const firstChunk = uint(buf, at, 4);
    const perChunk = uint(buf, at + 4, 4);
    const nextFirst = r + 1 < runs ? uint(buf, at + 12, 4) : chunks + 1;
    if (!(firstChunk >= 1) || !(nextFirst > firstChunk)) return null;
    for (let chunk = firstChunk; chunk < nextFirst && chunk <= chunks && sample < count; chunk++) {
      const offset = uint(buf, body(offsets) + 4 + (chunk - 1) * width, width);
      if (!(offset >= 0)) return null;
      const taken = Math.min(perChunk, count - sample);
      let length = fixed * taken;
      if (fixed === 0) for (let i = 0; i < taken; i++) length += sizeAt(sample + i);
      sample += taken;
      if (length > 0) ranges.push([offset, length]);
    }
  }
  return ranges;
}

/**
 * The samples of the track `trak` (a box of the file `reader` reads) if it is a timed metadata track: its media
 * handler is `meta` (ISO/IEC 14496-12 §12.3: timed metadata, "not intended for presentation") or its
 * first sample entry is one of TIMED_METADATA_FORMATS. Returns `{ format, ranges }` (the sample entry's
 * format, the samples' [start, length] byte ranges in the file), or null for any other track and for
 * one whose tables cannot be read (a `trak` over 16 MiB, missing or inconsistent tables). Video, audio,
 * subtitles and timecode are never touched: players ignore metadata tracks, so zeroing their samples
 * changes nothing that plays. Errors: those of reading the file.
 */
async function timedMetadataSamples(reader: HeaderReader, trak: Box): Promise<{ format: string; ranges: [number, number][] } | null> {
  if (trak.size > MAX_TRAK_BYTES) return null;
  // A track that the window holds whole is read from it: a file of thousands of small tracks costs no read each.
  const offset = trak.start - reader.from;
  let buf: Buffer;
  if (offset >= 0 && offset + trak.size <= reader.length) buf = reader.window.subarray(offset, offset + trak.size);
  else {
    buf = Buffer.alloc(trak.size);
    await reader.handle.read(buf, 0, trak.size, trak.start);
  }
  const local: Box = { ...trak, start: 0 };
  const mdia = childOf(buf, local, "mdia");
  const hdlr = childOf(buf, mdia, "hdlr");
  const stbl = childOf(buf, childOf(buf, mdia, "minf"), "stbl");
  if (!hdlr || !stbl) return null;
  const handler = buf.toString("latin1", hdlr.start + hdlr.header + 8, hdlr.start + hdlr.header + 12);
  const stsd = childOf(buf, stbl, "stsd");
  const entry = stsd && children(buf, stsd.start + stsd.header + 8, stsd.start + stsd.size)[0];
  const format = entry?.type ?? "";
  if (handler !== "meta" && !TIMED_METADATA_FORMATS.has(format)) return null;
  const ranges = sampleRanges(buf, stbl);
  return ranges && ranges.length > 0 ? { format: format || handler, ranges } : null;
}
