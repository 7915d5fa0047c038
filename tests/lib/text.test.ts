import fc from "fast-check";
import { AppError } from "../../lib/errors";
import { findMentions, mentionToken } from "../../lib/notifications/mentions";
import { cleanClientId, cleanMessageText, cleanName, cleanRoomName } from "../../lib/text/rules";
import { inIdentifierProfile, isModeratelyRestrictive } from "../../lib/text/scripts";
import { nameKey, skeleton } from "../../lib/text/skeleton";
import { countChars, isolate, truncateChars } from "../../lib/text/unicode";
import { isolateIfNeeded } from "../../lib/text/isolate";

/** Any string, including lone surrogates, controls and characters from every plane. */
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom("\u0000", "\ud800", "\udc00", "\u200b", "\u202e", "\u3164", "\u00ad", "e", "\u0301", " ", "\n", "😀", "а"), maxLength: 20 }),
);

/** What a normaliser does with `raw`: the value, or the code of its AppError (anything else fails the test). */
function outcome<T>(fn: () => T): { value: T } | { code: string } {
  try {
    return { value: fn() };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { code: err.code };
  }
}
const wellFormed = (s: string) => !/\p{Cs}/u.test(s);

describe("message text (property-based, arbitrary Unicode)", () => {
  it("either refuses with bad_request/too_large or returns well-formed NFC text within the limit, stable when cleaned again", () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const r = outcome(() => cleanMessageText(raw, 30));
        if ("code" in r) return expect(["bad_request", "too_large"]).toContain(r.code);
        expect(wellFormed(r.value)).toBe(true);
        expect(r.value.normalize("NFC")).toBe(r.value);
        expect(r.value).not.toMatch(/\u0000/);
        expect(countChars(r.value)).toBeLessThanOrEqual(30);
        expect(cleanMessageText(r.value, 30)).toBe(r.value);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["evil \u0000 nul", /control characters/],
    ["bell \u0007", /control characters/],
    ["\u200b\u200b\u200b", /must not be empty/],
    ["\u3164", /must not be empty/],
    [" \u2060\ufeff\u00ad ", /must not be empty/],
    ["\u{1D159}", /must not be empty/],
    ["\u{16FE4}\u2800", /must not be empty/],
  ])("refuses %j", (raw, why) => {
    expect(() => cleanMessageText(raw, 4000)).toThrow(why);
  });

  it.each([
    ["an indented code block", "    indented code\n    line 2", "    indented code\n    line 2"],
    ["a list indented under nothing", "  - a\n  - b", "  - a\n  - b"],
    ["blank lines before, whitespace after", "\n \r\n\t\n  x\n  y  \n\n", "  x\n  y"],
    ["one line, trimmed", "\n  x  \n\n", "x"],
    ["one line of Japanese, trimmed", "  こんにちは  ", "こんにちは"],
    ["a fenced block with its newline", "```\ncode\n```\n", "```\ncode\n```"],
    ["inner blank lines and hard breaks", "a  \nb\n\n\nc", "a  \nb\n\n\nc"],
  ])("keeps the Markdown source as sent but for blank lines before it and whitespace after it (a single line: trimmed): %s", (_, raw, stored) => {
    expect(cleanMessageText(raw, 4000)).toBe(stored);
  });

  it("replaces lone surrogates with U+FFFD before anything is stored, and counts code points", () => {
    expect(cleanMessageText("lone \ud800 x", 4000)).toBe("lone \ufffd x");
    expect(cleanMessageText("x \udfff", 4000)).toBe("x \ufffd");
    expect(cleanMessageText("😀".repeat(2100), 4000)).toBe("😀".repeat(2100));
    expect(() => cleanMessageText("😀".repeat(4001), 4000)).toThrow(/at most 4000/);
    expect(cleanMessageText("e\u0301", 1)).toBe("\u00e9");
  });
});

describe("clientId", () => {
  it.each([["a\u0000b"], ["\ud800"], [""], ["c".repeat(129)], [5]])("refuses %j", (raw) => {
    expect(() => cleanClientId(raw)).toThrow(AppError);
  });
  it("keeps a normal id and 128 emoji", () => {
    expect(cleanClientId("c-1")).toBe("c-1");
    expect(cleanClientId("😀".repeat(128))).toBe("😀".repeat(128));
  });
});

describe("names (property-based, arbitrary Unicode)", () => {
  it("either refuse with bad_request or return a visible, well-formed, NFC name that cleans to itself", () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const r = outcome(() => cleanName(raw, "name", 32));
        if ("code" in r) return expect(r.code).toBe("bad_request");
        expect(wellFormed(r.value)).toBe(true);
        expect(r.value).not.toMatch(/[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Cc}\p{Cf}]/u);
        expect(r.value).toBe(r.value.normalize("NFC").trim());
        expect(cleanName(r.value, "name", 32)).toBe(r.value);
        expect(nameKey(r.value)).not.toBe("");
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["ali\u200bce"],
    ["ad\u00admin"],
    ["\u202enimda"],
    ["\u200b\u200b"],
    ["\u3164"],
    ["\u3164\u3164 "],
    ["secret\u200b"],
    ["a\u2066b\u2069"],
    ["\u2800"],
    ["\u{1D159}"],
    ["admin\u{1D159}"],
    ["admin\u{16FE4}"],
    ["x\ud800"],
  ])("refuses the invisible or reordering name %j", (raw) => {
    expect(() => cleanName(raw, "name", 32)).toThrow(/invisible|must not be empty|letter/);
  });

  it.each(["a\u0300\u0301\u0302\u0303\u0304", "e\u0301\u0323\u0302\u0324\u0303", "x\u20dd\u20de\u20df\u20e0\u20e2"])(
    "refuses more than 4 marks in a row, %j (UTS #39, section 5.4)",
    (raw) => {
      let reason: unknown;
      try {
        cleanName(raw, "name", 32);
      } catch (err) {
        reason = (err as AppError).reason;
      }
      expect(reason).toBe("name_marks");
    },
  );

  it("keeps names in every script working", () => {
    for (const name of ["José", "ゆき", "अनुज", "Aの話題の部屋", "Zoë", "محمد", "Ελένη", "Иван"]) expect(cleanName(name, "name", 32)).toBe(name);
    expect(cleanName("Jose\u0301", "name", 32)).toBe("José");
    expect(cleanName("  ann \u3000  lee ", "name", 32)).toBe("ann lee");
  });

  describe("mixed scripts in a person's name (UTS #39, section 5.2, Moderately Restrictive)", () => {
    it.each([
      "p\u0430ypal", // Cyrillic а
      "\u039aate", // Greek capital Kappa
      "\u041dana", // Cyrillic capital En
      "Ivan \u0418\u0432\u0430\u043d\u043e\u0432", // Latin and Cyrillic words
      "\u13aalice", // Cherokee A (not a Recommended script) among Latin letters
      "\u03b1\u0434", // Greek and Cyrillic, no Latin at all
      "\u0e01\u0915", // Thai and Devanagari: two scripts besides Latin
      "g\u043e\u043egle", // Cyrillic о twice
      "\u{1d429}\u0430\u{1d432}\u{1d429}\u0430\u{1d425}", // mathematical bold p, y, l (Common) with Cyrillic а
      "\u24df\u0430\u24e8", // circled p, y with Cyrillic а
      "\u2113\u0435\u043e", // script ℓ with Cyrillic е, о
      // A mark of another script than the letter it sits on (a security trial: each read as the Latin name).
      "bob\u05b4", // Hebrew hiriq under the last b
      "bob\u0e31", // Thai mai han-akat
      "bob\u0e4e", // Thai yamakkan
      "gene\u05b4ral", // Hebrew hiriq inside a word
      "general\u0670", // Arabic superscript alef
      "ge\u0e47neral", // Thai maitaikhu
      "general\u1039", // Myanmar virama
      "ali\u0bcdce", // Tamil virama (a variant)
      "\u6771\u3099\u4eac", // kana's combining voiced mark on a kanji (a variant)
      "\u0627\u05b8", // Hebrew qamats on an Arabic letter (a variant, no Latin at all)
      // On a mathematical letter, which reads as the Latin one (a trial on this rule: all were accepted).
      "alic\u{1d5be}\u0e31", "bo\u{1d5bb}\u1039", "bo\u{1d5bb}\u05b4", "gener\u{1d5ba}\u0e47l",
      "1\u05b4", // on a digit, which is of every script and fits no script's mark
    ])("finds %j mixed", (name) => {
      expect(isModeratelyRestrictive(name)).toBe(false);
    });
    it.each([
      "José", "ゆき", "佐々木さん", "Next.jsの田中", "東京タワー", "서울大學", "김철수 Kim", "中文注音ㄅ", "Иван", "Ελένη",
      "अनुज", "Ravi रवि", "محمد", "ᏣᎳᎩ", "bob_99", "😀 smile", "ｊｏｈｎ", "Nguy\u1ec5n",
      "\u{1d429}\u{1d41a}\u{1d432}", "Иван №5", "Лена ™", "Ⅻ Léa", "ｱｲ山", "㈱田中", "Ali ٣",
      // Marks on letters of their own scripts, and accents (Inherited) on any letter.
      "\u304b\u3099", "\uff76\uff9e", "محمّد", "שָׁלוֹם", "สวัสดี", "မြန်မာ", "कृष्ण", "தமிழ்", "ខ្មែរ", "Nguye\u0302\u0303n", "bo\u0323b", "Dvořák",
    ])("keeps %j (one script, Latin with an East Asian system, or Latin with one other non-look-alike script)", (name) => {
      expect(isModeratelyRestrictive(name)).toBe(true);
    });
  });

  describe("the identifier profile for names (UTS #39 section 3.1, tailored with Uncommon_Use letters)", () => {
    it.each([
      "\u1d00dmin", // small capital A
      "\u1d00\u1d05\u1d0d\u026a\u0274", // admin in small capitals
      "\u0299ob", // small capital B
      "\u0262oogle", // small capital G
      "\u0251lice", // Latin alpha (IPA)
      "ro\u0283e", // esh (IPA)
      "\ua731am", // small capital S (obsolete)
      "Mar\u1d0b", // small capital K at the end
      "\uff41\u1d05min", // a fullwidth letter does not excuse a small capital
    ])("refuses %j", (name) => {
      expect(inIdentifierProfile(name)).toBe(false);
    });
    it.each([
      "José", "田中 花子", "\u{20bb7}田", "Kwab\u025bna", "\u0181ello", "Ama\u0254", "Ƙano", "Ŋozi", "Ərdoğan", "Łukasz",
      "Nguy\u1ec5n", "Ærøskøbing", "ß", "Иван", "Ελένη", "محمد", "अनुज", "김철수", "\uff34\uff41\uff4e\uff41\uff4b\uff41", "\uff80\uff85\uff76",
      "R2-D2", "Anne-Marie O\u2019Neil", "😀 smile", "bob_99", "Ⅻ Léa", "㈱田中", "\u01c4uro",
    ])("keeps %j (letters of real orthographies; symbols and punctuation are the name rules' business)", (name) => {
      expect(inIdentifierProfile(name)).toBe(true);
    });
  });

  it("reserves the room names . and .. (they break the room's URL) but not other dots", () => {
    expect(() => cleanRoomName(".")).toThrow(/reserved/);
    expect(() => cleanRoomName(" .. ")).toThrow(/reserved/);
    expect(cleanRoomName("...")).toBe("...");
    expect(cleanRoomName(".env")).toBe(".env");
  });
});

describe("name keys (UTS #39 skeletons)", () => {
  it.each([
    ["\u0430dmin", "admin"], // Cyrillic а
    ["ADMIN", "admin"],
    ["adrnin", "admin"], // rn looks like m
    ["b0b", "BOB"],
    ["ｓｅｃｒｅｔ", "secret"], // fullwidth
    ["s\u0435cret", "secret"], // Cyrillic е
    ["Jose\u0301", "josé"],
  ])("gives %j the key of %j", (a, b) => {
    expect(nameKey(a)).toBe(nameKey(b));
  });

  it.each([["José", "Jose"], ["ゆき", "ゆさ"], ["alice", "alicia"], ["अनुज", "अनज"]])("keeps %j and %j apart", (a, b) => {
    expect(nameKey(a)).not.toBe(nameKey(b));
  });

  it("is UTS #39's skeleton: NFD, prototypes, NFD, default-ignorables dropped", () => {
    expect(skeleton("\u0430")).toBe("a");
    expect(skeleton("\u00e9")).toBe("e\u0301");
    expect(skeleton("a\u200bb")).toBe("ab");
  });
});

describe("mentions", () => {
  it.each([
    ["hi @अनुज!", ["अनुज"]],
    ["@stu\u0308vel look", ["st\u00fcvel"]],
    ["@st\u00fcvel", ["st\u00fcvel"]],
    ["@ゆき さん", ["ゆき"]],
    ["mail me at a@b.c", []],
    ["thanks @bob.", ["bob"]],
    ["\uFF20bob hi", ["bob"]], // full-width @, as a Japanese input method types it
    ["hi \uFE6B\u3086\u304d \u3055\u3093", ["\u3086\u304d"]], // small @
    ["@bob \uFF20\u30a2\u30ea\u30b9", ["bob", "\u30a2\u30ea\u30b9"]],
    ["mail a\uFF20b.c", []],
    // Quoted: any name, one with spaces too, exactly as it is stored.
    ['hi @"Aiko Tanaka", and @bob', ["Aiko Tanaka", "bob"]],
    ['\uFF20"田中 花子"さん', ["田中 花子"]],
    ["@\u201cAiko Tanaka\u201d hi", ["Aiko Tanaka"]], // curly, as a phone's keyboard types quotes
    ["\uFF20\u201d田中 花子\u201d", ["田中 花子"]], // ” at both ends, as Microsoft's Japanese IME types them
    ["\uFF20\uFF02田中 花子\uFF02", ["田中 花子"]], // full-width quotes
    ["@\u201eAiko Tanaka\u201c", ["Aiko Tanaka"]], // German
    ['@"Aiko Tanaka\u201d', ["Aiko Tanaka"]], // mixed
    ['@"bob."', ["bob."]],
    ['@" Aiko"', []], // not a stored name: a space at its start
    ['@"Aiko  Tanaka"', []], // nor two spaces
    ['@"Tanaka, Aiko"', []], // a comma: the mention lookup's list separator
    ['@"Aiko Tanaka', []], // no closing quote
    ['mail a@"x y"', []],
    ['@"' + "x ".repeat(17) + 'x"', []], // 35 characters: longer than any name
  ])("in %j finds %j", (text, names) => {
    expect(findMentions(text)).toEqual(names);
  });

  it("uses the name validator's grammar: every mentionable name is a valid display name", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (text) => {
        for (const name of findMentions(`@${text}`)) expect(cleanName(name, "name", 32)).toBe(name);
      }),
      { numRuns: 1000 },
    );
  });

  // Names the mention grammar's characters can spell but the name rules refuse: each mentions no one.
  it.each([
    ["@\u012a\u1e14 hi", []], // ĪḔ: macrons on two adjacent letters read as one overline (JOINED_MACRONS)
    ["@a\u0331d\u0331min", []], // a̱ḏmin: the same with macrons below
    ["@admi\u0307n", []], // a dot above i's own dot (INVISIBLE_DOT)
    ["@jose\u0301\u0301", []], // the same accent twice (REPEATED_MARK)
    ["@admin\u0332", []], // a combining low line (LINE_MARK)
    ["@Tar\u014d and @M\u0101ori", ["Tar\u014d", "M\u0101ori"]], // one macron on a letter is an accent
  ])("in %j finds only names a person can have: %j", (text, names) => {
    expect(findMentions(text)).toEqual(names);
  });

  it("reaches every valid name without a quote mark or comma, quoted when it must be (mentionToken)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 32 }), (raw) => {
        let name: string;
        try {
          name = cleanName(raw, "name", 32);
        } catch {
          return;
        }
        const token = mentionToken(name);
        if (/["\uFF02\u201c\u201d\u201e,\n\r@\uFF20\uFE6B]|:\/\/|(?<![\p{L}\p{N}])www\./iu.test(name)) return expect(token).toBeNull();
        expect(token).not.toBeNull();
        // The token as a message holds it: Markdown's escapes (`\*`) are read away first.
        expect(findMentions(`hi ${token!.replace(/\\(.)/gu, "$1")} there`)).toEqual([name]);
      }),
      { numRuns: 1000 },
    );
    expect(mentionToken("Aiko Tanaka")).toBe('@"Aiko Tanaka"');
    expect(mentionToken("bob")).toBe("@bob");
  });

  it("uses the name validator's grammar on letters heavy with marks", () => {
    // Latin letters and the combining marks the name rules look at, so that their rules are met often.
    const char = fc.constantFrom(..."aeijnIE\u0131\u0304\u0331\u0307\u0301\u0300\u0332\u0308\u012a\u1e14\u014d._-");
    fc.assert(
      fc.property(fc.array(char, { maxLength: 12 }), (chars) => {
        for (const name of findMentions(`@${chars.join("")}`)) expect(cleanName(name, "name", 32)).toBe(name);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("cutting and isolating", () => {
  it("never cuts a surrogate pair", () => {
    const cut = truncateChars(`@bob ${"a".repeat(193)}😀😀😀`, 200);
    expect(cut).toBe(`@bob ${"a".repeat(193)}😀…`);
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), fc.integer({ min: 1, max: 60 }), (s, max) => {
        const out = truncateChars(s.replace(/\p{Cs}/gu, "?"), max);
        expect(wellFormed(out)).toBe(true);
        expect(countChars(out)).toBeLessThanOrEqual(Math.max(max, 1));
      }),
    );
  });

  it.each([
    ["a flag", "\u{1F1EF}\u{1F1F5}"],
    ["a ZWJ family", "\u{1F468}\u200d\u{1F469}\u200d\u{1F467}"],
    ["a skin-tone modifier sequence", "\u{1F44D}\u{1F3FD}"],
    ["a letter and its combining mark", "a\u0332"],
    ["a keycap", "#\uFE0F\u20E3"],
  ])("never cuts %s in two", (_, char) => {
    for (let pad = 190; pad <= 199; pad++) {
      const cut = truncateChars(`${"a".repeat(pad)}${char.repeat(10)}`, 200);
      expect(cut.endsWith("…")).toBe(true);
      expect(countChars(cut)).toBeLessThanOrEqual(200);
      // What is left before the ellipsis is padding and whole characters only.
      expect(cut.slice(pad, -1).split(char).join("")).toBe("");
    }
  });

  it.each([["#general"], ["天気の部屋"], ["bob"], ["Aの話題の部屋"], ["#ops-2026"]])("isolates %j only where needed: nothing in it can reorder the text around it, so no marks", (value) => {
    expect(isolateIfNeeded(value)).toBe(value);
  });

  it.each([["#שלום"], ["مرحبا"], ["\u202enimda"], ["a\u200fb"], ["\u2067x\u2069"], ["\u{10900}"]])("isolates %j only where needed: it could reorder the text around it", (value) => {
    expect(isolateIfNeeded(value)).toBe(isolate(value));
  });

  it("wraps a value in FSI/PDI", () => {
    expect(isolate("\u202enimda")).toBe("\u2068\u202enimda\u2069");
  });

  it.each([
    ["\u2069\u202eevil", "\u2068\u202eevil\u2069"],
    ["a\u2069\u2069b", "\u2068ab\u2069"],
    ["\u2067\u05d0\u2069 and \u2069\u202ex", "\u2068\u2067\u05d0\u2069 and \u202ex\u2069"],
  ])("keeps %j from ending its isolate early (a stray PDI is dropped, a paired one kept)", (value, isolated) => {
    expect(isolate(value)).toBe(isolated);
    // Nothing inside closes more isolates than it opens.
    let depth = 0;
    for (const ch of isolate(value)) {
      if (/[\u2066-\u2068]/.test(ch)) depth++;
      if (ch === "\u2069") depth--;
      expect(depth).toBeGreaterThanOrEqual(ch === "\u2069" ? 0 : 1);
    }
  });
});
