/**
 * Which messages of a room's server-rendered first page (lib/pages/page-data.ts) have their Markdown
 * rendered into the page's HTML. A leaf module of the chat's first load: it never loads the parser.
 *
 * The server renders Markdown for the newest short messages only, within a budget of characters per
 * page, so that what people read most (the newest lines, a code span, a short list or table) is
 * formatted from the first paint instead of shown as written until the parser's code has loaded and
 * then jumping; everything else is rendered by the browser after hydrating, as before. The budget
 * bounds the server's cost per page load whatever the room holds: react-markdown with GFM took 20–30 µs
 * per character of syntax-dense text on the server once warm (a 388-character list of 97 items 11.6 ms,
 * a 24-row table 8.4 ms; 2 cores), up to ~120 µs cold (render-budget.ts), so a page of the densest text
 * costs ~60 ms of one core (0.25 s at worst), where ordinary chat costs a few milliseconds.
 *
 * The choice is a function of the page's messages only, made alike by the server and by the hydrating
 * browser (which renders the same first page): their first renders match, as hydration requires.
 */
import { createContext } from "react";
import type { Message } from "@/lib/chat/types";
import { isPlainText } from "@/lib/text/is-plain-text";
import { nestsTooDeep } from "@/lib/text/markdown-depth";
import { ALWAYS_RENDERED_CHARS } from "./render-budget";

/** Characters (UTF-16 units) of Markdown text, at most, that one page's HTML has rendered. */
export const PAGE_MARKDOWN_CHARS = 2_000;

const NONE: ReadonlyMap<string, string> = new Map();

/**
 * The messages among `messages` (a room's first page, oldest first) whose Markdown the page's HTML has
 * rendered, id → the text rendered (an edit since then is not what the HTML shows): newest first, each not deleted, not a thread's reply, not plain text (that needs no parser), at most
 * ALWAYS_RENDERED_CHARS long (what a tab always renders, so the browser's first render agrees) and not
 * nested too deeply to parse (nestsTooDeep); taken while their lengths add up to at most
 * PAGE_MARKDOWN_CHARS (one that does not fit is passed over, a shorter older one may still be taken).
 */
export function markdownWithPage(messages: readonly Message[]): ReadonlyMap<string, string> {
  const ids = new Map<string, string>();
  let left = PAGE_MARKDOWN_CHARS;
  for (let i = messages.length - 1; i >= 0 && left > 0; i--) {
    const { id, text, deleted, threadId } = messages[i];
    // A reply is shown in its thread's panel, never on the room's first page.
    if (deleted || threadId || text.length > ALWAYS_RENDERED_CHARS || text.length > left || isPlainText(text) || nestsTooDeep(text)) continue;
    ids.set(id, text);
    left -= text.length;
  }
  return ids.size ? ids : NONE;
}

/**
 * What markdownWithPage chose for the page being hydrated (empty elsewhere): MessageMarkdown renders
 * these texts before hydration ends, on the server and in the hydrating browser; any other message's
 * Markdown waits until hydration is over.
 */
export const PageMarkdown = createContext<ReadonlyMap<string, string>>(NONE);

/** Whether the page's HTML has the Markdown of message `id` rendered, and for `text` (not an older text of it). */
export const renderedWithPage = (page: ReadonlyMap<string, string>, id: string | undefined, text: string): boolean =>
  id !== undefined && page.get(id) === text;
