import type { Snippet } from "./types";

/** Longest snippet, in code points; a longer message is cut around its first match. */
export const SNIPPET_CHARS = 160;
const LEAD = 40;

/** A word of Latin (or other non-CJK) script, as the English parser would see it. */
const WORD = /[\p{L}\p{N}]+(?:['’._-][\p{L}\p{N}]+)*/gu;

/**
 * The part of `body` to show for a result, with what matched marked. `stems` are the English lexemes of
 * the query (from the database's stemmer): a word is marked when its lowercase form starts with one
 * ("deploy" marks "deployed", "deploying"). `substrings` (CJK runs and characters) are marked wherever
 * they occur. Offsets are code points, per {@link Snippet}.
 */
export function buildSnippet(body: string, stems: string[], substrings: string[]): Snippet {
  const chars = [...body];
  // Code-unit index -> code-point index, for the regex and indexOf results below.
  const cp = new Map<number, number>();
  for (let i = 0, u = 0; i <= chars.length; u += chars[i]?.length ?? 1, i++) cp.set(u, i);
  const ranges: [number, number][] = [];
  if (stems.length > 0) {
    for (const m of body.matchAll(WORD)) {
      const word = m[0].toLowerCase();
      if (stems.some((s) => word.startsWith(s))) ranges.push([cp.get(m.index)!, cp.get(m.index)! + [...m[0]].length]);
    }
  }
  for (const sub of substrings) {
    const len = [...sub].length;
    for (let at = body.indexOf(sub); at !== -1 && len > 0; at = body.indexOf(sub, at + sub.length)) ranges.push([cp.get(at)!, cp.get(at)! + len]);
  }
  const merged = merge(ranges);
  const start = chars.length <= SNIPPET_CHARS || merged.length === 0 ? 0 : Math.max(0, Math.min(merged[0][0] - LEAD, chars.length - SNIPPET_CHARS));
  const end = Math.min(chars.length, start + SNIPPET_CHARS);
  const prefix = start > 0 ? "…" : "";
  const shift = prefix.length - start;
  const text = prefix + chars.slice(start, end).join("") + (end < chars.length ? "…" : "");
  const highlights = merged
    .filter(([a, b]) => b > start && a < end)
    .map(([a, b]): [number, number] => [Math.max(a, start) + shift, Math.min(b, end) + shift]);
  return { text, highlights };
}

function merge(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
