import { open, type FileHandle } from "node:fs/promises";
import { zeroRanges } from "./media-metadata";

/**
 * Where a photo was taken, and whose camera took it, removed from a TIFF-structured file in place: TIFF
 * itself, BigTIFF, and the camera raw formats built on it (Adobe DNG, as phones save "ProRAW"; Canon CR2,
 * Nikon NEF, Sony ARW, Pentax PEF, Olympus ORF, Panasonic RW2), and JPEG XR. These are stored as sent and served as
 * downloads (the server re-encodes only the images it shows), so what they carry must go first:
 *  - the GPS IFD (TIFF/EP and Exif 2.3 §4.6.6, tag 34853): its entries and their values become zeros,
 *    which a reader sees as an empty IFD (no entries, no next IFD);
 *  - XMP (tag 700), IPTC-NAA (33723) and Photoshop image resources (34377), which may hold the location,
 *    names and captions again: their values become zeros;
 *  - the Exif owner and serial numbers (CameraOwnerName 42032, BodySerialNumber 42033, LensSerialNumber
 *    42037) and DNG's CameraSerialNumber (50735): their values become zeros.
 * The file keeps its size and every other byte: the pictures, their strip and tile offsets, the camera
 * settings and maker notes a raw converter needs. Offsets follow TIFF 6.0 §2 (8-byte header, 12-byte IFD
 * entries, values of up to 4 bytes in the entry) and BigTIFF (16-byte header, 20-byte entries, up to 8).
 */

/**
 * The second header word of a TIFF (42), BigTIFF (43), Olympus ORF ("RO", "RS"), Panasonic RW2 (0x55) and
 * JPEG XR (HD Photo, ITU-T T.832 Annex A: "II", 0xBC, version 1; its IFDs are TIFF's, with the same Exif,
 * GPS, XMP, IPTC and Photoshop tags).
 */
const MAGIC = new Set([42, 43, 0x4f52, 0x5352, 0x55, 0x01bc]);
/** Bytes of one value of each TIFF field type (TIFF 6.0 §2, BigTIFF's 16-18); 0 for unknown types. */
const TYPE_BYTES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8];
/** IFDs whose entries are read: IFD0 and its chain, SubIFDs (330), the Exif IFD (34665). */
const SUB_IFDS = 330;
const EXIF_IFD = 34665;
const GPS_IFD = 34853;
/** Tags whose values are zeroed wherever they are met. */
const WIPED = new Set([700, 33723, 34377, 42032, 42033, 42037, 50735]);
/** At most this many IFDs are read (a crafted file may chain or point at thousands) … */
const MAX_IFDS = 256;
/** … each of at most this many entries. */
const MAX_ENTRIES = 4096;

type Layout = { le: boolean; big: boolean };
/**
 * Where a TIFF's bytes are read from: the file itself, or a window of it for a TIFF embedded in another
 * format (a JPEG's EXIF segment), whose offsets count from the TIFF's own start (windowAt).
 */
type Source = { read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> };
/** The bytes of `handle` from `base` on, as a Source whose position 0 is `base`. */
const windowAt = (handle: FileHandle, base: number): Source => ({ read: (buffer, offset, length, position) => handle.read(buffer, offset, length, base + position) });
type Entry = { tag: number; type: number; count: number; /** where the value is: in the entry, or at its offset */ valueAt: number; bytes: number };

const u16 = (b: Buffer, at: number, { le }: Layout) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
const u32 = (b: Buffer, at: number, { le }: Layout) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
/** An unsigned 64-bit field as a number (offsets past 2^53 are past any file, so they fail the bounds checks). */
const u64 = (b: Buffer, at: number, l: Layout) => (l.le ? Number(b.readBigUInt64LE(at)) : Number(b.readBigUInt64BE(at)));

async function readAt(handle: Source, at: number, length: number): Promise<Buffer | null> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buf, 0, length, at);
  return bytesRead === length ? buf : null;
}

/** The IFD at `at`: its entries, where it ends (past the next-IFD offset) and the next IFD's offset; null when it does not fit in the file. */
async function readIfd(handle: Source, at: number, size: number, l: Layout): Promise<{ entries: Entry[]; end: number; next: number } | null> {
  const countBytes = l.big ? 8 : 2;
  const entryBytes = l.big ? 20 : 12;
  const inline = l.big ? 8 : 4;
  if (at < 8 || at + countBytes > size) return null;
  const head = await readAt(handle, at, countBytes);
  if (!head) return null;
  const count = l.big ? u64(head, 0, l) : u16(head, 0, l);
  if (count > MAX_ENTRIES) return null;
  const tableBytes = count * entryBytes + (l.big ? 8 : 4);
  const table = at + countBytes + tableBytes <= size ? await readAt(handle, at + countBytes, tableBytes) : null;
  if (!table) return null;
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const e = i * entryBytes;
    const tag = u16(table, e, l);
    const type = u16(table, e + 2, l);
    const n = l.big ? u64(table, e + 4, l) : u32(table, e + 4, l);
    const bytes = (TYPE_BYTES[type] ?? 0) * n;
    const field = at + countBytes + e + (l.big ? 12 : 8);
    const valueAt = bytes <= inline ? field : l.big ? u64(table, e + 12, l) : u32(table, e + 8, l);
    entries.push({ tag, type, count: n, valueAt, bytes });
  }
  const next = l.big ? u64(table, count * entryBytes, l) : u32(table, count * entryBytes, l);
  return { entries, end: at + countBytes + tableBytes, next };
}

/** The offsets an IFD-pointer entry (LONG, IFD, LONG8 or IFD8 values) names. */
async function pointers(handle: Source, e: Entry, size: number, l: Layout): Promise<number[]> {
  const width = TYPE_BYTES[e.type];
  if (![4, 8].includes(width) || ![4, 13, 16, 18].includes(e.type) || e.count > MAX_IFDS || e.valueAt + e.bytes > size) return [];
  const buf = await readAt(handle, e.valueAt, e.bytes);
  if (!buf) return [];
  return Array.from({ length: e.count }, (_, i) => (width === 8 ? u64(buf, i * 8, l) : u32(buf, i * 4, l)));
}

/**
 * Zeroes the location, XMP/IPTC and owner/serial metadata of the TIFF-structured file at `file` in place
 * (see above). Returns how many bytes were zeroed; 0 for a file that is not TIFF-structured or carries
 * none. Reads at most MAX_IFDS IFDs of MAX_ENTRIES entries each and never leaves the file: a malformed
 * IFD or value is skipped, what was found before it is still zeroed. Errors: those of reading and
 * writing the file.
 */
export async function stripTiffMetadata(file: string): Promise<number> {
  const handle = await open(file, "r+");
  try {
    const { size } = await handle.stat();
    return await zeroRanges(handle, await metadataRanges(handle, size), size);
  } finally {
    await handle.close();
  }
}

/**
 * The byte ranges ([start, length], offsets of `handle`) stripTiffMetadata zeroes in the TIFF-structured
 * bytes of `handle`, `size` of them; [] for bytes that are not TIFF-structured.
 */
async function metadataRanges(handle: Source, size: number): Promise<[number, number][]> {
  const header = size >= 16 ? await readAt(handle, 0, 16) : null;
  if (!header) return [];
  const order = header.toString("latin1", 0, 2);
  if (order !== "II" && order !== "MM") return [];
  const le = order === "II";
  const magic = le ? header.readUInt16LE(2) : header.readUInt16BE(2);
  if (!MAGIC.has(magic)) return [];
  const l: Layout = { le, big: magic === 43 };
  const first = l.big ? u64(header, 8, l) : u32(header, 4, l);
  const ranges: [number, number][] = [];
  const seen = new Set<number>();
  const queue: { at: number; gps: boolean }[] = [{ at: first, gps: false }];
  while (queue.length > 0 && seen.size < MAX_IFDS) {
    const { at, gps } = queue.shift()!;
    if (seen.has(at)) continue;
    seen.add(at);
    const ifd = await readIfd(handle, at, size, l);
    if (!ifd) continue;
    if (gps) {
      // The whole IFD and every value it points to: zeros read as an IFD of no entries and no next one.
      ranges.push([at, ifd.end - at]);
      for (const e of ifd.entries) if (e.valueAt < at || e.valueAt >= ifd.end) ranges.push([e.valueAt, e.bytes]);
      continue;
    }
    // IFDs to read are queued only while they could still be read (MAX_IFDS in all).
    const room = () => seen.size + queue.length < MAX_IFDS;
    for (const e of ifd.entries) {
      if (WIPED.has(e.tag)) ranges.push([e.valueAt, e.bytes]);
      else if ((e.tag === GPS_IFD || e.tag === EXIF_IFD || e.tag === SUB_IFDS) && room()) {
        for (const p of await pointers(handle, e, size, l)) if (room()) queue.push({ at: p, gps: e.tag === GPS_IFD });
      }
    }
    if (ifd.next !== 0 && room()) queue.push({ at: ifd.next, gps: false });
  }
  return ranges;
}

/** Start of a Fujifilm RAF: its magic, as the format's readers (LibRaw, ExifTool) check it. */
const RAF_MAGIC = "FUJIFILMCCD-RAW ";
/** The RAF header field holding the embedded JPEG's offset (then its length), big-endian. */
const RAF_JPEG_OFFSET = 84;
/** An APP1 segment's EXIF identifier (Exif 2.3 §4.5.4: "Exif" and two NULs, then the TIFF). */
const EXIF_ID = Buffer.from("Exif\0\0", "latin1");
/** An APP1 segment's XMP identifier (XMP Specification Part 3, §1.1.3). */
const XMP_ID = Buffer.from("http://ns.adobe.com/xap/1.0/\0", "latin1");
/** Most JPEG segments read before the image data: a camera writes a dozen. */
const MAX_SEGMENTS = 256;

/**
 * The location and owner metadata of a Fujifilm RAF raw photo, in place. A RAF is a header, a full-size
 * JPEG preview and the sensor data; the camera's EXIF — the GPS IFD a paired phone fills in, the serial
 * numbers — is the JPEG's EXIF (APP1 segment), where raw converters read the camera settings from. That
 * TIFF gets what stripTiffMetadata does to a TIFF (its GPS IFD, XMP/IPTC and owner and serial numbers
 * zeroed, everything else kept), and an XMP APP1 segment's contents become zeros. The file keeps its size
 * and every other byte. Returns how many bytes were zeroed; 0 for a file that is not a RAF or whose
 * preview cannot be read. Errors: those of reading and writing the file.
 */
export async function stripRafMetadata(file: string): Promise<number> {
  const handle = await open(file, "r+");
  try {
    const { size } = await handle.stat();
    const header = size >= RAF_JPEG_OFFSET + 8 ? await readAt(handle, 0, RAF_JPEG_OFFSET + 8) : null;
    if (!header || header.toString("latin1", 0, RAF_MAGIC.length) !== RAF_MAGIC) return 0;
    const jpegAt = header.readUInt32BE(RAF_JPEG_OFFSET);
    const jpegEnd = Math.min(size, jpegAt + header.readUInt32BE(RAF_JPEG_OFFSET + 4));
    const soi = await readAt(handle, jpegAt, 2);
    if (!soi || soi[0] !== 0xff || soi[1] !== 0xd8) return 0;
    const ranges: [number, number][] = [];
    // JPEG segments (ITU T.81 §B.1.1.4): FF, a marker, a 2-byte length counting itself; up to the image data (SOS).
    let at = jpegAt + 2;
    for (let n = 0; n < MAX_SEGMENTS && at + 4 <= jpegEnd; n++) {
      const head = await readAt(handle, at, 4);
      if (!head || head[0] !== 0xff || head[1] === 0xda || head[1] === 0xd9) break;
      const length = head.readUInt16BE(2);
      const end = at + 2 + length;
      if (length < 2 || end > jpegEnd) break;
      if (head[1] === 0xe1) {
        const id = await readAt(handle, at + 4, Math.min(XMP_ID.length, length - 2));
        if (id?.subarray(0, EXIF_ID.length).equals(EXIF_ID)) {
          const tiffAt = at + 4 + EXIF_ID.length;
          for (const [start, bytes] of await metadataRanges(windowAt(handle, tiffAt), end - tiffAt)) {
            // Cut to the segment: a value past it is none of this TIFF's.
            if (start < end - tiffAt) ranges.push([tiffAt + start, Math.min(bytes, end - tiffAt - start)]);
          }
        } else if (id?.equals(XMP_ID)) ranges.push([at + 4 + XMP_ID.length, end - (at + 4 + XMP_ID.length)]);
      }
      at = end;
    }
    return await zeroRanges(handle, ranges, size);
  } finally {
    await handle.close();
  }
}
