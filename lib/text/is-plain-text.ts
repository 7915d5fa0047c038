/**
 * A leaf module for the chat's first load, which needs only this of plain-text.ts (re-exported there).
 *
 * Whether message text would come out of the Markdown renderer (message-markdown.tsx) as one plain
 * paragraph, exactly as written. Such text is rendered without loading the parser (about 50 KB of
 * gzipped JS), so a room of ordinary chat lines needs none of it on first load.
 *
 * Conservative on purpose: true only for one line with no leading or trailing white space, none of the
 * characters that start Markdown or GFM syntax or a chat reference (`\` `` ` `` `*` `_` `~` `[` `]` `<`
 * `>` `&` `#` `@` `|`, and the full-width and small forms of `@`), no list marker at the start (`-`, `+`, `1.`, `1)`), and nothing GFM would
 * autolink (`http:`, `https:`, `ftp:`, `mailto:`, `xmpp:`, `www.`). Anything else goes to the parser.
 * tests/components/chat/plain-text.test.tsx checks the claim against the real renderer.
 */
const SYNTAX = /[\n\r\t\f\v\\`*_~[\]<>&#@\uFF20\uFE6B|]/;
const BLOCK_START = /^(?:[-+=]|\d{1,9}[.)])/;
const AUTOLINK = /(?:https?|ftp|mailto|xmpp):|www\./i;

export function isPlainText(text: string): boolean {
  if (text === "" || text !== text.trim()) return false;
  return !SYNTAX.test(text) && !BLOCK_START.test(text) && !AUTOLINK.test(text);
}
