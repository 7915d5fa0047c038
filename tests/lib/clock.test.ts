/**
 * The served clock's parts (lib/text/clock.ts, lib/http/reader-lang.ts, components/chat/format-time.ts):
 * which zone a request may name, which locale its Accept-Language makes, and calendar days in any zone.
 */
import { dayKey, formatDay } from "@/components/chat/format-time";
import { langOf, preferredLanguages } from "@/lib/http/reader-lang";
import { knownTimeZone, timeLocale } from "@/lib/text/clock";
import { browserLang } from "@/components/i18n/lang-store";

describe("knownTimeZone", () => {
  it.each(["Asia/Tokyo", "America/New_York", "UTC", "Pacific/Chatham"])("takes %s", (zone) => {
    expect(knownTimeZone(zone)).toBe(zone);
  });

  it("takes a zone's other name as the zone Intl knows it by", () => {
    expect(["Europe/Kyiv", "Europe/Kiev"]).toContain(knownTimeZone("Europe/Kyiv"));
  });

  it.each([undefined, "", "Not/AZone", "../../etc/passwd", "Asia/Tokyo\u0000", "<script>", "A".repeat(65), "Asia%2FTokyo"])("refuses %j", (zone) => {
    expect(knownTimeZone(zone)).toBeUndefined();
  });
});

describe("the locale of a request's times", () => {
  it.each([
    ["en-GB,en;q=0.9", "en", "en-GB"],
    ["en-US,en;q=0.9,ja;q=0.8", "ja", "ja"],
    ["fr;q=0.9,en-AU;q=0.8,en-US;q=0.7", "en", "en-AU"],
    ["ja-JP,ja;q=0.9", "ja", "ja-JP"],
    ["en-US;q=0.5,en-GB;q=0.9", "en", "en-GB"],
    ["", "en", "en"],
    // Tags Intl refuses (an old Safari's, grandfathered, private use, malformed): passed over, never thrown.
    ["ja-JP-mac,ja", "ja", "ja"],
    ["ja-JP-mac,ja-JP", "ja", "ja-JP"],
    ["en-GB-oed,en-GB", "en", "en-GB"],
    ["i-klingon,en", "en", "en"],
    ["en-x,en-US", "en", "en-US"],
    ["en-US-x-", "en", "en"],
    ["en-aaaaaaaaaaaa", "en", "en"],
  ])("Accept-Language %j in %s writes %s", (header, lang, locale) => {
    const chosen = timeLocale(lang as "en" | "ja", preferredLanguages(header));
    expect(chosen).toBe(locale);
    expect(() => new Date(0).toLocaleTimeString(chosen)).not.toThrow();
  });

  it("takes the language cookie over Accept-Language, and a cookie it does not know not at all", () => {
    expect(langOf("hibiki_lang=en; other=1", "ja-JP")).toBe("en");
    expect(langOf("hibiki_lang=ja", "en-US")).toBe("ja");
    expect(langOf("hibiki_lang=fr", "ja;q=0.2,en;q=0.1")).toBe("ja");
    expect(langOf(null, "ja;q=0,en")).toBe("en");
    expect(langOf(undefined, undefined)).toBe("en");
  });
});

describe("calendar days in a time zone", () => {
  const tokyo = { locale: "ja", timeZone: "Asia/Tokyo" };
  const newYork = { locale: "en-US", timeZone: "America/New_York" };

  it("counts the day in the zone, not in UTC", () => {
    // 2026-03-01T16:30Z is already 2 March in Tokyo, still 1 March in New York.
    expect(dayKey("2026-03-01T16:30:00Z", tokyo)).toBe("2026-3-2");
    expect(dayKey("2026-03-01T16:30:00Z", newYork)).toBe("2026-3-1");
    expect(dayKey("2026-03-01T16:30:00Z", { timeZone: "UTC" })).toBe("2026-3-1");
  });

  it("says today and yesterday by the zone's calendar, across a change of clocks", () => {
    // New York moved its clocks on 2026-03-08 (a 23-hour day): 9 March 00:30 local is 04:30Z.
    const now = new Date("2026-03-09T04:30:00Z");
    expect(formatDay("2026-03-09T04:10:00Z", now, newYork)).toEqual({ key: "day.today" });
    expect(formatDay("2026-03-08T05:10:00Z", now, newYork)).toEqual({ key: "day.yesterday" });
    expect(formatDay("2026-03-09T03:50:00Z", now, newYork)).toEqual({ key: "day.yesterday" });
    expect(formatDay("2026-03-08T04:50:00Z", now, newYork)).toBe("Saturday, March 7");
    // In Tokyo the same moments fall a day later.
    expect(formatDay("2026-03-08T15:30:00Z", now, tokyo)).toEqual({ key: "day.today" });
    expect(formatDay("2026-03-08T14:30:00Z", now, tokyo)).toEqual({ key: "day.yesterday" });
    // Across a year's end, and a day of another year says its year.
    expect(formatDay("2025-12-31T10:00:00Z", new Date("2026-01-01T10:00:00Z"), tokyo)).toEqual({ key: "day.yesterday" });
    expect(formatDay("2025-12-31T20:00:00Z", new Date("2026-01-01T10:00:00Z"), tokyo)).toEqual({ key: "day.today" });
    expect(formatDay("2025-12-30T10:00:00Z", new Date("2026-01-01T10:00:00Z"), newYork)).toBe("Tuesday, December 30, 2025");
  });
});

describe("the browser's language and the server's choice for its first render", () => {
  /** The Accept-Language a browser sends for its list (Chromium's: descending q-values in list order). */
  const header = (list: string[]) => list.map((tag, i) => (i === 0 ? tag : `${tag};q=${(1 - i / 10).toFixed(1)}`)).join(",");

  it.each([
    [["ja-JP", "ja", "en-US", "en"], "ja"],
    [["en-US", "en", "ja"], "en"],
    [["fr-FR", "fr", "ja", "en"], "ja"],
    [["zh-CN", "ja"], "ja"],
    [["ko-KR", "en-GB", "ja"], "en"],
    [["de-DE", "fr"], "en"],
    [["ja-JP-mac", "en"], "ja"],
    [[], "en"],
  ])("agree for %j", (list, lang) => {
    expect(browserLang(list)).toBe(lang);
    expect(langOf(null, list.length ? header(list) : undefined)).toBe(lang);
  });
});
