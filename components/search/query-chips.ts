/**
 * The filters typed in a search query (`from:`, `in:`, `before:`, `after:`, `has:`), shown as chips. The
 * server parses the query itself (lib/search/query.ts); this only finds the operators to show and lets
 * one be removed from the text.
 */
export type Chip = { op: "from" | "in" | "before" | "after" | "has"; value: string; raw: string };

const OPERATOR = /(?:^|\s)((from|in|before|after|has):("[^"]*"?|\S+))/giu;

export function queryChips(q: string): Chip[] {
  const chips: Chip[] = [];
  for (const m of q.matchAll(OPERATOR)) {
    const value = m[3].replace(/^"|"$/g, "").trim();
    if (value) chips.push({ op: m[2].toLowerCase() as Chip["op"], value, raw: m[1] });
  }
  return chips;
}

/** `q` without the chip's operator text. */
export function removeChip(q: string, chip: Chip): string {
  return q.replace(chip.raw, " ").replace(/\s+/g, " ").trim();
}
