// Copies the full emoji picker's data (emoji-picker-element-data, English and Japanese) into
// public/emoji-data/<version>/<lang>.json, so the picker loads it from this server, never from the
// internet. The version in the path lets browsers keep the files for good (next.config.mjs sends them
// as immutable); components/chat/emoji-data-path.ts builds the same path. Run by scripts/build.mjs before
// it hashes the sources and by `npm run dev`; the copies are not committed (.gitignore).
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const PACKAGE = path.join(ROOT, "node_modules", "emoji-picker-element-data");
const OUT = path.join(ROOT, "public", "emoji-data");
/** The UI's languages (components/i18n/lang-store.ts) and the data set each uses. */
const FILES = { en: "en/emojibase/data.json", ja: "ja/emojibase/data.json" };

/** Writes public/emoji-data/<version>/{en,ja}.json (and removes other versions' copies); returns the version. */
export function copyEmojiData() {
  const { version } = JSON.parse(readFileSync(path.join(PACKAGE, "package.json"), "utf8"));
  const dir = path.join(OUT, version);
  if (existsSync(OUT)) for (const old of readdirSync(OUT)) if (old !== version) rmSync(path.join(OUT, old), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [lang, file] of Object.entries(FILES)) copyFileSync(path.join(PACKAGE, file), path.join(dir, `${lang}.json`));
  return version;
}

if (import.meta.url === `file://${process.argv[1]}`) copyEmojiData();
