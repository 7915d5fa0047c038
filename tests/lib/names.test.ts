import { nameKey, nameSkeleton, normalizeDisplayName, normalizeRoomName } from "../../lib/chat/names";

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
  // A dot above on i or j (or on dotless ı, ȷ) shows nothing: "admi\u0307n" looks exactly like "admin",
  // and UTS #39 skeletons keep combining marks, so its keys would differ.
  it.each(["admi\u0307n", "adm\u0131\u0307n", "admi\u0323\u0307n", "\u0237\u0307ane", "\u0456\u0307van"])("refuses the invisible dot in %j", (raw) => {
    expect(() => normalizeDisplayName(raw)).toThrow(/invisible/);
    expect(() => normalizeRoomName(raw)).toThrow(/invisible/);
  });
  // A line drawn under, over or through the letters reads as an underline (a link, a highlight) or a
  // strike-through of "admin"; its skeleton keeps the mark.
  it.each([
    "admin\u0332", "admi\u0332n", "admin\u0333", "a\u0305dmin", "admin\u033f", "admin\u0336", "admi\u0338n", "ad\u20d2min", "adm\ufe22in\ufe23", "admin\u0335",
    // From an outside trial: a macron (below) on every letter, precomposed where Unicode has the letter (ṉ, ḏ).
    "a\u0331d\u0331m\u0331i\u0331n\u0331", "a\u0304d\u0304m\u0304i\u0304n\u0304", "adm\u0131\u0304n\u0304", "ad\u0331m\u0331in",
    // A mark first attaches to what is shown before the name.
    "\u0331admin", "\u0301bob",
  ])(
    "refuses a mark drawn as a line in %j",
    (raw) => {
      expect(() => normalizeDisplayName(raw)).toThrow(/invisible/);
      expect(() => normalizeRoomName(raw)).toThrow(/invisible/);
    },
  );
  it.each(["\u0130smail", "\u1ecb", "na\u00efve", "l\u0307", "n\u0331", "Nguy\u1ec5n", "\u0111\u1ea1t", "Tar\u014d", "jos\u00e9", "M\u0101ori", "\u014ct\u0101", "J\u0101nis", "\u1e49a", "Kal\u0101kaua"])("keeps a visible dot or mark: %j", (raw) => {
    expect(normalizeDisplayName(raw)).toBe(raw.normalize("NFC"));
  });
});

describe("the second name key (nameSkeleton): capitals compared by shape", () => {
  it.each([
    ["\u039aate", "Kate"], // Greek capital Kappa
    ["\u03a4om", "Tom"], // Greek capital Tau
    ["\u041dana", "Hana"], // Cyrillic capital En
    ["aIice", "alice"], // capital I, which confusables.txt maps to l
    ["caroI", "carol"],
    ["generaI", "general"],
    ["\u0392OB", "bob"], // Greek capital Beta
    ["\uff29nbox", "lnbox"], // fullwidth capital I
  ])("%s looks like %s: the same second key, not the same first one", (lookAlike, real) => {
    expect(nameSkeleton(lookAlike)).toBe(nameSkeleton(real));
    expect(nameKey(lookAlike)).not.toBe(nameKey(real));
  });
  it("keeps names apart that only the first key folded together, and distinct names apart under both", () => {
    expect(nameSkeleton("alice")).not.toBe(nameSkeleton("allce"));
    expect(nameKey("alice")).not.toBe(nameKey("allce"));
    expect(nameSkeleton("Alice")).toBe(nameSkeleton("alice"));
  });
  it("counts a capital I as an l (the documented price): Ian and lan share the second key", () => {
    expect(nameSkeleton("Ian")).toBe(nameSkeleton("lan"));
  });
  it("prepares names as nameKey does: NFKC, white space, NUL", () => {
    expect(nameSkeleton("  ｒoom\u00a0 one ")).toBe(nameSkeleton("room one"));
    expect(nameSkeleton("a\u0000b")).toBe("a\ufffdb");
  });
});
