import { rm } from "node:fs/promises";
import type { Database } from "../db";
import type { Room } from "../chat/rooms";
import type { Attachment } from "../chat/types";
import type { User } from "../chat/users";
import { insertUpload, newUploadId, thumbKey } from "../chat/uploads";
import { isImageType, prepareImage, sniffType } from "./inspect";
import { HEIF_TYPES, JPEG_2000_TYPES, stripHeifMetadata, stripMediaMetadata } from "./media-metadata";
import { stripPngMetadata } from "./png-metadata";
import { stripPsdMetadata } from "./psd-metadata";
import { stripRafMetadata, stripTiffMetadata } from "./tiff-metadata";
import type { FileStorage } from "./storage";

/**
 * Turns a fully received file (a temporary file of `size` bytes) into a stored upload of `user` in
 * `room`: the type is sniffed from the bytes; a raster image is re-encoded without metadata and gets a
 * thumbnail and its dimensions; an MP4 / QuickTime / M4A / 3GP video or audio file has its metadata
 * boxes (location, device, titles, XMP) emptied in place, a HEIC/HEIF photo its EXIF and XMP items
 * (lib/files/media-metadata.ts), an animated PNG its EXIF, text and XMP chunks (lib/files/png-metadata.ts),
 * a Photoshop document its EXIF, XMP and IPTC resources (lib/files/psd-metadata.ts);
 * the bytes go to the store and the row to the database. The temporary
 * files are removed whatever happens, and nothing is left stored half: a failure after `put` removes
 * what was put. `signal`: the client went away (an image waiting for its turn is then not decoded).
 */
export async function acceptUpload(
  deps: { db: Database; storage: FileStorage },
  input: { user: User; room: Room; file: string; name: string; size: number; signal?: AbortSignal },
): Promise<Attachment> {
  const { db, storage } = deps;
  const temp = [input.file];
  const id = newUploadId();
  const stored: string[] = [];
  try {
    const type = await sniffType(input.file);
    let file = input.file;
    let size = input.size;
    let image: { width: number; height: number } | undefined;
    if (isImageType(type)) {
      const prepared = await prepareImage(input.file, type, storage.tmpDir, { owner: input.user.id, signal: input.signal });
      temp.push(prepared.file, prepared.thumb);
      ({ file, size } = prepared);
      image = { width: prepared.width, height: prepared.height };
      await storage.put(thumbKey(id), prepared.thumb, { type: "image/webp", size: prepared.thumbSize });
      stored.push(thumbKey(id));
    } else if (type.startsWith("video/") || type.startsWith("audio/") || type === "image/x-canon-cr3" || type === "image/jxl" || JPEG_2000_TYPES.has(type)) {
      // A phone's video says where it was filmed, a Canon CR3, a JPEG XL or a JPEG 2000 photo (the same box
      // structure) where it was taken: its metadata boxes become free space (same size, same offsets).
      await stripMediaMetadata(file);
    } else if (type === "image/apng") {
      // An animated PNG (sharp would keep only one frame) is stored as sent, but without its EXIF, text and XMP chunks.
      size = await stripPngMetadata(file);
    } else if (type === "image/vnd.adobe.photoshop") {
      // A Photoshop document keeps the EXIF (GPS location), XMP and IPTC of the photo it was made from.
      await stripPsdMetadata(file);
    } else if (HEIF_TYPES.has(type)) {
      // An iPhone photo (HEIC) is stored as sent, but without its EXIF (camera, time, location) and XMP.
      await stripHeifMetadata(file);
    } else {
      // A TIFF or a camera's raw photo (DNG, CR2, NEF …: TIFF inside, whatever type it was sniffed as) is
      // stored as sent, but without where it was taken, XMP/IPTC and the owner and serial numbers.
      // A Fujifilm RAF carries its camera's EXIF in the JPEG preview it holds, a TIFF all the same.
      await (type === "image/x-fujifilm-raf" ? stripRafMetadata(file) : stripTiffMetadata(file));
    }
    await storage.put(id, file, { type, size });
    stored.push(id);
    return await insertUpload(db, { id, room: input.room, user: input.user, name: input.name, type, size, ...image, hasThumb: image !== undefined });
  } catch (err) {
    await storage.remove(stored).catch(() => undefined);
    throw err;
  } finally {
    await Promise.all(temp.map((f) => rm(f, { force: true })));
  }
}
