import { performance } from "node:perf_hooks";
import { AppError } from "../../lib/errors";
import { cleanEmoji, MAX_EMOJI_UNITS } from "../../lib/chat/emoji";

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return "accepted";
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return err.code;
  }
};

describe("cleanEmoji", () => {
  // What one Socket.IO frame (MAX_PAYLOAD_BYTES, 64 KiB) holds. Splitting each of these into its grapheme
  // clusters took V8 seconds, with the whole process stalled meanwhile.
  const long: [string, string][] = [
    ["thumbs up", "👍".repeat(16_000)],
    ["ASCII", "a".repeat(60_000)],
    ["regional indicators", "\u{1F1EF}".repeat(16_000)],
    ["an emoji and ZWJ", "👨\u200D".repeat(12_000)],
    ["a base and combining marks", "👍" + "\u0301".repeat(30_000)],
    ["VS16", "❤" + "\uFE0F".repeat(30_000)],
  ];

  it.each(long)("refuses a long text (%s) as not one emoji, at once", (_what, text) => {
    const started = performance.now();
    expect(codeOf(() => cleanEmoji(text))).toBe("bad_request");
    // Not a speed measurement: a guard against work that grows with the text (it took 1.5-12 s).
    expect(performance.now() - started).toBeLessThan(250);
  });

  it("still takes the longest emoji sequences, in any spelling that shows the same", () => {
    const longest = ["👩🏻‍❤️‍💋‍👨🏼", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "👨‍👩‍👧‍👦", "🧑🏻‍🤝‍🧑🏼", "👩🏻\u200D❤\u200D💋\u200D👨🏼"];
    for (const emoji of longest) {
      expect(emoji.length).toBeLessThanOrEqual(MAX_EMOJI_UNITS);
      expect(cleanEmoji(emoji)).toBe(emoji.includes("❤\u200D") ? "👩🏻‍❤️‍💋‍👨🏼" : emoji);
    }
    expect(cleanEmoji("👍\uFE0F")).toBe("👍");
    expect(cleanEmoji("❤")).toBe("❤️");
  });

  it("refuses two emoji, text and nothing", () => {
    for (const text of ["👍👍", "a", "", "👍 ", "👍".repeat(MAX_EMOJI_UNITS / 2), "👍".repeat(MAX_EMOJI_UNITS / 2 + 1)])
      expect([text, codeOf(() => cleanEmoji(text))]).toEqual([text, "bad_request"]);
  });
});
