/**
 * Plural forms: a text with a number has a form per CLDR plural category (`key.one`, `key.other`), and
 * `t(key, { count })` picks one with the language's Intl.PluralRules.
 */
import fs from "node:fs";
import path from "node:path";
import { en } from "@/components/i18n/en";
import { jaDictionary } from "@/components/i18n/ja-dictionary";
import { loadLang, makeTranslate, translate } from "@/components/i18n/use-t";

// Every English string: en.ts and each group (<group>-strings.ts, which adds itself when imported).
const I18N = path.resolve(__dirname, "../../../components/i18n");
const groups = fs.readdirSync(I18N).filter((f) => f.endsWith("-strings.ts"));
const english: Record<string, string> = Object.assign(
  { ...en },
  ...groups.map((f) => Object.values(require(path.join(I18N, f)) as Record<string, Record<string, string>>)[0]),
);

beforeAll(() => loadLang("ja"));

describe("plural forms", () => {
  it("picks the English form for the count: one for 1, other for 0, 2 and more", () => {
    expect([0, 1, 2, 21].map((count) => translate("en", "thread.open", { count }))).toEqual(["0 replies", "1 reply", "2 replies", "21 replies"]);
    expect(translate("en", "file.list", { count: 1 })).toBe("1 attached file");
    expect(translate("en", "file.list", { count: 3 })).toBe("3 attached files");
    expect(translate("en", "logs.count", { count: 1 })).toBe("1 entry");
    expect(translate("en", "settings.sessions.done", { count: 1 })).toBe("Signed out of 1 other session.");
    expect(translate("en", "room.announceFiles", { author: "mio", count: 1 }, false)).toBe("mio sent a file");
    expect(translate("en", "room.announceFiles", { author: "mio", count: 2 }, false)).toBe("mio sent 2 files");
  });

  it("uses Japanese's one form (other) for every count, and the same through t() and deferred text", () => {
    const t = makeTranslate("ja");
    expect(new Intl.PluralRules("ja").resolvedOptions().pluralCategories).toEqual(["other"]);
    expect([1, 2].map((count) => t("thread.open", { count }))).toEqual(["1件の返信", "2件の返信"]);
    expect(t.text({ key: "file.list", params: { count: 1 } })).toBe("添付ファイル 1 個");
    expect(makeTranslate("en").label("composer.left", { count: 1 })).toBe("1 character left");
  });

  it("has both English forms of every text with forms, and only `other` in Japanese", () => {
    const forms = Object.keys(english).filter((k) => /\.(zero|one|two|few|many|other)$/.test(k) && english[k.replace(/\.\w+$/, ".other")] && english[k.replace(/\.\w+$/, ".one")]);
    const bases = [...new Set(forms.map((k) => k.replace(/\.\w+$/, "")))].sort();
    expect(bases).toEqual(expect.arrayContaining(["composer.left", "file.list", "logs.count", "thread.open"]));
    for (const base of bases) {
      expect([base, Object.keys(english).filter((k) => k.startsWith(`${base}.`)).sort()]).toEqual([base, [`${base}.one`, `${base}.other`]]);
      expect([base, Object.keys(jaDictionary).filter((k) => k.startsWith(`${base}.`))]).toEqual([base, [`${base}.other`]]);
    }
    // Keys that merely end in a category's name are texts of their own.
    expect(translate("en", "typing.one", { a: "mio" }, false)).toBe("mio is typing…");
    expect(translate("en", "conn.other")).toBe("Disconnected. Reconnecting…");
  });

  it("leaves no counted English text without its forms, but those whose words do not change with the number", () => {
    // The number is a position, a count of people "online"/"unread", or stands beside an emoji.
    const invariable = ["conn.attempt", "members.online", "keys.unread", "rooms.unreadCount", "rooms.onlineCount", "rooms.onlineTitle", "message.reaction", "message.reactionMore", "message.reactedByMore", "error.rateLimited"];
    const counted = Object.entries(english)
      .filter(([key, template]) => /\{(n|count|more|seconds)\}/.test(template) && !/\.(one|other)$/.test(key))
      .map(([key]) => key);
    expect(counted.sort()).toEqual(invariable.sort());
  });
});
