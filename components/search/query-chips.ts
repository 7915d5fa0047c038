import { hasValue } from "@/lib/search/has";

/**
 * The filters typed in a search query (`from:`, `in:`, `before:`, `after:`, `has:` with a value the
 * server knows: lib/search/has.ts), shown as chips. The server parses the query itself
 * (lib/search/query.ts); this only finds the operators to show and lets one be removed from the text.
 * `has:video` is a word to the server, so it gets no chip.
 */
/** `index`: where `raw` starts in the query text (code units), so the chip removes that operator and no other. */
export type Chip = { op: "from" | "in" | "before" | "after" | "has"; value: string; raw: string; index: number };

const OPERATOR = /(?:^|\s)((from|in|before|after|has):("[^"]*"?|\S+))/giu;

/** The operators in `q`, in the order they were typed. */
export function queryChips(q: string): Chip[] {
  const chips: Chip[] = [];
  for (const m of q.matchAll(OPERATOR)) {
    const value = m[3].replace(/^"|"$/g, "").trim();
    if (value && (m[2].toLowerCase() !== "has" || hasValue(value))) chips.push({ op: m[2].toLowerCase() as Chip["op"], value, raw: m[1], index: m.index + m[0].length - m[1].length });
  }
  return chips;
}

/**
 * `q` without the chip's operator and the space that set it apart; everything else stays as typed. The
 * chip is found where it was when `q` was read, so the same text elsewhere ("myin:dev in:dev") is kept.
 */
export function removeChip(q: string, chip: Chip): string {
  const at = q.slice(chip.index, chip.index + chip.raw.length) === chip.raw ? chip.index : q.indexOf(chip.raw);
  if (at < 0) return q;
  const before = q.slice(0, at).replace(/\s+$/u, "");
  const after = q.slice(at + chip.raw.length).replace(/^\s+/u, "");
  return before && after ? `${before} ${after}` : before + after;
}
