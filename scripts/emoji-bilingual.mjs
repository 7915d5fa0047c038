// The emoji picker's data in one language, searchable in the other too: a mixed team's Japanese speakers
// type English names ("rocket") as often as Japanese ones, and English speakers may paste a Japanese
// word (an outside trial found the picker answering only in the UI's language). Used by emoji-data.mjs.

/** Katakana (U+30A1..U+30F6) as hiragana, the other characters as they are: ロケット → ろけっと. */
export function toHiragana(text) {
  return text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/**
 * `primary`'s emoji (an emoji-picker-element-data array: `{ emoji, annotation, tags?, shortcodes?, … }`),
 * each with `other`'s words for the same emoji added to its tags (its annotation and tags, and their
 * hiragana spellings), and `other`'s shortcodes when `primary` has none. What the picker shows (the
 * annotation, the order, the groups) stays `primary`'s. An emoji `other` lacks is left as it is.
 */
export function bilingualEmojiData(primary, other) {
  const byEmoji = new Map(other.map((e) => [e.emoji, e]));
  return primary.map((e) => {
    const o = byEmoji.get(e.emoji);
    const own = [e.annotation, ...(e.tags ?? [])];
    const words = o ? [o.annotation, ...(o.tags ?? [])] : [];
    const kana = [...own, ...words].map(toHiragana);
    const tags = [...new Set([...(e.tags ?? []), ...words, ...kana])].filter((w) => w && w !== e.annotation);
    const shortcodes = e.shortcodes ?? o?.shortcodes;
    return { ...e, tags, ...(shortcodes ? { shortcodes } : {}) };
  });
}
