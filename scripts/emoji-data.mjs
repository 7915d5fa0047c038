// Writes the full emoji picker's data (emoji-picker-element-data, English and Japanese, each searchable in
// the other language too: emoji-bilingual.mjs) into public/emoji-data/<version>/<lang>.json, so the
// picker loads it from this server, never from the internet. The version in the path lets browsers keep the files for good (next.config.mjs sends them
// as immutable); components/chat/emoji-data-path.ts builds the same path. Run by scripts/build.mjs before
// it hashes the sources and by `npm run dev`; the copies are not committed (.gitignore).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { bilingualEmojiData } from "./emoji-bilingual.mjs";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const PACKAGE = path.join(ROOT, "node_modules", "emoji-picker-element-data");
const OUT = path.join(ROOT, "public", "emoji-data");
/** The UI's languages (components/i18n/lang-store.ts) and the data set each uses. */
const FILES = { en: "en/emojibase/data.json", ja: "ja/emojibase/data.json" };

/**
 * What the files are made of besides the package's data; a new one makes a new path (the files are cached
 * for good). components/chat/emoji-data-path.ts names the same.
 */
const REVISION = "b1";

/** Writes public/emoji-data/<version>-<revision>/{en,ja}.json (and removes other copies); returns that directory's name. */
export function copyEmojiData() {
  const { version: packageVersion } = JSON.parse(readFileSync(path.join(PACKAGE, "package.json"), "utf8"));
  const version = `${packageVersion}-${REVISION}`;
  const dir = path.join(OUT, version);
  if (existsSync(OUT)) for (const old of readdirSync(OUT)) if (old !== version) rmSync(path.join(OUT, old), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const data = Object.fromEntries(Object.entries(FILES).map(([lang, file]) => [lang, JSON.parse(readFileSync(path.join(PACKAGE, file), "utf8"))]));
  writeFileSync(path.join(dir, "en.json"), JSON.stringify(bilingualEmojiData(data.en, data.ja)));
  writeFileSync(path.join(dir, "ja.json"), JSON.stringify(bilingualEmojiData(data.ja, data.en)));
  return version;
}

if (import.meta.url === `file://${process.argv[1]}`) copyEmojiData();
