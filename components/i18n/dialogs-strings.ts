/**
 * English text the chat's dialogs and panels share (Close, Cancel: search, the lightbox, the shortcut
 * sheet, the name prompt, the admin's user list), all fetched after the first render or on other pages.
 * Imported for its effect by every module that uses one of these keys: it adds them to the English
 * dictionary (see `addEnglish`), so the chat's first load does not carry them. The Japanese is in ja.ts;
 * tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const dialogsEn = addEnglish({
  "app.cancel": "Cancel",
  "app.close": "Close",
} as const);
