/**
 * A leaf module for the server and the browser: whether Markdown text nests block containers (block
 * quotes, list items) too deeply to be parsed. The parser (micromark, behind remark and react-markdown)
 * takes time quadratic in that depth, and the trees it builds are walked recursively: one message of
 * 3,999 `>` took the server's event loop for 4–5 s and then overflowed the stack (notifications,
 * search snippets), and froze the tab of everyone who opened its room. Text that nests deeper than
 * MAX_MARKDOWN_NESTING is shown as written instead (message-markdown.tsx, plain-text.ts); people never
 * nest anywhere near that deep.
 */

/** Most block containers (block quotes and list items) one line of a message may be inside. */
export const MAX_MARKDOWN_NESTING = 32;

/** A container marker at the start of what is left of a line: `>`, or a list marker followed by white space or the line's end. */
const CONTAINER = /^[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))/;
const LINE = /\r\n|\r|\n/;

/** Columns of leading white space (a tab counts four, the most it can stand for). */
const indentColumns = (line: string) => {
  let columns = 0;
  for (const ch of line) {
    if (ch === " ") columns += 1;
    else if (ch === "\t") columns += 4;
    else break;
  }
  return columns;
};

/**
 * Whether some line of `text` may be inside more than MAX_MARKDOWN_NESTING containers. An upper bound
 * from the text alone: the markers that start the line (each right after the previous one), plus one
 * level per two columns of indentation before them, since a line carries its enclosing list items as
 * indentation (at least two columns each: `- `) and block quotes as markers.
 */
export function nestsTooDeep(text: string): boolean {
  for (const line of text.split(LINE)) {
    let depth = Math.floor(indentColumns(line) / 2);
    let rest = line;
    for (let m = CONTAINER.exec(rest); m && depth <= MAX_MARKDOWN_NESTING; m = CONTAINER.exec(rest)) {
      depth++;
      rest = rest.slice(m[0].length);
    }
    if (depth > MAX_MARKDOWN_NESTING) return true;
  }
  return false;
}
