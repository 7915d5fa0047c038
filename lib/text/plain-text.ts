/**
 * Message text (Markdown) as plain text, for everywhere it is shown or spoken outside the message itself:
 * search snippets, notifications (toasts, desktop, Web Push) and screen-reader announcements. A leaf
 * module for the server and the browser alike; the parser is loaded on first use (dynamic imports), so
 * neither the server's start nor a page's first load pays for it.
 */
import type { Nodes, Root } from "mdast";
// A module of its own: the chat's first load needs only it, not the parser's loader and the walk here.
import { isPlainText } from "./is-plain-text";
import { nestsTooDeep, parseGuards, remarkNoEmphasis, remarkNoTables, remarkNoWwwAutolinks } from "./markdown-depth";
import { quoteOnlyMarkedLines } from "./chat-quotes";
import { countChars, graphemeStartAtOrBefore, truncateChars } from "./unicode";

export { isPlainText };

type Parse = (markdown: string) => Root;
let parser: Promise<Parse> | undefined;
/** The parser once loaded, for toPlainTextNow. */
let loaded: Parse | undefined;

/**
 * The parser of message-markdown.tsx: remark with the same plugins (GFM, CJK-friendly emphasis and
 * strikethrough; a construct left out where its parse would cost too much, see parseGuards) and
 * the same block quotes (a `>` quotes its own line only: quoteOnlyMarkedLines), so what counts as
 * syntax here is what the renderer turns into formatting.
 */
function loadParser(): Promise<Parse> {
  parser ??= Promise.all([
    import("unified"),
    import("remark-parse"),
    import("remark-gfm"),
    import("remark-cjk-friendly"),
    import("remark-cjk-friendly-gfm-strikethrough"),
  ]).then(([{ unified }, parse, gfm, cjk, cjkStrike]) => {
    const processor = unified().use(parse.default).use([gfm.default, cjk.default, cjkStrike.default]).freeze();
    // Text with too many emphasis delimiters, `www.` after underscores or table cells to parse them in time:
    // everything but those (markdown-depth.ts, parseGuards). One processor per combination, made on first use.
    const variants = new Map<string, Parse>();
    const variant = (guards: ReturnType<typeof parseGuards>): Parse => {
      const key = [remarkNoEmphasis, remarkNoWwwAutolinks, remarkNoTables].map((g) => (guards.includes(g) ? 1 : 0)).join("");
      let run = variants.get(key);
      if (!run) {
        const p = processor().use(guards).freeze();
        run = (markdown) => p.parse(markdown);
        variants.set(key, run);
      }
      return run;
    };
    // Block quotes only on marked lines, as the renderer has them (quoteOnlyMarkedLines): a lazy continuation
    // line would otherwise join the quote's paragraph, where a `\` ending the quoted line is a line break
    // instead of the backslash the reader sees, and emphasis or a link may run across the two lines.
    return (loaded = (markdown) => variant(parseGuards(markdown))(quoteOnlyMarkedLines(markdown)));
  });
  // A failed download (a browser offline for a moment) is tried again next time.
  parser.catch(() => (parser = undefined));
  return parser;
}

/** Nodes whose children are blocks: each child goes on a line of its own. */
const BLOCKS = new Set<Nodes["type"]>(["root", "blockquote", "list", "listItem", "table", "footnoteDefinition"]);

/** The text a reader sees of `node`, as message-markdown.tsx shows it. */
function plain(node: Nodes): string {
  switch (node.type) {
    case "text":
    case "inlineCode":
    case "code":
    // Raw HTML in a message is shown as text, never parsed (message-markdown.tsx).
    case "html":
      return node.value;
    case "break":
      return "\n";
    // An image is shown as a link labelled with its description, else its address.
    case "image":
      return node.alt || node.url || "image";
    case "imageReference":
      return node.alt ?? "";
    case "definition":
    case "footnoteReference":
    case "thematicBreak":
      return "";
    case "tableRow":
      return node.children.map(plain).join(" ");
    default:
      if (!("children" in node)) return "";
      if (BLOCKS.has(node.type)) return node.children.map(plain).filter((s) => s.trim() !== "").join("\n");
      return node.children.map(plain).join("");
  }
}

/**
 * `markdown` as the words a reader sees, without the syntax: emphasis, code and link marks are gone
 * (`**bold**` → `bold`, `` `x` `` → `x`, `[docs](https://…)` → `docs`), headings, quotes and list
 * items keep their text, each block on a line of its own. Text the parser need not see (see
 * isPlainText) comes back at once, and so does text nested too deeply to parse (see nestsTooDeep), as
 * written. Should the parser fail to load, the text comes back as written.
 */
export async function toPlainText(markdown: string): Promise<string> {
  const now = toPlainTextNow(markdown);
  if (now !== undefined) return now;
  let parse: Parse;
  try {
    parse = await loadParser();
  } catch {
    return markdown;
  }
  return plain(parse(markdown)).trim();
}

/**
 * toPlainText's answer when it needs no waiting (the text needs no parser, or the parser is loaded
 * already), else undefined: for a caller that would rather not wait a tick (a screen-reader sentence).
 */
export function toPlainTextNow(markdown: string): string | undefined {
  if (isPlainText(markdown) || nestsTooDeep(markdown)) return markdown;
  return loaded && plain(loaded(markdown)).trim();
}

/**
 * Nodes in which the renderer never marks an `@mention` or a `#room` (chat-refs.ts works on `text` nodes
 * outside links and images): code, raw HTML (shown as written), links, images and definitions.
 */
const NO_REFERENCES = new Set<Nodes["type"]>(["inlineCode", "code", "html", "link", "linkReference", "image", "imageReference", "definition"]);

/** Footnote calls under `node` (into `calls`), and the definitions met (into `definitions`, not entered). */
function footnoteCalls(node: Nodes, calls: string[], definitions: Map<string, Nodes>) {
  if (node.type === "footnoteReference") calls.push(node.identifier);
  else if (node.type === "footnoteDefinition") {
    // The first definition of an identifier is the one shown (as remark-rehype keeps it).
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
  } else if ("children" in node) for (const child of node.children) footnoteCalls(child as Nodes, calls, definitions);
}

/**
 * The footnote definitions the renderer shows: the first of each identifier called from the text, or from
 * a definition shown (remark-rehype renders the definitions it meets calls of; one called only from
 * itself, or from nothing, and any later definition of the same identifier, are dropped).
 */
function footnotesReferred(root: Nodes): Set<Nodes> {
  const calls: string[] = [];
  const definitions = new Map<string, Nodes>();
  footnoteCalls(root, calls, definitions);
  const shown = new Set<Nodes>();
  for (let id = calls.pop(); id !== undefined; id = calls.pop()) {
    const definition = definitions.get(id);
    if (!definition || shown.has(definition) || !("children" in definition)) continue;
    shown.add(definition);
    for (const child of definition.children) footnoteCalls(child as Nodes, calls, definitions);
  }
  return shown;
}

/**
 * Collects into `out` the text the renderer shows of `node` for references: not in NO_REFERENCES, not in
 * a footnote definition nothing refers to, nor in a table row's cells past its header's (both dropped by
 * remark-rehype, so never on screen).
 */
function referenceRuns(node: Nodes, out: string[], referred: Set<Nodes>) {
  if (node.type === "text") return void out.push(node.value);
  for (const child of shownChildren(node, referred)) referenceRuns(child, out, referred);
}

/**
 * The children of `node` the renderer shows, as reference runs and links are read in them: none for a
 * leaf, for what is in NO_REFERENCES and for a footnote definition nothing refers to (only the definitions
 * shown: called, and the first of their identifier); a table's cells up to its header's column count
 * (remark-rehype drops the rest); else its children.
 */
function shownChildren(node: Nodes, referred: Set<Nodes>): Nodes[] {
  if (!("children" in node) || NO_REFERENCES.has(node.type)) return [];
  if (node.type === "footnoteDefinition" && !referred.has(node)) return [];
  if (node.type === "table") {
    const columns = node.children[0]?.children.length ?? 0;
    return node.children.flatMap((row) => row.children.slice(0, columns));
  }
  return node.children as Nodes[];
}

/** The definitions of `node`'s tree by identifier, the first of each (CommonMark: the first definition of a label wins). */
function definitionUrls(node: Nodes, out: Map<string, string>) {
  if (node.type === "definition") {
    if (!out.has(node.identifier)) out.set(node.identifier, node.url);
  } else if ("children" in node) for (const child of node.children) definitionUrls(child as Nodes, out);
}

/**
 * The destination of the first link the renderer shows in `node` that `accept`s, in reading order (see
 * shownChildren for what is never shown): a link's URL, a reference link's definition's (one with no definition is text);
 * a link in a link's text is text there (message-markdown.tsx), so a link's children are not entered.
 */
function firstLinkIn(node: Nodes, definitions: Map<string, string>, referred: Set<Nodes>, accept: (url: string) => boolean): string | undefined {
  const url = node.type === "link" ? node.url : node.type === "linkReference" ? definitions.get(node.identifier) : undefined;
  if (node.type === "link" || node.type === "linkReference") return url !== undefined && accept(url) ? url : undefined;
  for (const child of shownChildren(node, referred)) {
    const url = firstLinkIn(child, definitions, referred, accept);
    if (url !== undefined) return url;
  }
  return undefined;
}

/**
 * The URL (as written in the link) of the first link a reader of `markdown` sees and can follow whose URL
 * `accept` takes (every one by default), as
 * message-markdown.tsx renders it: `[label](url)`'s url whatever its label says, a reference link's
 * definition, an autolink (`<https://…>`, GFM's `https://…` and `www.…`, whose URL is `http://www.…`),
 * none in code, raw HTML or images. Parsed as the renderer parses (the same plugins and block quotes);
 * text the parser need not see, text nested too deeply to parse (shown as written, no link at all) and
 * any text while the parser cannot load: undefined. Links the renderer drops (a footnote nothing refers
 * to, table cells past the header's) do not count.
 */
export async function firstLinkUrl(markdown: string, accept: (url: string) => boolean = () => true): Promise<string | undefined> {
  if (isPlainText(markdown) || nestsTooDeep(markdown)) return undefined;
  let parse: Parse;
  try {
    parse = await loadParser();
  } catch {
    return undefined;
  }
  const tree = parse(markdown);
  const definitions = new Map<string, string>();
  definitionUrls(tree, definitions);
  return firstLinkIn(tree, definitions, footnotesReferred(tree), accept);
}

/** Resolves once the parser is loaded (or could not be: textRunsForReferences then answers text whole). */
export const markdownParserLoaded = (): Promise<void> => loadParser().then(() => undefined, () => undefined);

/**
 * The runs of text of `markdown` in which message-markdown.tsx looks for `@mentions` (remarkChatRefs):
 * its `text` nodes, parsed as the renderer parses (the same plugins, block quotes only on marked lines:
 * quoteOnlyMarkedLines), without code spans, code blocks, raw HTML, links and images, nor what the
 * renderer drops (a footnote definition nothing refers to, table cells past the header's). So `` `@bob` ``,
 * a fenced or indented block of logs and `[@bob](https://…)` are no runs, and a mention found in a run
 * is one the reader sees highlighted. Text the parser need not see, text nested too deeply to parse
 * (shown as written) and any text when the parser cannot load come back whole: `[markdown]`.
 */
export async function textRunsForReferences(markdown: string): Promise<string[]> {
  if (isPlainText(markdown) || nestsTooDeep(markdown)) return [markdown];
  let parse: Parse;
  try {
    parse = await loadParser();
  } catch {
    return [markdown];
  }
  const tree = parse(markdown);
  const out: string[] = [];
  referenceRuns(tree, out, footnotesReferred(tree));
  return out;
}

/** How many characters of Markdown a preview of `max` code points parses at most: 4 × `max`. */
const PREVIEW_MARKDOWN_FACTOR = 4;

/**
 * The start of `markdown` as plain text (toPlainText) in at most `max` code points, `…` marking a cut
 * (truncateChars), for a notification. Only the first 4 × `max` characters are parsed, cut at the last
 * line end in their second half when there is one (a block's syntax then stays whole): remark's parser
 * (micromark) spends 10–70 µs per character of syntax-dense text, so a whole 4,000-character message of
 * `*a*a…` or `- a` lines held the event loop 0.1–0.3 s for every notification of it. A shorter preview
 * than `max` is possible when the prefix is mostly syntax (long link targets); it ends in `…` then too.
 */
export async function toPlainTextPreview(markdown: string, max: number): Promise<string> {
  const limit = max * PREVIEW_MARKDOWN_FACTOR;
  if (markdown.length <= limit) return truncateChars(await toPlainText(markdown), max);
  const lineEnd = markdown.lastIndexOf("\n", limit);
  let cut = lineEnd >= limit / 2 ? lineEnd : limit;
  // Never inside a character as a reader sees it (a surrogate pair, a flag, an emoji sequence).
  cut = graphemeStartAtOrBefore(markdown, cut);
  const start = await toPlainText(markdown.slice(0, cut));
  return countChars(start) < max ? `${start}…` : truncateChars(start, max);
}
