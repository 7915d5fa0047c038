/**
 * Emoji by shortcode for the composer (`:tada:` → 🎉, emoji-suggestions.tsx). The data is the full emoji
 * picker's, from this server (emoji-data-path.ts), never from the internet: emoji-picker-element-data's
 * emojibase set, whose `shortcodes` are emojibase's and GitHub's (the ones Slack and Mattermost use:
 * `tada`, `+1`, `thumbsup`, `smile`, `heart` …), in the UI's language with the other language's words
 * added (scripts/emoji-bilingual.mjs), so the Japanese UI has the English shortcodes and names too. A
 * shortcode is typed in ASCII (emoji-suggestions.tsx), so it finds an emoji by a shortcode or a word of
 * its English name or tags, never by a Japanese one. Fetched when a shortcode is typed, kept for the page.
 */
import type { Lang } from "@/components/i18n/lang-store";
import { emojiDataPath } from "./emoji-data-path";

/** One emoji of the data file: the fields read here. */
export type EmojiRecord = { emoji: string; annotation: string; shortcodes?: string[]; tags?: string[] };

/** An emoji offered for a typed start: the character and the shortcode shown for it (no colons). */
export type EmojiMatch = { emoji: string; shortcode: string };

/** The data as searched: each emoji's shortcodes and folded words, in the data's order; the emoji of each shortcode. */
export type EmojiIndex = {
  entries: { emoji: string; shortcodes: string[]; words: string[] }[];
  byShortcode: Map<string, string>;
};

/** How typed text and the data's words are compared: case aside (`:TADA:` is `:tada:`). */
const fold = (s: string) => s.toLowerCase();

/** Indexes the records of an emoji data file (emoji-picker-element-data's shape). */
export function indexEmoji(records: readonly EmojiRecord[]): EmojiIndex {
  const byShortcode = new Map<string, string>();
  const entries = records.map((r) => {
    const shortcodes = (r.shortcodes ?? []).map(fold);
    for (const code of shortcodes) if (!byShortcode.has(code)) byShortcode.set(code, r.emoji);
    // Every word of the name and tags too, so `popper` finds "party popper".
    const words = [...new Set([r.annotation, ...(r.tags ?? [])].flatMap((w) => [w, ...w.split(/\s+/)]).map(fold))];
    return { emoji: r.emoji, shortcodes, words };
  });
  return { entries, byShortcode };
}

/**
 * At most `max` emoji for `typed` (a shortcode's start, no colon): the one whose shortcode it is, then
 * those with a shortcode starting with it, then those with a word of their name or tags starting with it,
 * each group in the data's order (the picker's: faces first). Each is shown with the shortcode that
 * matched (or one with a word that did: `popp` shows `party_popper`), else its first.
 */
export function findEmoji(index: EmojiIndex, typed: string, max: number): EmojiMatch[] {
  const start = fold(typed);
  const exact: EmojiMatch[] = [];
  const byCode: EmojiMatch[] = [];
  const byWord: EmojiMatch[] = [];
  for (const e of index.entries) {
    if (e.shortcodes.length === 0) continue;
    const code = e.shortcodes.find((c) => c.startsWith(start));
    if (code === start) exact.push({ emoji: e.emoji, shortcode: code });
    else if (code) byCode.push({ emoji: e.emoji, shortcode: code });
    else if (e.words.some((w) => w.startsWith(start))) {
      const shown = e.shortcodes.find((c) => c.split("_").some((w) => w.startsWith(start))) ?? e.shortcodes[0];
      byWord.push({ emoji: e.emoji, shortcode: shown });
    }
  }
  return [...exact, ...byCode, ...byWord].slice(0, max);
}

/** The emoji of a complete shortcode (`tada`, `+1`; case aside), or undefined. */
export const emojiOfShortcode = (index: EmojiIndex, code: string): string | undefined => index.byShortcode.get(fold(code));

/**
 * Whether the end of `before` (the text up to the caret) is inside Markdown code, where `:tada:` stays as
 * written: a fenced block (``` or ~~~) not closed yet, or a code span opened in the current paragraph
 * (a run of backticks not yet matched by a run of the same length). Indented code blocks are not told
 * apart from an indented list item's text.
 */
export function inMarkdownCode(before: string): boolean {
  let fence: string | null = null;
  let paragraph = "";
  for (const line of before.split("\n")) {
    const mark = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (mark && mark[0] === fence[0] && mark.length >= fence.length && line.trim() === mark) fence = null;
      continue;
    }
    if (mark) {
      fence = mark;
      paragraph = "";
    } else paragraph = line.trim() === "" ? "" : `${paragraph}${line}\n`;
  }
  if (fence) return true;
  let open = 0;
  for (const [run] of paragraph.matchAll(/`+/g)) open = open === 0 ? run.length : run.length === open ? 0 : open;
  return open !== 0;
}

const loading = new Map<Lang, Promise<EmojiIndex>>();

/**
 * The emoji data in `lang`, indexed: fetched from this server once per page load (the picker's file,
 * which the browser keeps: it is served as immutable). Rejects when it cannot be fetched; a later call
 * tries again.
 */
export function loadEmojiIndex(lang: Lang): Promise<EmojiIndex> {
  let index = loading.get(lang);
  if (!index) {
    // Called inside the chain: a fetch that throws (none in this environment) rejects like a failed one.
    index = Promise.resolve()
      .then(() => fetch(emojiDataPath(lang)))
      .then((res) => (res.ok ? (res.json() as Promise<EmojiRecord[]>) : Promise.reject(new Error(`emoji data: ${res.status}`))))
      .then(indexEmoji);
    index.catch(() => loading.delete(lang));
    loading.set(lang, index);
  }
  return index;
}
