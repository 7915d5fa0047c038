import { RateLimiterMemory, type RateLimiterAbstract } from "rate-limiter-flexible";

/**
 * Time the server may spend turning Markdown into plain text on its event loop (search snippets,
 * notification previews), in milliseconds per window of PARSE_WINDOW_S seconds, for the whole process.
 * Each of those places bounds its own input, but a parse is not interrupted: micromark spends 10-150 µs
 * per character of syntax-dense text, so 4,000 characters of `- a` lines or setext headings took
 * 0.3-0.8 s a search, and 800 (a notification's preview) 30-120 ms on every send and edit. The per-user
 * rows (30 searches, 30 messages, 60 edits per 10 s) then let one member keep the process busy for most
 * of every 10 s. Past the allowance, those texts are shown as written (their Markdown marks visible)
 * until the window ends; a parse that overruns it is charged in full.
 */
export const PARSE_MS_PER_WINDOW = 1000;
export const PARSE_WINDOW_S = 10;

/** An allowance (points are milliseconds of parsing; one key for the process). Tests make their own. */
export const parseAllowance = (): RateLimiterAbstract =>
  new RateLimiterMemory({ keyPrefix: "markdown-parse", points: PARSE_MS_PER_WINDOW, duration: PARSE_WINDOW_S });

/** The allowance of this process, shared by every place that parses message Markdown on the server. */
export const processParseAllowance = parseAllowance();

const KEY = "all";

/** Whether `allowance` has time left in its window. */
export async function parseTimeLeft(allowance: RateLimiterAbstract): Promise<boolean> {
  const used = await allowance.get(KEY);
  return used === null || used.remainingPoints > 0;
}

/** Charges `ms` of parsing to `allowance`. */
export async function chargeParseTime(allowance: RateLimiterAbstract, ms: number): Promise<void> {
  if (ms > 0) await allowance.penalty(KEY, ms);
}

/**
 * `parse()` when `allowance` has time left, charged what it took (clock `now`, milliseconds), else
 * `fallback()`.
 */
export async function parseWithin<T>(allowance: RateLimiterAbstract, parse: () => T | Promise<T>, fallback: () => T, now: () => number = () => performance.now()): Promise<T> {
  if (!(await parseTimeLeft(allowance))) return fallback();
  const start = now();
  try {
    return await parse();
  } finally {
    await chargeParseTime(allowance, now() - start);
  }
}
