/**
 * Where this server serves the full emoji picker's data (scripts/emoji-data.mjs writes it there at build
 * time): the data package's version and the revision of what the script adds to it (EMOJI_DATA_REVISION,
 * the script's REVISION) are in the path, so the files can be cached for good.
 */
import { version } from "emoji-picker-element-data/package.json";
import type { Lang } from "@/components/i18n/lang-store";

/** The revision of the data scripts/emoji-data.mjs writes (its REVISION): bilingual search words. */
export const EMOJI_DATA_REVISION = "b1";

/** The same-origin URL of the emoji data in `lang`. */
export function emojiDataPath(lang: Lang): string {
  return `/emoji-data/${version}-${EMOJI_DATA_REVISION}/${lang}.json`;
}
