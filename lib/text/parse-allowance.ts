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
 *
 * Each parse made for someone (the author of a message sent or edited, the person searching, the reader
 * asking which messages call the room) also counts against that person's share, PARSE_MS_PER_USER per
 * window: past it, their texts are given as written while everyone else's are still parsed, so one member
 * spending the allowance on purpose no longer turns off link previews and formatted snippets for all (an
 * outside trial did, with eight syntax-dense messages). It takes four members at it together to spend
 * the process's allowance.
 */
export const PARSE_MS_PER_WINDOW = 1000;
export const PARSE_MS_PER_USER = 250;
export const PARSE_WINDOW_S = 10;

/** An allowance (points are milliseconds of parsing; one key for the process). Tests make their own. */
export const parseAllowance = (): RateLimiterAbstract =>
  new RateLimiterMemory({ keyPrefix: "markdown-parse", points: PARSE_MS_PER_WINDOW, duration: PARSE_WINDOW_S });

/** The allowance of this process, shared by every place that parses message Markdown on the server. */
export const processParseAllowance = parseAllowance();

/** The people's shares (points are milliseconds of parsing; one key per person: see ParseFor). */
export const userParseAllowance = (): RateLimiterAbstract =>
  new RateLimiterMemory({ keyPrefix: "markdown-parse-user", points: PARSE_MS_PER_USER, duration: PARSE_WINDOW_S });

/** This process's shares, one per person. */
export const processUserParseAllowance = userParseAllowance();

/**
 * For whom a parse is made: `who`, a key of that person's (their user id; the mention lookup, which
 * guests may ask, passes its limit key, lib/limits.ts), charged to `shares` (processUserParseAllowance
 * unless given; tests pass their own) besides the process's allowance.
 */
export type ParseFor = { who: string; shares?: RateLimiterAbstract };

const KEY = "all";

const left = async (limiter: RateLimiterAbstract, key: string) => {
  const used = await limiter.get(key);
  return used === null || used.remainingPoints > 0;
};

/** Whether `allowance` has time left in its window, and `parseFor`'s share too when given. */
export async function parseTimeLeft(allowance: RateLimiterAbstract, parseFor?: ParseFor): Promise<boolean> {
  if (!(await left(allowance, KEY))) return false;
  return !parseFor || left(parseFor.shares ?? processUserParseAllowance, parseFor.who);
}

/** Charges `ms` of parsing to `allowance`, and to `parseFor`'s share when given. */
export async function chargeParseTime(allowance: RateLimiterAbstract, ms: number, parseFor?: ParseFor): Promise<void> {
  if (ms <= 0) return;
  await allowance.penalty(KEY, ms);
  if (parseFor) await (parseFor.shares ?? processUserParseAllowance).penalty(parseFor.who, ms);
}

/**
 * `parse()` when `allowance` (and `parseFor`'s share, when given) has time left, charged what it took
 * (clock `now`, milliseconds), else `fallback()`.
 */
export async function parseWithin<T>(
  allowance: RateLimiterAbstract,
  parse: () => T | Promise<T>,
  fallback: () => T,
  opts: { parseFor?: ParseFor; now?: () => number } = {},
): Promise<T> {
  const now = opts.now ?? (() => performance.now());
  if (!(await parseTimeLeft(allowance, opts.parseFor))) return fallback();
  const start = now();
  try {
    return await parse();
  } finally {
    await chargeParseTime(allowance, now() - start, opts.parseFor);
  }
}
