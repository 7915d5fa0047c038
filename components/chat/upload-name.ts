/** A file's name for an upload, in a module of its own: the tray shows it before the upload code has loaded. */

/** Extensions for the pictures a clipboard holds, for naming one that came without a name. */
const IMAGE_EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp" };

/**
 * The name a file is sent (and shown) under: its own, or for one without a name (an image some apps put
 * on the clipboard, a File made by a page) "image.png" or "file": a part with an empty file name is a text
 * field to the server, which refuses it.
 */
export function uploadName(file: File): string {
  if (file.name) return file.name;
  const ext = IMAGE_EXTENSIONS[file.type];
  return ext ? `image.${ext}` : file.type.startsWith("image/") ? "image" : "file";
}
