"use client";
/**
 * Message text as Markdown (CommonMark + GFM, CJK-friendly emphasis), rendered to React elements only:
 * raw HTML in a message is shown as text, never parsed; link and image URLs pass react-markdown's
 * `defaultUrlTransform` (only http, https, mailto, irc, ircs, xmpp and relative URLs survive, so
 * `javascript:` and `data:` become inert); external links open in a new tab without referrer or opener;
 * images are never loaded (a reader's browser must not contact third parties): they become links.
 * The server's HTML of a page has the newest short messages rendered (page-markdown.ts) and the others'
 * text as written: the browser renders those after hydrating (see useHydrated). Text nested too deeply to parse (see nestsTooDeep) is shown as written, and so is long
 * text while the tab's Markdown allowance is spent or whose render proved slow (render-budget.ts); text with too many emphasis
 * delimiter runs (see hasTooManyEmphasisRuns) is parsed without emphasis and strikethrough, and text
 * with many `www.` after underscores (see hasTooManyWwwAfterUnderscore) without micromark's `www.`
 * construct (remark-gfm's text pass still links them), and text whose tables would make too many cells
 * (see hasTooManyTableCells) without tables.
 *
 * `@name` is highlighted only for someone a mention notifies (mention-directory.ts), in the message's
 * room when it is given (someone who may not read a private room or DM is not notified by a mention
 * there): a name not known yet is shown as plain text, asked about after the render (one request for
 * every message of one commit, per room), and highlighted once confirmed (a name answered "nobody" is asked again from time to time while shown,
 * as that account may be created); the reader's own name at once. The room-wide words (`@room`, `@all`,
 * `@everyone`, `@here`) are highlighted when the server says the message notifies its room by them
 * (asked by the message's id: never in a DM, in a large room only when an admin wrote it); in a message
 * with a room but no id yet (being sent) they stay plain; a message given no room highlights them at
 * once.
 *
 * A `>` quotes its own line only, as in other chats (quoteOnlyMarkedLines): a reply on the next line is
 * not pulled into the quote.
 *
 * This module is loaded lazily by message-item.tsx, so the parser is not part of any page's first load.
 */
import { Children, cloneElement, createContext, isValidElement, useContext, useEffect, useId, useRef, useState, useSyncExternalStore, type ComponentProps, type MouseEvent, type ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";
import { renderBudget } from "./render-budget";
import { TextAsWritten } from "./as-written";
import { PageMarkdown, renderedWithPage } from "./page-markdown";
import remarkCjkFriendly from "remark-cjk-friendly";
import remarkCjkFriendlyGfmStrikethrough from "remark-cjk-friendly-gfm-strikethrough";
import remarkGfm from "remark-gfm";
import { rehypeBlockWhitespace } from "./block-whitespace";
import { rehypeTrailingMark, TRAILING_MARK } from "./trailing-mark";
import { rehypeFootnoteLabel } from "./footnote-label";
import { remarkChatRefs } from "./chat-refs";
import { mentionDirectory } from "./mention-directory";
import { isRoomMention } from "@/lib/notifications/mentions";
import { useControlTabIndex } from "../message-focus";
import { useT } from "@/components/i18n/use-t";
import { mismatchedLinkHost } from "@/lib/text/link-host";
import type { ElementContent as HastNode } from "hast";
import { quoteOnlyMarkedLines } from "@/lib/text/chat-quotes";
import { nestsTooDeep, parseGuards } from "@/lib/text/markdown-depth";

const EXTERNAL_REL = "noopener noreferrer nofollow";

/**
 * Same-site paths (room references) and places in the message (a footnote's call and its way back) stay
 * in the tab; everything else opens a new one.
 */
const isInternal = (href: string) => (href.startsWith("/") && !href.startsWith("//")) || href.startsWith("#");

/**
 * A link within the message (a footnote's mark, its back link) takes the focus to what it names, as well
 * as the view: the browser only scrolls to an element that cannot take the focus (a footnote), leaving
 * it on the page itself, and a keyboard user lost their place (an outside trial). The address keeps no
 * fragment: the ids are this render's own (useId), so it could not be shared anyway.
 */
function toFragment(e: MouseEvent<HTMLAnchorElement>) {
  const target = document.getElementById(decodeURIComponent(e.currentTarget.hash.slice(1)));
  if (!target) return;
  e.preventDefault();
  if (!target.matches("a[href], button, input, textarea, select, [tabindex]")) target.tabIndex = -1;
  target.scrollIntoView?.({ block: "nearest" });
  target.focus({ preventScroll: true });
}

/**
 * A Markdown heading in a message is shown as a heading but is not one: a paragraph in bold. The page's
 * outline is the app's own (the room's name is its h1; the room list's sections, the members and
 * thread panels are h2), and screen-reader users move through a log of messages message by message,
 * as in Slack or Zulip, keeping heading navigation to jump between those parts. A heading of any level
 * from a message would put what anyone wrote, as many times as they like, among those stops (and an h3
 * under the room's h1 would skip a level); its words are read in place, as part of the message.
 */
function MessageHeading({ node: _node, ...rest }: { node?: unknown; children?: ReactNode }) {
  return <p className="message-heading" {...rest} />;
}

/**
 * A table in its own box, which scrolls sideways when the table is wider than the message (many columns
 * on a phone; rich-text.css wraps cells at words, not letters). While it does, the box is a region named
 * for what it is and a Tab stop in every message (tabIndex 0), so a keyboard can reach what is out of
 * sight (WCAG 2.1.1; axe's scrollable-region-focusable): a scroller reachable only while its message is
 * the list's current one failed that rule. ←/→ scroll it, ↑/↓ go on to the messages around it
 * (message-keys.ts). A table that fits is neither (one that comes to fit while its box has the focus
 * gives the focus to its message). Code blocks wrap instead (rich-text.css).
 */
function WideTable({ node: _node, ...rest }: ComponentProps<"table"> & { node?: unknown }) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const [wide, setWide] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const measure = () => {
      const fits = el.scrollWidth <= el.clientWidth + 1;
      // The box stops being a Tab stop as the table comes to fit (a wider window, a closed panel): if it
      // has the focus, the focus goes to its message first, not to the page with the box's tabindex.
      if (fits && el === el.ownerDocument.activeElement) el.closest<HTMLElement>("[data-key]")?.focus();
      setWide(!fits);
    };
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    measure();
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} className="markdown-table" {...(wide ? { role: "region", "aria-label": t("message.wideTable"), tabIndex: 0 } : {})}>
      <table {...rest} />
    </div>
  );
}

/**
 * The bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): in a link's text they
 * reorder what it shows, so "https://evil.example/\u202Ecod.exe" read "https://evil.example/exe.doc"
 * (an outside trial). A link's text is shown without them, as file names and link previews' titles are
 * stored (cleanLabel); the marks (LRM, RLM, ALM) stay, and the href is the browser's to encode.
 */
const BIDI_REORDERING = /[\u202A-\u202E\u2066-\u2069]/gu;

/** `children` with BIDI_REORDERING taken out of every text in them, however deep. */
function withoutReordering(children: ReactNode): ReactNode {
  return Children.map(children, (child) => {
    if (typeof child === "string") return child.replace(BIDI_REORDERING, "");
    if (isValidElement<{ children?: ReactNode }>(child) && child.props.children !== undefined) return cloneElement(child, undefined, withoutReordering(child.props.children));
    return child;
  });
}

/** The text of a hast node and everything in it (an image counts as its alt text), as a reader sees it. */
function textOf(node: HastNode): string {
  if (node.type === "text") return node.value;
  if (node.type === "element" && node.tagName === "img") return String(node.properties?.alt ?? "");
  return "children" in node ? node.children.map((c) => textOf(c as HastNode)).join("") : "";
}

/**
 * The host a link really goes to, beside text naming another (lib/text/link-host.ts): part of the link's
 * text and name (after a space: "bank.example (goes to evil.example)"), kept in one piece on a narrow
 * screen where it fits (rich-text.css; a long host still wraps).
 */
function LinkHost({ text }: { text: string }) {
  return (
    <>
      {" "}
      <span className="link-host">{text}</span>
    </>
  );
}

/** Inside a link of the message: an image or a link there is that link's text, not a link of its own. */
const InLink = createContext(false);

// Links leave the Tab order while their message is not its list's current one (message-focus.ts).
const components: Components = {
  table: WideTable,
  h1: MessageHeading,
  h2: MessageHeading,
  h3: MessageHeading,
  h4: MessageHeading,
  h5: MessageHeading,
  h6: MessageHeading,
  a: function Link({ href, children, node, ...rest }) {
    const tabIndex = useControlTabIndex();
    const t = useT();
    // A link within a link's text (an autolink, a footnote's mark: `[see <https://x> here](t)`) is text
    // of the one around it: a link in a link is not HTML (the browser's parser splits the server's).
    if (useContext(InLink)) return <span className="link-in-link">{children}</span>;
    // An href the URL transform emptied (javascript:, data:, …) leaves just the text.
    if (!href) return <span className="link-removed">{children}</span>;
    const inner = <InLink.Provider value={true}>{withoutReordering(children)}</InLink.Provider>;
    // dir="auto" isolates the link (HTML gives [dir] `unicode-bidi: isolate`): an override or embedding
    // left open in the text before it ("see U+202E https://…") does not reach into it, and its direction is
    // its own first strong letter's (an address is left to right, a Hebrew label right to left).
    if (href.startsWith("#")) return <a {...rest} href={href} tabIndex={tabIndex} dir="auto" onClick={toFragment}>{inner}</a>;
    if (isInternal(href)) return <a {...rest} href={href} tabIndex={tabIndex} dir="auto">{inner}</a>;
    // Text naming another site than the link goes to ("[https://bank.example](https://evil.example)"):
    // the real host is part of the link's text (and name), seen without hovering (lib/text/link-host.ts).
    const goesTo = node ? mismatchedLinkHost(textOf(node), href) : null;
    return (
      <a {...rest} href={href} target="_blank" rel={EXTERNAL_REL} tabIndex={tabIndex} dir="auto">
        {inner}
        {goesTo && <LinkHost text={t("message.linkGoesTo", { host: goesTo })} />}
      </a>
    );
  },
  // A task list's box (`- [ ] todo`, the only input GFM makes): read-only, named, as every form control
  // must be (WCAG 4.1.2); its state is its checked state.
  input: function TaskBox({ node: _node, type, checked }) {
    const t = useT();
    if (type !== "checkbox") return null;
    return <input type="checkbox" checked={!!checked} readOnly disabled aria-label={t.label("message.task")} />;
  },
  // `[![alt](image)](target)`: the image is the text of the link around it (a link in a link is not
  // HTML, and would be two Tab stops and two names for one thing).
  img: function Image({ src, alt }) {
    const tabIndex = useControlTabIndex();
    const t = useT();
    const inLink = useContext(InLink);
    const label = alt || (typeof src === "string" ? src : "") || "image";
    if (inLink) return <span className="image-in-link">{label}</span>;
    if (typeof src !== "string" || !src) return <span className="link-removed">{label}</span>;
    // An image is a link labelled with its description, which may name another site, as a link's text may.
    const goesTo = alt ? mismatchedLinkHost(alt, src) : null;
    return (
      <a href={src} target="_blank" rel={EXTERNAL_REL} className="image-link" tabIndex={tabIndex} dir="auto">
        {label}
        {goesTo && <LinkHost text={t("message.linkGoesTo", { host: goesTo })} />}
      </a>
    );
  },
};

/** What a message shows at the end of its text (MessageMarkdownProps.trailer), where rehypeTrailingMark put its place. */
const Trailer = createContext<ReactNode>(null);

function TrailingMark() {
  return useContext(Trailer);
}

/** The components, and the trailer's placeholder (trailing-mark.ts), which is not an HTML element's name. */
const componentsWithTrailer = { ...components, [TRAILING_MARK]: TrailingMark } as Components;

export type MessageMarkdownProps = {
  text: string;
  /** The reader's name, to mark mentions of them. */
  me?: string | null;
  /**
   * The room the message is in: a name is highlighted only for someone a mention there notifies (who
   * may read it). Absent: whether they may read any given room is not asked.
   */
  room?: string;
  /**
   * The message's id, once stored: whether its `@room`, `@all`, `@everyone` or `@here` notifies the room
   * is asked by it. Absent in a room: those stay plain; without a room: they are highlighted at once.
   */
  messageId?: string;
  /** The text's element id (what names the message when it has the focus). */
  id?: string;
  /**
   * Shown at the end of the text (the "(edited)" marker): in its last paragraph, after a space, or on
   * the line after its last block when that is not a paragraph (a code block, a list …): see trailing-mark.ts.
   */
  trailer?: ReactNode;
};

/**
 * The `known` predicate for remarkChatRefs over the page's mention directory, for mentions in `room` in
 * message `messageId` (what the room-wide words are asked by: see MessageMarkdownProps): it notes the
 * names it is asked about in a render, wants them asked after the commit, and re-renders the message
 * when one of them becomes known.
 */
function useKnownMentions(room: string | undefined, messageId: string | undefined): (name: string) => boolean {
  const directory = mentionDirectory();
  // The names the last committed render asked about (the render in progress collects into `asking`);
  // a room-wide word stands for the message's id, asked about once.
  const shown = useRef<string[]>([]);
  const asking: string[] = [];
  let asksMessage = false;
  const knows = (name: string) => directory.known(name, room);
  const messageKnown = () => messageId !== undefined && directory.known(messageId, room, "messages") === true;
  useSyncExternalStore(
    directory.subscribe,
    () => shown.current.map((name) => (knows(name) ? "1" : "0")).join("") + (messageKnown() ? "m" : ""),
    () => "",
  );
  // The names stay shown (a "no" among them asked again in time) until the next render or unmount.
  useEffect(() => {
    shown.current = asking;
    const releaseNames = directory.want(asking, room);
    const releaseMessage = asksMessage && messageId !== undefined ? directory.want([messageId], room, "messages") : undefined;
    return () => {
      releaseNames();
      releaseMessage?.();
    };
  });
  return (name: string) => {
    if (isRoomMention(name)) {
      if (room === undefined) return true;
      asksMessage = true;
      return messageKnown();
    }
    asking.push(name);
    return knows(name) === true;
  };
}

/**
 * Re-renders the calling message once the tab's Markdown allowance is back, while `deferred` (it was
 * shown as written for want of it: see render-budget.ts). Messages not deferred subscribe to nothing.
 */
function useRenderWhenAllowed(deferred: boolean) {
  const [, setTurn] = useState(0);
  useEffect(() => {
    if (!deferred) return;
    return renderBudget.waitForRefill(() => setTurn((n) => n + 1));
  });
}

const noSubscription = () => () => undefined;

/**
 * False while the server renders the page and while the browser hydrates it, true after (and at once
 * for anything mounted later). Until then only the messages page-markdown.ts chose for the page are
 * parsed (the newest short ones, within a budget of characters per page): a page of 20 messages of
 * syntax-dense text took the server 2.9 s to render, per page load, where 0.3 s is usual, and the
 * allowance that bounds a tab (render-budget.ts) would, on the server, make the page differ from the
 * browser's first render. The others' HTML has the text as written; the browser renders their Markdown
 * right after hydrating.
 */
const useHydrated = () => useSyncExternalStore(noSubscription, () => true, () => false);

export default function MessageMarkdown({ text, me, id, room, messageId, trailer }: MessageMarkdownProps) {
  const t = useT();
  const known = useKnownMentions(room, messageId);
  // Footnotes' ids (and the links to them) are this message's own: with remark-rehype's one prefix for
  // all, a call in one message went to the first message's note of that number.
  const footnotes = `m${useId().replace(/[^A-Za-z0-9_-]/g, "")}-`;
  const hydrated = useHydrated();
  const withPage = renderedWithPage(useContext(PageMarkdown), messageId, text);
  // Not in the server's HTML (nor chosen for it: page-markdown.ts), too deep to parse at all, or over the
  // tab's Markdown allowance (render-budget.ts): as written.
  const tooDeep = nestsTooDeep(text);
  const allowed = !tooDeep && (hydrated ? renderBudget.mayRender(text) : withPage);
  useRenderWhenAllowed(hydrated && !tooDeep && !allowed && !renderBudget.isSlow(text));
  if (!allowed) return <TextAsWritten id={id} text={text} trailer={trailer} />;
  const trailing = trailer != null;
  const start = performance.now();
  // react-markdown's Markdown is a plain function (no hooks): called here so that its parse is timed.
  const rendered = Markdown({
    remarkPlugins: [
      remarkGfm,
      remarkCjkFriendly,
      remarkCjkFriendlyGfmStrikethrough,
      // Too many `*`/`_` runs to pair in time, `www.` after underscores (both quadratic in micromark) or
      // table cells (a header's width times every line after it): that construct off, all else parsed.
      ...parseGuards(text),
      [remarkChatRefs, { me, known }],
    ],
    rehypePlugins: [rehypeBlockWhitespace, [rehypeFootnoteLabel, footnotes], ...(trailing ? [rehypeTrailingMark] : [])],
    components: trailing ? componentsWithTrailer : components,
    // The footnotes' heading and their back links' names in the reader's language (remark-rehype's are
    // English: "Footnotes", "Back to reference 1-2", its GitHub-like labels and numbering).
    remarkRehypeOptions: {
      clobberPrefix: footnotes,
      footnoteLabel: t("message.footnotes"),
      footnoteBackLabel: (reference: number, rereference: number) =>
        t.label("message.footnoteBack", { reference: rereference > 1 ? `${reference + 1}-${rereference}` : reference + 1 }),
    },
    skipHtml: false,
    children: quoteOnlyMarkedLines(text),
  });
  // The server's renders are bounded by page-markdown.ts and charge no tab's allowance.
  if (hydrated) renderBudget.charge(text, performance.now() - start);
  return (
    <div id={id} className="message-text markdown" dir="auto">
      {trailing ? <Trailer.Provider value={trailer}>{rendered}</Trailer.Provider> : rendered}
    </div>
  );
}
