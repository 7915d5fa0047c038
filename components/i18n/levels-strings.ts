/**
 * English text of notification levels (the room's level select and the settings page). Imported for its
 * effect by every module that uses one of these keys: it adds them to the English dictionary (see
 * `addEnglish`), so the chat's first load does not carry them. The Japanese is in ja.ts;
 * tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const levelsEn = addEnglish({
  "settings.level.all": "Every message",
  "settings.level.mentions": "Mentions only",
  "settings.level.none": "Nothing",
  "room.notifications": "Notifications for this room",
  "room.levelNotChanged": "Notifications for this room were not changed: {reason}",
} as const);
