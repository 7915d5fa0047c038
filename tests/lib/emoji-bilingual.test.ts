/**
 * The emoji picker's data is searchable in both of the UI's languages (scripts/emoji-bilingual.mjs): in
 * the Japanese UI `rocket` and hiragana `ろけっと` find 🚀 as `ロケット` does, and in the English UI
 * `ロケット` finds it too; what the picker shows stays the UI language's. From an outside trial of a mixed
 * team, where the picker answered only in the UI's language.
 */
import en from "emoji-picker-element-data/en/emojibase/data.json";
import ja from "emoji-picker-element-data/ja/emojibase/data.json";
import { bilingualEmojiData, toHiragana } from "../../scripts/emoji-bilingual.mjs";

type Emoji = { emoji: string; annotation: string; tags?: string[]; shortcodes?: string[]; order?: number; group?: number };
const find = (data: Emoji[], emoji: string) => data.find((e) => e.emoji === emoji)!;
/** The words the picker's search reads of an emoji (its annotation, tags and shortcodes). */
const words = (e: Emoji) => [e.annotation, ...(e.tags ?? []), ...(e.shortcodes ?? [])];

describe("bilingual emoji data", () => {
  const jaBoth = bilingualEmojiData(ja as Emoji[], en as Emoji[]) as Emoji[];
  const enBoth = bilingualEmojiData(en as Emoji[], ja as Emoji[]) as Emoji[];

  it("finds an emoji by its English name, shortcode and hiragana in the Japanese data, showing its Japanese name", () => {
    const rocket = find(jaBoth, "🚀");
    expect(rocket.annotation).toBe("ロケット");
    expect(words(rocket)).toEqual(expect.arrayContaining(["rocket", "launch", "ろけっと", "宇宙"]));
    expect(rocket.shortcodes).toEqual(["rocket"]);
  });

  it("finds an emoji by its Japanese name in the English data, showing its English name", () => {
    const rocket = find(enBoth, "🚀");
    expect(rocket.annotation).toBe("rocket");
    expect(words(rocket)).toEqual(expect.arrayContaining(["ロケット", "ろけっと", "space"]));
  });

  it("keeps every emoji, its order and group, and repeats no word", () => {
    expect(jaBoth.map((e) => [e.emoji, e.order, e.group])).toEqual((ja as Emoji[]).map((e) => [e.emoji, e.order, e.group]));
    expect(enBoth).toHaveLength((en as Emoji[]).length);
    for (const e of [...jaBoth, ...enBoth]) expect(new Set(e.tags).size).toBe(e.tags!.length);
  });

  it("spells katakana in hiragana and leaves the rest", () => {
    expect(toHiragana("ロケット")).toBe("ろけっと");
    expect(toHiragana("ヴァイオリン")).toBe("ゔぁいおりん");
    expect(toHiragana("rocket 宇宙ー")).toBe("rocket 宇宙ー");
  });
});
