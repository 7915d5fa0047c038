/**
 * A message's footnotes section is labelled by a heading whose id remark-rehype fixes as `footnote-label`
 * (its `clobberPrefix` prefixes the notes' and calls' ids, not that one), and every call refers to it
 * (`aria-describedby`): with several messages on a page the id repeated, and every call named the first
 * message's heading. This rehype plugin gives it the message's prefix too.
 */
import type { Element, Root, RootContent } from "hast";

const LABEL = "footnote-label";

/** The rehype plugin: `footnote-label` becomes `${prefix}footnote-label`, as an id and where it is referred to. */
export function rehypeFootnoteLabel(prefix: string) {
  const walk = (node: Root | RootContent) => {
    if (node.type === "element") relabel(node, prefix);
    if ("children" in node) for (const child of node.children) walk(child);
  };
  return (tree: Root) => walk(tree);
}

function relabel(el: Element, prefix: string) {
  if (el.properties.id === LABEL) el.properties.id = prefix + LABEL;
  const described = el.properties.ariaDescribedBy;
  if (Array.isArray(described)) el.properties.ariaDescribedBy = described.map((id) => (id === LABEL ? prefix + LABEL : id));
  else if (described === LABEL) el.properties.ariaDescribedBy = [prefix + LABEL];
}
