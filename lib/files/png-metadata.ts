import { open } from "node:fs/promises";

/**
 * Metadata removed from a PNG that is stored as sent: an animated PNG (APNG, `image/apng`), which
 * sharp cannot re-encode without losing its frames. A PNG is a signature and a list of chunks (PNG
 * specification, third edition, §5.3: length, type, data, CRC); the chunks that carry text and EXIF —
 * `eXIf` (EXIF, with the GPS location a camera writes), `tEXt`, `zTXt` and `iTXt` (comments, the
 * software, XMP, which holds a location too) and `tIME` (when it was last changed) — are left out, every
 * other chunk (header, palette, colour information, the animation's `acTL`/`fcTL`/`fdAT`, image data) is
 * kept byte for byte, CRC included, so the picture and its animation are as before.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Chunk types dropped (PNG third edition §11.3.3 textual information, §11.3.6.1 eXIf, §11.3.6.2 tIME). */
const METADATA_CHUNKS = new Set(["eXIf", "tEXt", "zTXt", "iTXt", "tIME"]);
/** Bytes copied at a time while the kept chunks are moved up over the dropped ones. */
const COPY = 64 * 1024;

/**
 * Drops the metadata chunks (see above) of the PNG at `file`, in place: the chunks after one that is
 * dropped move up and the file is cut to its new length. Returns the file's size afterwards (bytes):
 * the same for a file that is not a PNG or has no such chunk. A chunk whose length runs past the end of
 * the file ends the walk: it and whatever follows are kept as they are. Errors: those of reading and
 * writing the file.
 */
export async function stripPngMetadata(file: string): Promise<number> {
  const handle = await open(file, "r+");
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(8);
    if ((await handle.read(head, 0, 8, 0)).bytesRead < 8 || !head.equals(SIGNATURE)) return size;
    const buf = Buffer.alloc(COPY);
    // Moves [from, from + length) to `to` (to <= from: the copy runs forward, never over what is still to be read).
    const move = async (from: number, to: number, length: number) => {
      if (from === to) return;
      for (let done = 0; done < length; ) {
        const { bytesRead } = await handle.read(buf, 0, Math.min(COPY, length - done), from + done);
        if (bytesRead === 0) break;
        await handle.write(buf, 0, bytesRead, to + done);
        done += bytesRead;
      }
    };
    let read = 8;
    let write = 8;
    while (read + 12 <= size) {
      const { bytesRead } = await handle.read(head, 0, 8, read);
      if (bytesRead < 8) break;
      const total = 12 + head.readUInt32BE(0);
      if (read + total > size) break;
      if (!METADATA_CHUNKS.has(head.toString("latin1", 4, 8))) {
        await move(read, write, total);
        write += total;
      }
      read += total;
    }
    if (read === write) return size;
    // What the walk did not take (a cut or malformed end) stays as it was.
    await move(read, write, size - read);
    const kept = write + (size - read);
    await handle.truncate(kept);
    return kept;
  } finally {
    await handle.close();
  }
}
