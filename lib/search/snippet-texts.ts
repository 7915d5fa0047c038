import { LRUCache } from "lru-cache";
import { RateLimiterMemory, type RateLimiterAbstract } from "rate-limiter-flexible";
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
/**
 * Parsing time, in milliseconds, that all the searches of this process may spend together in each window
 * of SNIPPET_PARSE_WINDOW_S seconds. The per-search budget alone did not bound the server's time: one
 * parse is not interrupted at the budget, and Markdown written to be slow (4,000 characters of `- a`
 * lines or setext headings) takes micromark 0.3-0.8 s, so one member who posted such messages and searched
 * for them 30 times in 10 s (the `search` row) held the event loop for most of every 10 s. Past the
 * allowance, bodies not parsed before come as written until the window ends (a parse that overruns
 * it is charged in full), so parsing for snippets takes at most the allowance and one parse per window.
 */
export const SNIPPET_PARSE_MS_PER_WINDOW = 1000;
export const SNIPPET_PARSE_WINDOW_S = 10;

/** The allowance of this process (points are milliseconds of parsing; one key for every search). */
export const parseAllowance = (): RateLimiterAbstract =>
  new RateLimiterMemory({ keyPrefix: "snippet-parse", points: SNIPPET_PARSE_MS_PER_WINDOW, duration: SNIPPET_PARSE_WINDOW_S });
const processAllowance = parseAllowance();
const ALLOWANCE_KEY = "all";

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
 * its parsing allowance left (`allowance`, SNIPPET_PARSE_MS_PER_WINDOW), else the body as written.
 * `now` is the clock (milliseconds; tests pass their own, and their own allowance).
 */
export async function snippetTexts(
  bodies: string[],
  opts: { budgetMs?: number; now?: () => number; allowance?: RateLimiterAbstract } = {},
): Promise<string[]> {
  const budget = opts.budgetMs ?? SNIPPET_BUDGET_MS;
  const now = opts.now ?? (() => performance.now());
  const allowance = opts.allowance ?? processAllowance;
  const left = async () => {
    const used = await allowance.get(ALLOWANCE_KEY);
    return used === null || used.remainingPoints > 0;
  };
  // The parser is loaded first (once per process), so the budget counts parsing only.
  if (bodies.some((body) => !cache.has(body))) await toPlainText("*");
  let spent = 0;
  const out: string[] = [];
  for (const body of bodies) {
    let plain = cache.get(body);
    if (plain === undefined && spent < budget && (await left())) {
      const start = now();
      plain = toPlainTextNow(body);
      const took = now() - start;
      spent += took;
      if (took > 0) await allowance.penalty(ALLOWANCE_KEY, took);
      if (plain !== undefined) cache.set(body, plain);
    }
    out.push(plain ?? body);
  }
  return out;
}
