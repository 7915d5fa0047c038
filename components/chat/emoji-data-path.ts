/**
 * Where this server serves the full emoji picker's data (scripts/emoji-data.mjs copies it there at build
 * time): the data package's version is in the path, so the files can be cached for good.
 */
import { version } from "emoji-picker-element-data/package.json";
import type { Lang } from "@/components/i18n/lang-store";

/** The same-origin URL of the emoji data in `lang`. */
export function emojiDataPath(lang: Lang): string {
  return `/emoji-data/${version}/${lang}.json`;
}
