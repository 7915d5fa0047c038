/**
 * Mixed-script detection for names (Unicode UTS #39, section 5 "Mixed-Script Detection", and its
 * restriction levels, section 5.2). A leaf module (no server imports): the browser checks a name as the
 * server will.
 *
 * The scripts are the Recommended Scripts of UAX #31 (Table 5) by their Unicode Script_Extensions
 * property (the regular expressions' `\p{scx=…}`, from the runtime's Unicode data). Common and Inherited
 * characters (digits, punctuation, spaces, combining marks) belong to every script. A letter of a script
 * that is not recommended (Cherokee, Runic, …) counts as one script of its own, "Other": a name may be
 * written in it alone, never mixed with another script. (Two such scripts are not told apart.)
 */

import { IDENTIFIER_PROFILE_RANGES } from "./identifier-status";

/** UAX #31 Table 5, Recommended Scripts (Common and Inherited aside), by their Unicode script names. */
const RECOMMENDED_SCRIPTS = [
  "Arabic", "Armenian", "Bengali", "Bopomofo", "Cyrillic", "Devanagari", "Ethiopic", "Georgian", "Greek",
  "Gujarati", "Gurmukhi", "Han", "Hangul", "Hebrew", "Hiragana", "Kannada", "Katakana", "Khmer", "Lao",
  "Latin", "Malayalam", "Myanmar", "Oriya", "Sinhala", "Tamil", "Telugu", "Thaana", "Thai", "Tibetan",
] as const;

const SCRIPT_TESTS = RECOMMENDED_SCRIPTS.map((script) => [script, new RegExp(`\\p{scx=${script}}`, "u")] as const);
/** Characters of every script: Script_Extensions Common (Zyyy) or Inherited (Zinh). */
const ANY_SCRIPT = /[\p{scx=Zyyy}\p{scx=Zinh}]/u;

/**
 * UTS #39 section 5.1's augmentation: a Han character also counts for the writing systems that use it
 * (Hanb: Han with Bopomofo, Jpan: Japanese, Kore: Korean); kana for Japanese, Hangul for Korean,
 * Bopomofo for Hanb. So `東京タワー` and `서울大學` are one writing system each.
 */
const AUGMENTED: Record<string, string[]> = { Han: ["Hanb", "Jpan", "Kore"], Hiragana: ["Jpan"], Katakana: ["Jpan"], Hangul: ["Kore"], Bopomofo: ["Hanb"] };

/** UTS #39 section 5.2, Highly Restrictive: Latin with one East Asian writing system. */
const HIGHLY_RESTRICTIVE_SETS: readonly string[][] = [
  ["Latin", "Han", "Hiragana", "Katakana"],
  ["Latin", "Han", "Bopomofo"],
  ["Latin", "Han", "Hangul"],
];
/** UTS #39 section 5.2, Moderately Restrictive: Latin with any one other Recommended script but these, whose letters look Latin. */
const NOT_WITH_LATIN = new Set(["Latin", "Cyrillic", "Greek"]);

/**
 * The Script_Extensions of each character of `value` that has any (Common and Inherited characters
 * left out), each as the set of its Recommended scripts, or `{"Other"}` for a script that is not one.
 * A Common character that is a compatibility form of one letter (NFKC: mathematical `𝐩`, circled `ⓐ`,
 * script `ℓ`, small roman `ⅰ`, micro `µ`) counts as that letter: `𝐩а𝐲𝐩а𝐥` is Latin with Cyrillic `а`, as
 * it reads. (A form of several letters, `№` or `™`, stays a symbol of any script.)
 */
function scriptSets(value: string): Set<string>[] {
  const sets: Set<string>[] = [];
  for (const raw of value) {
    const folded = ANY_SCRIPT.test(raw) ? raw.normalize("NFKC") : raw;
    const ch = [...folded].length === 1 ? folded : raw;
    if (ANY_SCRIPT.test(ch)) continue;
    const set = new Set<string>();
    for (const [script, test] of SCRIPT_TESTS) if (test.test(ch)) set.add(script);
    // A letter, mark or digit of a script that is not recommended (a symbol or unassigned code point with no
    // script is Common, or refused by the name rules before this).
    sets.push(set.size > 0 ? set : new Set(["Other"]));
  }
  return sets;
}

const covers = (sets: Set<string>[], scripts: readonly string[]): boolean => sets.every((set) => scripts.some((s) => set.has(s)));

/** A combining mark (general category M: nonspacing, spacing and enclosing marks). */
const MARK = /^\p{M}$/u;

/** The Recommended scripts of one character's Script_Extensions (scriptSets' reading), or `{"Other"}`. */
function scriptsOf(ch: string): Set<string> {
  const set = new Set<string>();
  for (const [script, test] of SCRIPT_TESTS) if (test.test(ch)) set.add(script);
  return set.size > 0 ? set : new Set(["Other"]);
}

/**
 * Whether every combining mark of `value` that belongs to particular scripts (its Script_Extensions are
 * not Common or Inherited) follows a letter of one of them (a compatibility form of one letter, such as
 * mathematical `𝖾`, counting as that letter; a digit, space or symbol fits no such mark): a mark sits on
 * the character before it, and one of another script than its letter is scripts mixed within one
 * character. scriptSets sees the letters alone, so `bob` with a Hebrew point under its
 * last b (U+05B4), Thai U+0E31 or U+0E47 over a Latin letter, Arabic U+0670 or Myanmar U+1039 after one
 * read as "bob" and "general" and passed as Latin with one other script (a security trial); so did
 * kana's combining voiced mark (U+3099) on a kanji, which no Japanese word has. Scripts are compared as
 * written, without section 5.1's augmentation (Han is not Hiragana here). Marks of the Inherited script
 * (U+0300–U+036F: accents, dot below) fit any letter.
 */
export function marksFitTheirLetters(value: string): boolean {
  let base: Set<string> | null = null;
  for (const ch of value.normalize("NFD")) {
    if (!MARK.test(ch)) {
      // A compatibility form of one letter (mathematical `𝖾`) is that letter, as in scriptSets; a
      // character of every script (a digit, a space, a symbol) is none: no particular script's mark fits it.
      const folded = ANY_SCRIPT.test(ch) ? ch.normalize("NFKC") : ch;
      const letter = [...folded].length === 1 ? folded : ch;
      base = ANY_SCRIPT.test(letter) ? null : scriptsOf(letter);
      continue;
    }
    if (ANY_SCRIPT.test(ch)) continue;
    if (base === null || ![...scriptsOf(ch)].some((s) => base!.has(s))) return false;
  }
  return true;
}

/**
 * Whether `value` keeps to UTS #39's "Moderately Restrictive" level (section 5.2): its letters are of one
 * script (after section 5.1's augmentation: Han, Hiragana and Katakana are one Japanese writing system,
 * Han and Hangul one Korean one); or Latin with Han and kana, Han and Bopomofo, or Han and Hangul
 * ("Highly Restrictive"); or Latin with any one other Recommended script except Cyrillic and Greek, whose
 * letters imitate Latin ones. So `José`, `ゆき`, `Next.jsの田中`, `Иван`, `अनुज` and `Ravi रवि` pass;
 * `pаypal` (Cyrillic а), `Κate` (Greek Kappa) and `Ivan Иванов` do not. Digits, punctuation, spaces and
 * combining marks (Common, Inherited) go with any script; a mark of particular scripts goes with a letter
 * of one of them only (marksFitTheirLetters).
 */
export function isModeratelyRestrictive(value: string): boolean {
  if (!marksFitTheirLetters(value)) return false;
  const sets = scriptSets(value);
  if (sets.length === 0) return true;
  // Single script: one script (or augmented writing system) common to every character.
  const augmented = sets.map((set) => new Set([...set].flatMap((s) => [s, ...(AUGMENTED[s] ?? [])])));
  const [first, ...rest] = augmented;
  if ([...first].some((s) => rest.every((set) => set.has(s)))) return true;
  if (HIGHLY_RESTRICTIVE_SETS.some((scripts) => covers(sets, scripts))) return true;
  return RECOMMENDED_SCRIPTS.some((other) => !NOT_WITH_LATIN.has(other) && covers(sets, ["Latin", other]));
}

/** Letters, marks and digits: what UTS #39's identifier profile is applied to in a name (see inIdentifierProfile). */
const PROFILED = /[\p{L}\p{M}\p{N}]/u;

/** Whether code point `cp` is in the profile (a binary search of IDENTIFIER_PROFILE_RANGES). */
function inProfile(cp: number): boolean {
  let lo = 0;
  let hi = IDENTIFIER_PROFILE_RANGES.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < IDENTIFIER_PROFILE_RANGES[mid * 2]) hi = mid - 1;
    else if (cp > IDENTIFIER_PROFILE_RANGES[mid * 2 + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Whether every letter, mark and digit of `value` is in UTS #39's General Security Profile for
 * identifiers (section 3.1), which the restriction levels of section 5.2 require of every character, as
 * tailored for names (lib/text/identifier-status.ts: Identifier_Status Allowed, and the Uncommon_Use
 * letters of real orthographies). Each is taken as NFKC gives it, as names are keyed
 * (lib/text/skeleton.ts): fullwidth `Ｔａｎａｋａ` and halfwidth `ﾀﾅｶ` are the letters they stand for.
 * Spaces, punctuation and symbols are left to the name rules (lib/text/rules.ts): display names may
 * hold them, identifiers may not. So `José`, `田中 花子`, `𠮷田`, `Kwabɛna` and `Ɓello` pass; `ᴀdmin`
 * (small capital A, which confusables.txt does not map to `a`), `ʙob` and `ɢoogle` (technical letters)
 * do not.
 */
export function inIdentifierProfile(value: string): boolean {
  for (const ch of value) {
    if (!PROFILED.test(ch)) continue;
    for (const c of ch.normalize("NFKC")) if (PROFILED.test(c) && !inProfile(c.codePointAt(0)!)) return false;
  }
  return true;
}
