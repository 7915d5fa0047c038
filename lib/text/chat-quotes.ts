/**
 * Quotes as chat writes them: in Slack, Discord and Campfire a `>` quotes its own line only, so a reply
 * written on the next line stands outside the quote. CommonMark instead continues a quoted paragraph on
 * the next line that has no `>` ("lazy continuation", CommonMark 0.31 §5.1), which put the reply inside.
 *
 * `quoteOnlyMarkedLines(text)` ends a block quote before every line that has no `>` marker, by putting a
 * blank line before it when the line before it was quoted; nothing else changes (a top-level fenced code
 * block's lines are left as they are: a `>` there is code, not a quote). A line indented by four or more
 * spaces is left to CommonMark (a blank line before it would turn it into an indented code block).
 * Rendering only: the stored text, its length and its search document are the text as written.
 */

/** Up to three spaces, then `>`: a block quote marker (CommonMark §5.1). */
const QUOTED = /^ {0,3}>/;
/** Up to three spaces, then a code fence of three or more backticks or tildes (CommonMark §4.5). */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** `text` with every block quote ended before a line without `>` (see the module comment). */
export function quoteOnlyMarkedLines(text: string): string {
  if (!text.includes(">")) return text;
  const lines = text.split("\n");
  const out: string[] = [];
  /** The open top-level fence's marker character and length, or null. */
  let fence: { char: string; length: number } | null = null;
  let quoted = false;
  for (const line of lines) {
    if (fence) {
      const close = FENCE.exec(line);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length && line.slice(close[0].length).trim() === "") fence = null;
      out.push(line);
      continue;
    }
    const isQuoted = QUOTED.test(line);
    const blank = line.trim() === "";
    if (quoted && !isQuoted && !blank && !/^ {4,}/.test(line)) out.push("");
    if (!isQuoted) {
      const open = FENCE.exec(line);
      // A backtick fence's info string may not contain a backtick (CommonMark §4.5): that is inline code.
      if (open && !(open[1][0] === "`" && line.slice(open[0].length).includes("`"))) fence = { char: open[1][0], length: open[1].length };
    }
    quoted = isQuoted;
    out.push(line);
  }
  return out.join("\n");
}
