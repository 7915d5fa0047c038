/**
 * A rehype plugin that drops the line breaks the Markdown-to-HTML step puts around block elements (the
 * "\n" text between two `<li>`, before and after a nested list, around a loose item's paragraphs). They
 * are layout of the generated HTML, not text anyone wrote; but a message keeps its line breaks
 * (white-space: pre-wrap in rich-text.css), and a tight list item's text is not wrapped in a paragraph,
 * so each of them showed as a blank line in the item. What the person typed stays: a line break between
 * two words or two inline elements of an item (`*a*⏎*b*`) has inline content on both sides.
 *
 * The same holds for a hard line break (two spaces or a backslash before the line's end): it becomes a
 * `<br>` followed by the "\n" it was written with, which pre-wrap would show as a second break (a blank
 * line); the `<br>` stays, the "\n" after it goes.
 */
import type { Element, ElementContent, Root } from "hast";

/** Elements that hold block elements, where the generated line breaks are. */
const CONTAINERS = new Set(["ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tfoot", "tr"]);
const BLOCKS = new Set([...CONTAINERS, "p", "pre", "hr", "div", "section", "h1", "h2", "h3", "h4", "h5", "h6"]);

const isBlock = (node: ElementContent | undefined) => node?.type === "element" && BLOCKS.has(node.tagName);

/** Whitespace only, at an edge of its parent or next to a block element. */
function isLayoutBreak(children: ElementContent[], at: number): boolean {
  const node = children[at];
  if (node.type !== "text" || !/^\s*$/.test(node.value)) return false;
  return at === 0 || at === children.length - 1 || isBlock(children[at - 1]) || isBlock(children[at + 1]);
}

/** Removes the line break that follows a `<br>` in `children` (see the module comment). */
function dropBreakAfterBr(children: ElementContent[]): ElementContent[] {
  return children.flatMap((node, at) => {
    const before = children[at - 1];
    if (node.type !== "text" || before?.type !== "element" || before.tagName !== "br") return [node];
    const value = node.value.replace(/^\r?\n/, "");
    return value ? [{ ...node, value }] : [];
  });
}

function strip(node: Root | Element): void {
  if (node.type === "element" && CONTAINERS.has(node.tagName)) {
    const children = node.children;
    node.children = children.filter((_, at) => !isLayoutBreak(children, at));
  }
  if (node.type === "element") node.children = dropBreakAfterBr(node.children);
  for (const child of node.children) if (child.type === "element") strip(child);
}

export function rehypeBlockWhitespace() {
  return (tree: Root) => strip(tree);
}
