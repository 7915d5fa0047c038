import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { parseWithin, processParseAllowance, type ParseFor } from "../text/parse-allowance";
import { markdownParserLoaded, textRunsForReferences } from "../text/plain-text";
import { findMentions, MENTION_SIGNS } from "./mentions";

const HAS_SIGN = new RegExp(`[${MENTION_SIGNS}]`, "u");
/** A backslash escape of CommonMark (§2.4): a backslash before an ASCII punctuation character. */
const BACKSLASH_ESCAPE = /\\([!-/:-@[-`{-~])/g;
/** `text` with each backslash escape as the character it escapes (`\*\*Aiko\*\*` is `**Aiko**`). */
const withoutBackslashEscapes = (text: string): string => text.replace(BACKSLASH_ESCAPE, "$1");
/**
 * A mark that may start a part of a message whose mentions its readers do not see as mentions (CommonMark
 * 0.31 and GFM): a code span or fence (`` ` ``, `~~~`), raw HTML or an autolink (`<`), a link, an image or a
 * link reference (`[`), an indented code block (a line starting with four spaces or a tab), a GFM
 * autolink literal (`://`, `www.`). Looked for in the text with its backslash escapes taken out (an
 * escaped mark starts nothing). More than the parse would find, never less.
 */
const MAY_HIDE_MENTIONS = /[`<\[]|~~~|:\/\/|(?<![\p{L}\p{N}])www\.|^(?: {0,3}\t| {4})/imu;

/**
 * The distinct names `@`-mentioned in a message's text (Markdown), as findMentions gives them, counting
 * only mentions its readers see as such: those in the runs of text the renderer marks mentions in
 * (textRunsForReferences), not in code spans, code blocks, raw HTML, links or images. So a log pasted
 * in a code block, or `` `@here` ``, notifies nobody, and what notifies is what is highlighted
 * (components/chat/markdown/chat-refs.ts). Text without a mention sign is not parsed. The parse is charged
 * to the process's Markdown allowance (`allowance`, lib/text/parse-allowance.ts: micromark takes up to
 * 0.3 s for 4,000 characters of syntax-dense text, and every send and edit may ask). Past it, the text is
 * read as written, with its backslash escapes read (CommonMark's `\*` is `*`, so a mention the `@`
 * suggestions wrote, mentionToken escaping Markdown's marks in a name, names the same person either
 * way), but only when nothing in it can hide a mention (MAY_HIDE_MENTIONS); otherwise no one is
 * mentioned: a member who spent the allowance on purpose (a flood of syntax-dense messages, or of
 * searches) must not get `@room` in a code block or `@bob` in a link's address past the rule (an outside
 * trial did, then paged people with text no reader saw as a mention). `parseFor`: whose share of the
 * allowance the parse is charged to as well (the author's; the reader's who asks). The notifier and the
 * mention lookup's `roomWide` use it.
 */
export async function mentionsInMessage(markdown: string, allowance: RateLimiterAbstract = processParseAllowance, parseFor?: ParseFor): Promise<string[]> {
  if (!HAS_SIGN.test(markdown)) return [];
  // (Not findMentions on the text first: Markdown's own marks can hide a mention from it, `_@bob_`.)
  // Loading the parser (once per process) is not parsing: it is not charged.
  await markdownParserLoaded();
  const runs = await parseWithin(allowance, () => textRunsForReferences(markdown), () => null, { parseFor });
  if (runs === null) return MAY_HIDE_MENTIONS.test(markdown.replace(BACKSLASH_ESCAPE, "")) ? [] : findMentions(withoutBackslashEscapes(markdown));
  const names = new Set<string>();
  for (const run of runs) for (const name of findMentions(run)) names.add(name);
  return [...names];
}
