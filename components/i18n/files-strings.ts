/**
 * English text of attachments, the lightbox and the upload tray (fetched when a message has files or a
 * file is attached). Imported for its effect by every module that uses one of these keys: it adds them to
 * the English dictionary (see `addEnglish`), so the chat's first load does not carry them. The Japanese is
 * in ja.ts; tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const filesEn = addEnglish({
  "file.download": "Download",
  "file.downloadName": "Download {name}",
  "file.list.one": "{count} attached file",
  "file.list.other": "{count} attached files",
  "file.view": "View {name}",
  "upload.cancel": "Cancel uploading {name}",
  "upload.failed": "Upload failed: {reason}",
  "upload.progress": "Uploading {name}",
  "upload.remove": "Remove {name}",
  "upload.tray": "Files to send",
} as const);
