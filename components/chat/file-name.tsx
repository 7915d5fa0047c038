/**
 * A file's name on one line that, when it does not fit, is cut in the middle rather than at its end
 * ("a-very-long-fi…-v2.xlsx"): the start and the end, with the extension, stay readable. The whole name
 * stays in the text (what a screen reader reads and a copy takes) and in the tooltip; only the start is
 * shortened, by CSS (files.css), so the name is cut only where space runs out.
 */

/** How many characters of the name before its extension stay with it ("-v2", "(12)" tell versions apart). */
const KEPT_BEFORE_EXTENSION = 4;
/** The end kept of a name without an extension. */
const KEPT_WITHOUT_EXTENSION = 6;
/** A name this short fits any tray: it is not split. */
const SHORT = 12;

/**
 * `name` split where it may be cut: `tail` is kept whole (the extension and the few characters before it,
 * or the last few characters of a name without one), `head` is shortened when space runs out; `head +
 * tail` is `name`. A short name (SHORT) is all `head`.
 */
export function splitFileName(name: string): { head: string; tail: string } {
  const chars = Array.from(name); // By code point: an emoji is never split.
  const dot = chars.lastIndexOf(".");
  const extension = dot > 0 && chars.length - dot <= 11 && !chars.slice(dot).includes(" ") ? chars.length - dot : 0;
  const kept = extension > 0 ? extension + KEPT_BEFORE_EXTENSION : KEPT_WITHOUT_EXTENSION;
  if (chars.length <= Math.max(kept, SHORT)) return { head: name, tail: "" };
  return { head: chars.slice(0, -kept).join(""), tail: chars.slice(-kept).join("") };
}

/** `name` shown as the module says, in the writing direction of the name itself; `className` sizes it in its row. */
export function FileName({ name, className }: { name: string; className?: string }) {
  const { head, tail } = splitFileName(name);
  return (
    <span className={className ? `file-name-split ${className}` : "file-name-split"} dir="auto" title={name}>
      <span className="file-name-head">{head}</span>
      {tail && <span className="file-name-tail">{tail}</span>}
    </span>
  );
}
