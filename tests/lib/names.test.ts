import { nameKey, normalizeDisplayName, normalizeRoomName } from "../../lib/chat/names";

describe("room names", () => {
  it("normalises to NFC and trims", () => {
    // "が" written as か + combining dakuten becomes the single composed character.
    expect(normalizeRoomName("  \u304b\u3099部屋  ")).toBe("\u304c部屋");
    expect(normalizeRoomName("Aの話題の部屋")).toBe("Aの話題の部屋");
  });
  it("counts characters, not UTF-16 units: 64 emoji are allowed, 65 are not", () => {
    expect(normalizeRoomName("😀".repeat(64))).toHaveLength(128);
    expect(() => normalizeRoomName("😀".repeat(65))).toThrow(/at most 64/);
  });
  it.each([
    ["", /must not be empty/],
    ["   ", /must not be empty/],
    ["a\u0000b", /control characters/],
    ["tab\there", /control characters/],
    ["line\u2028sep", /control characters/],
    [42, /must be a string/],
    [null, /must be a string/],
  ])("refuses %j", (raw, why) => {
    expect(() => normalizeRoomName(raw)).toThrow(why);
  });
});

describe("display names", () => {
  it("allows 32 characters and refuses 33", () => {
    expect(normalizeDisplayName("n".repeat(32))).toHaveLength(32);
    expect(() => normalizeDisplayName("n".repeat(33))).toThrow(/at most 32/);
  });
  it("keys names case-insensitively", () => {
    expect(nameKey("Alice")).toBe(nameKey("alice"));
  });
});
