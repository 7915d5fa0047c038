/**
 * Where something shown at the end of a message's text goes (its "(edited)" marker, message-item.tsx):
 * at the end of the text, as Slack and Mattermost show it, not on a line of its own under it. A rehype
 * plugin puts a placeholder element (TRAILING_MARK) there, which message-markdown.tsx renders as the
 * marker:
 * - text that ends with a paragraph: at the end of that paragraph, after a space;
 * - text that ends with another block (a code block, a list, a quote, a table, a rule, a heading, which
 *   a message shows as a bold paragraph): right after that block, on the line under it.
 */
import type { Element, Root } from "hast";

/** The placeholder's tag name: not an HTML element, and nothing a message's text can produce (raw HTML is never parsed). */
export const TRAILING_MARK = "message-trailing-mark";

/** The rehype plugin (no options): adds one TRAILING_MARK element to the tree, as the module comment says. */
export function rehypeTrailingMark() {
  return (tree: Root) => {
    const mark: Element = { type: "element", tagName: TRAILING_MARK, properties: {}, children: [] };
    // The line breaks between top-level blocks are text; the last block is the last element.
    const last = tree.children.findLast((node) => node.type === "element" || (node.type === "text" && node.value.trim() !== ""));
    if (last?.type === "element" && last.tagName === "p") last.children.push({ type: "text", value: " " }, mark);
    else tree.children.push(mark);
  };
}
