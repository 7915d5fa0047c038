/** Types of emoji-bilingual.mjs (the picker's data entries are emoji-picker-element-data's). */
export type EmojiEntry = { emoji: string; annotation: string; tags?: string[]; shortcodes?: string[]; [field: string]: unknown };
export function toHiragana(text: string): string;
export function bilingualEmojiData<E extends EmojiEntry>(primary: E[], other: EmojiEntry[]): E[];
