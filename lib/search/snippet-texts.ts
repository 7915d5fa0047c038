import { LRUCache } from "lru-cache";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { chargeParseTime, parseTimeLeft, processParseAllowance, type ParseFor } from "../text/parse-allowance";
import { toPlainText, toPlainTextNow } from "../text/plain-text";

/**
 * Time one search may spend turning message bodies into plain text for its snippets, in milliseconds,
 * and again marking the matches in them (store.ts). The Markdown parser runs on the event loop and
 * costs tens of milliseconds for a long ordinary message (more for one written to be slow): 50 results
 * of 4,000 characters held the whole server for seconds per search, and anyone may search 30 times in
 * 10 s. Past the budget, a snippet is cut from the text as written (its Markdown marks showing), and
 * then from its start, unmarked, rather than wait.
 */
export const SNIPPET_BUDGET_MS = 50;
/** Characters of plain text kept, with the bodies they came from (least recently used go first). */
const CACHE_CHARS = 8 * 1024 * 1024;

/**
 * Plain text of bodies already parsed, keyed by the body itself (a body's plain text never changes): a
 * message found again by later searches, or by the next page, is not parsed again.
 */
const cache = new LRUCache<string, string>({ maxSize: CACHE_CHARS, sizeCalculation: (plain, body) => plain.length + body.length + 1 });

/**
 * The text each of `bodies` shows a reader (see toPlainText), in order, for search snippets: from the
 * cache, else parsed while this call has spent less than `budgetMs` parsing and the process has some of
 * its parsing allowance left (`allowance`, lib/text/parse-allowance.ts: one parse of Markdown written to
 * be slow takes far more than the budget, and is not interrupted), and the person searching their share
 * (`parseFor`), else the body as written.
 * `now` is the clock (milliseconds; tests pass their own, and their own allowance).
 */
export async function snippetTexts(
  bodies: string[],
  opts: { budgetMs?: number; now?: () => number; allowance?: RateLimiterAbstract; parseFor?: ParseFor } = {},
): Promise<string[]> {
  const budget = opts.budgetMs ?? SNIPPET_BUDGET_MS;
  const now = opts.now ?? (() => performance.now());
  const allowance = opts.allowance ?? processParseAllowance;
  // The parser is loaded first (once per process), so the budget counts parsing only.
  if (bodies.some((body) => !cache.has(body))) await toPlainText("*");
  let spent = 0;
  const out: string[] = [];
  for (const body of bodies) {
    let plain = cache.get(body);
    if (plain === undefined && spent < budget && (await parseTimeLeft(allowance, opts.parseFor))) {
      const start = now();
      plain = toPlainTextNow(body);
      const took = now() - start;
      spent += took;
      await chargeParseTime(allowance, took, opts.parseFor);
      if (plain !== undefined) cache.set(body, plain);
    }
    out.push(plain ?? body);
  }
  return out;
}
