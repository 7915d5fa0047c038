/**
 * A leaf module for the server and the browser: whether Markdown text nests block containers (block
 * quotes, list items) or link and image labels too deeply to be parsed, and whether it holds too many
 * emphasis delimiter runs to have its emphasis parsed. The parser (micromark, behind remark and
 * react-markdown) takes time quadratic in that depth, and the trees it builds are walked recursively:
 * one message of 3,999 `>` took the server's event loop for 4–5 s and then overflowed the stack
 * (notifications, search snippets), and froze the tab of everyone who opened its room. Text that nests
 * deeper than MAX_MARKDOWN_NESTING is shown as written instead (message-markdown.tsx, plain-text.ts);
 * people never nest anywhere near that deep.
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
 * Whether `text` may nest more than MAX_MARKDOWN_NESTING link or image labels: its `[` not escaped by a
 * backslash, less the `]` that close them, ever exceed it. Images may hold images, and micromark
 * resolves each closing `]` over everything inside it: `![![![…](a)](a)` took 0.3 s at 4,000
 * characters and 1.5 s at 8,000.
 */
function nestsLabelsTooDeep(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") i++;
    else if (ch === "[" && ++depth > MAX_MARKDOWN_NESTING) return true;
    else if (ch === "]" && depth > 0) depth--;
  }
  return false;
}

/**
 * Whether some line of `text` may be inside more than MAX_MARKDOWN_NESTING containers, or its link and
 * image labels may nest deeper than that (see nestsLabelsTooDeep). For containers, an upper bound
 * from the text alone: the markers that start the line (each right after the previous one), plus one
 * level per two columns of indentation before them, since a line carries its enclosing list items as
 * indentation (at least two columns each: `- `) and block quotes as markers.
 */
export function nestsTooDeep(text: string): boolean {
  if (nestsLabelsTooDeep(text)) return true;
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

/**
 * Most emphasis delimiter runs (CommonMark 0.31 §6.2: a run of `*` or of `_`; GFM strikethrough's runs of
 * `~`) one text may hold and still have its emphasis parsed. micromark pairs each closing run with an
 * opener by walking back over every earlier run (it lacks the spec's `openers_bottom` bound), and GFM's
 * strikethrough pairs its `~` runs the same way, so the time is quadratic in their number: a
 * 4,000-character message of `*_*_…` took 0.2–0.5 s of parsing in Node (more in a browser) for every
 * reader that rendered it and for every search snippet and notification made of it, one of `~a~a…` 0.07 s
 * (0.2 s at 8,000). 256 runs parse in about a millisecond; a person's message uses a handful, and a long
 * paste of code with `snake_case` names keeps its code blocks, links and lists, only its emphasis and
 * strikethrough outside code are shown as written.
 */
export const MAX_EMPHASIS_RUNS = 256;
const EMPHASIS_RUN = /\*+|_+|~+/g;

/** Whether `text` holds more than MAX_EMPHASIS_RUNS runs of `*`, `_` or `~` (parse it with remarkNoEmphasis). */
export function hasTooManyEmphasisRuns(text: string): boolean {
  let runs = 0;
  for (const _ of text.matchAll(EMPHASIS_RUN)) if (++runs > MAX_EMPHASIS_RUNS) return true;
  return false;
}

/**
 * A remark plugin that turns emphasis, strong emphasis and strikethrough off (micromark's constructs
 * `attention` and `strikethrough`, which the CJK-friendly extensions replace under the same names): `*a*`,
 * `__b__` and `~~c~~` stay as written, every other syntax (code, links, lists) is parsed as usual. For
 * text where hasTooManyEmphasisRuns is true.
 */
export function remarkNoEmphasis(this: { data(): object }): undefined {
  const data = this.data() as { micromarkExtensions?: unknown[] };
  (data.micromarkExtensions ??= []).push({ disable: { null: ["attention", "strikethrough"] } });
}

/**
 * Most `_www.` one text may hold and still have its `www.` links found (GFM autolink literals). A
 * `www.` link's domain runs over letters, digits, `-`, `.` and `_`, and is refused at its end when an
 * underscore is in its last two segments; micromark then tries again at the next `www.` that follows an
 * underscore (GFM lets `_` precede one), scanning to the same end: time quadratic in their number. A
 * 4,000-character message of `www._www._…` took 0.8 s of parsing in Node for every reader that rendered
 * it and every search snippet made of it (one each time, whatever the search's time budget, so 30
 * searches in 10 s held the server's event loop for 25 s). A person's text has none: a `www.` right
 * after an underscore is not a link anyone writes. Past the limit the parser's `www.` construct is off;
 * remark's own pass over the text (mdast-util-gfm-autolink-literal, one regular expression, linear)
 * still finds the `www.` links, so the message reads the same: 0.8 s became 0.04 s.
 */
export const MAX_WWW_AFTER_UNDERSCORE = 8;
const WWW_AFTER_UNDERSCORE = /_www\./gi;

/** Whether `text` holds more than MAX_WWW_AFTER_UNDERSCORE `_www.` (any case): parse it with remarkNoWwwAutolinks. */
export function hasTooManyWwwAfterUnderscore(text: string): boolean {
  let seen = 0;
  for (const _ of text.matchAll(WWW_AFTER_UNDERSCORE)) if (++seen > MAX_WWW_AFTER_UNDERSCORE) return true;
  return false;
}

/**
 * A remark plugin that turns micromark's GFM `www.` autolink construct (`wwwAutolink`) off; remark-gfm's
 * pass over the text nodes still links `www.` addresses. For text where hasTooManyWwwAfterUnderscore
 * is true.
 */
export function remarkNoWwwAutolinks(this: { data(): object }): undefined {
  const data = this.data() as { micromarkExtensions?: unknown[] };
  (data.micromarkExtensions ??= []).push({ disable: { null: ["wwwAutolink"] } });
}

/**
 * Most table cells one text may make and still have its tables parsed. A GFM table gives every row as
 * many cells as its header has, filling short rows with empty ones (GFM spec, "Tables (extension)"), and
 * any line up to a blank one is a row: a 500-column header and 1,000 lines of one letter made 500,000
 * cells out of 4,000 characters, 0.4 s of parsing on the server for every notification and search
 * snippet made of it, and 15-50 s in which the tab of everyone who had the room open did not answer
 * (a security trial). Honest cells cost at least two characters each (`a|`), so a 4,000-character message
 * makes at most about 2,000. Past the limit the table construct is off (remarkNoTables): the lines are
 * paragraphs with their pipes, and everything else in the text is parsed as usual.
 */
export const MAX_TABLE_CELLS = 2_000;

/**
 * A line's container markers and indentation (`>`, spaces, tabs): what is left is what a table row would
 * hold. Spaces and tabs only, as CommonMark's blank line: a line of no-break spaces (or U+3000, U+FEFF, …,
 * which JavaScript's `\s` also matches) is a row of the table, padded to the header's width like any
 * other (a trial on this limit: 998 such lines under a 500-column header made 499,500 cells).
 */
const QUOTES_AND_SPACE = /^[ \t>]*/;
/** A delimiter row (`|---|:-:|`): pipes, colons, hyphens and white space, at least one hyphen. */
const DELIMITER_ROW = /^[|:\-\s]*-[|:\-\s]*$/;

/**
 * Whether the tables of `text` may make more than MAX_TABLE_CELLS cells (parse it with remarkNoTables).
 * An upper bound from the lines alone, in one pass over its blocks (runs of lines between blank ones,
 * a line of only `>`, spaces and tabs counting as blank, as it ends a table): a table's rows are lines of
 * one block, and its width is its delimiter row's number of cells, so a block holds at most as many cells
 * as its widest delimiter-like line (pipes, colons, hyphens and white space, with a hyphen) has runs of
 * hyphens, times its lines. Every such line counts, wherever it stands: a second trial made a header row
 * of 500 pipes and a hyphen, which looks like a delimiter row, and a count that took it for a one-column
 * table and skipped past its rows never saw the real 500-column delimiter under it (623,500 cells).
 * Code blocks are counted alike (a table written in one is rare).
 */
export function hasTooManyTableCells(text: string): boolean {
  let cells = 0;
  let lines = 0;
  let columns = 0;
  for (const line of text.split(LINE)) {
    const row = line.replace(QUOTES_AND_SPACE, "");
    if (row !== "") {
      lines++;
      if (DELIMITER_ROW.test(row)) columns = Math.max(columns, row.match(/-+/g)!.length);
      continue;
    }
    cells += columns * lines;
    if (cells > MAX_TABLE_CELLS) return true;
    lines = columns = 0;
  }
  return cells + columns * lines > MAX_TABLE_CELLS;
}

/**
 * A remark plugin that turns GFM tables off (micromark-extension-gfm-table's construct `table`): their
 * lines are paragraphs, pipes and all; every other syntax is parsed as usual. For text where
 * hasTooManyTableCells is true.
 */
export function remarkNoTables(this: { data(): object }): undefined {
  const data = this.data() as { micromarkExtensions?: unknown[] };
  (data.micromarkExtensions ??= []).push({ disable: { null: ["table"] } });
}

/**
 * The remark plugins that keep `text`'s parse within bounds, to add after the parser's own (the
 * renderer's and plain-text.ts's alike): remarkNoEmphasis (hasTooManyEmphasisRuns), remarkNoWwwAutolinks
 * (hasTooManyWwwAfterUnderscore) and remarkNoTables (hasTooManyTableCells), each when its test holds.
 * Text nested too deeply for any parse is the caller's to show as written (nestsTooDeep).
 */
export function parseGuards(text: string): Array<(this: { data(): object }) => undefined> {
  return [
    ...(hasTooManyEmphasisRuns(text) ? [remarkNoEmphasis] : []),
    ...(hasTooManyWwwAfterUnderscore(text) ? [remarkNoWwwAutolinks] : []),
    ...(hasTooManyTableCells(text) ? [remarkNoTables] : []),
  ];
}
