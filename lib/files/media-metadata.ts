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
/** Top-level boxes one of which starts every ISO base media file or QuickTime movie this handles. */
const FIRST_BOXES = new Set(["ftyp", "moov", "mdat", "wide", "free", "skip"]);
const ZEROS = Buffer.alloc(64 * 1024);

/** A box: its type, where it starts, its size and its header's (size, type, large size, `uuid` user type), and where its size fields end (`fields`: 8, or 16 with a large size). */
type Box = { type: string; start: number; size: number; header: number; fields: number };

/** The box header at `at` within a parent that ends at `end`, or null where none fits (the walk stops). */
async function readBox(handle: FileHandle, at: number, end: number): Promise<(Box & { uuid?: Buffer }) | null> {
  if (at + 8 > end) return null;
  const buf = Buffer.alloc(32);
  const { bytesRead } = await handle.read(buf, 0, Math.min(32, end - at), at);
  if (bytesRead < 8) return null;
  let size = buf.readUInt32BE(0);
  const type = buf.toString("latin1", 4, 8);
  let header = 8;
  if (size === 1) {
    if (bytesRead < 16) return null;
    const large = buf.readBigUInt64BE(8);
    if (large > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    size = Number(large);
    header = 16;
  } else if (size === 0) {
    size = end - at; // the box runs to the end of its parent (the file at the top level)
  }
  const fields = header;
  const uuid = type === "uuid" && bytesRead >= header + 16 ? buf.subarray(header, header + 16) : undefined;
  if (type === "uuid") header += 16;
  if (size < header || at + size > end) return null;
  return { type, start: at, size, header, fields, uuid };
}

/** Turns `box` into a `free` box of the same size with zeros for contents. */
async function empty(handle: FileHandle, box: Box): Promise<void> {
  await handle.write(Buffer.from("free", "latin1"), 0, 4, box.start + 4);
  // Everything after the size fields: a `uuid` box's user type too.
  const from = box.start + box.fields;
  for (let at = from; at < box.start + box.size; at += ZEROS.length) {
    await handle.write(ZEROS, 0, Math.min(ZEROS.length, box.start + box.size - at), at);
  }
}

/**
 * Empties the metadata boxes (`udta`, `meta`, XMP `uuid`) of the ISO base media file at `file`, in
 * place: top level, `moov`, each `trak` and its `mdia`. Returns the paths of the boxes emptied
 * (`"moov/udta"`, `"moov/trak/meta"` …); [] for a file that is not one (its first box is none of
 * ftyp, moov, mdat, wide, free, skip) or has none. A malformed box (a size past its parent) ends the
 * walk of its parent: what came before it is emptied, the bytes after it are left as they are.
 * Errors: those of reading and writing the file.
 */
export async function stripMediaMetadata(file: string): Promise<string[]> {
  const handle = await open(file, "r+");
  try {
    const { size } = await handle.stat();
    const first = await readBox(handle, 0, size);
    if (!first || !FIRST_BOXES.has(first.type)) return [];
    const emptied: string[] = [];
    const walk = async (from: number, end: number, path: string): Promise<void> => {
      for (let at = from; ; ) {
        const box = await readBox(handle, at, end);
        if (!box) return;
        const xmp = box.type === "uuid" && box.uuid?.equals(XMP_UUID);
        if (METADATA.has(box.type) || xmp) {
          await empty(handle, box);
          emptied.push(`${path}${box.type}`);
        } else if (CONTAINERS.has(box.type)) {
          await walk(box.start + box.header, box.start + box.size, `${path}${box.type}/`);
        }
        at = box.start + box.size;
      }
    };
    await walk(0, size, "");
    return emptied;
  } finally {
    await handle.close();
  }
}
