import { open } from "node:fs/promises";

/**
 * Metadata removed from a Photoshop document (PSD, and the large document format PSB) in place. Photoshop
 * keeps the EXIF of the photo a document was made from — the camera, the time and the GPS location —,
 * its XMP (which repeats them) and IPTC (captions, creator, place) as image resources (Adobe Photoshop
 * File Formats Specification, "Image Resources Section": resource ids 1028 IPTC-NAA, 1058 EXIF data 1,
 * 1059 EXIF data 3, 1060 XMP). Their data become zeros: the file keeps its size and every other byte,
 * so the layers, the merged image and every other resource are as before.
 */

/** Resource ids whose data are zeroed: IPTC-NAA, EXIF data 1, EXIF data 3, XMP metadata. */
const METADATA_RESOURCES = new Set([1028, 1058, 1059, 1060]);
/** Most resources read: a document has a few dozen. */
const MAX_RESOURCES = 4096;
const ZEROS = Buffer.alloc(64 * 1024);

/**
 * Zeroes the data of the EXIF, XMP and IPTC image resources (see above) of the PSD or PSB at `file`, in
 * place. Returns how many bytes were zeroed: 0 for a file that is not a PSD/PSB or has none. A resource
 * block that does not fit its section ends the walk (what came before it is zeroed). Errors: those of
 * reading and writing the file.
 */
export async function stripPsdMetadata(file: string): Promise<number> {
  const handle = await open(file, "r+");
  try {
    const { size } = await handle.stat();
    const read = async (at: number, length: number): Promise<Buffer | null> => {
      if (at < 0 || at + length > size) return null;
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, at);
      return bytesRead === length ? buf : null;
    };
    // File header (26 bytes): "8BPS", version 1 (PSD) or 2 (PSB), 6 reserved bytes, channels, height, width, depth, mode.
    const header = await read(0, 26);
    if (!header || header.toString("latin1", 0, 4) !== "8BPS") return 0;
    const version = header.readUInt16BE(4);
    if (version !== 1 && version !== 2) return 0;
    // Color mode data section: a 4-byte length, then its data.
    const colorLength = await read(26, 4);
    if (!colorLength) return 0;
    const resourcesAt = 30 + colorLength.readUInt32BE(0);
    const resourcesLength = await read(resourcesAt, 4);
    if (!resourcesLength) return 0;
    const end = Math.min(size, resourcesAt + 4 + resourcesLength.readUInt32BE(0));
    let zeroed = 0;
    let at = resourcesAt + 4;
    for (let n = 0; n < MAX_RESOURCES && at + 12 <= end; n++) {
      // A block: "8BIM" (or another signature), a 2-byte id, a Pascal-string name padded to an even
      // length (its length byte included), a 4-byte data size, then the data padded to an even length.
      const head = await read(at, 7);
      if (!head || !/^(8BIM|MeSa|AgHg|PHUT|DCSR)$/.test(head.toString("latin1", 0, 4))) break;
      const id = head.readUInt16BE(4);
      const nameLength = head[6] + 1;
      const sizeAt = at + 6 + nameLength + (nameLength % 2);
      const sizeField = await read(sizeAt, 4);
      if (!sizeField) break;
      const dataLength = sizeField.readUInt32BE(0);
      const dataAt = sizeAt + 4;
      if (dataAt + dataLength > end) break;
      if (METADATA_RESOURCES.has(id)) {
        for (let done = 0; done < dataLength; done += ZEROS.length) {
          await handle.write(ZEROS, 0, Math.min(ZEROS.length, dataLength - done), dataAt + done);
        }
        zeroed += dataLength;
      }
      at = dataAt + dataLength + (dataLength % 2);
    }
    return zeroed;
  } finally {
    await handle.close();
  }
}
