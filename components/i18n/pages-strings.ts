/**
 * English text the pages other than a room share: the way back to the chat (settings, admin) and the
 * rooms page's wait. Imported for its effect by every module that uses one of these keys: it adds them to
 * the English dictionary (see `addEnglish`), so the chat's first load does not carry them. The Japanese is
 * in ja.ts; tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const pagesEn = addEnglish({
  "app.openingRooms": "Opening your rooms…",
  "app.backToChat": "Back to chat",
  "app.notFoundTitle": "Page not found",
  "app.notFoundBody": "There is no page at this address. It may have been mistyped, or the link may be old.",
} as const);
