/**
 * Reads a preview card out of an HTML page with `open-graph-scraper` (Open Graph, Twitter Card and
 * plain HTML fallbacks). The scraper is only given HTML fetched through the outbound guard: it never
 * fetches anything itself.
 */
import type { LinkPreview } from "../chat/types";
import { cleanLabel } from "../text/rules";
import { truncateChars } from "../text/unicode";

type Scraper = typeof import("open-graph-scraper");
let scraper: Scraper | undefined;
/** The scraper (and its HTML parser), loaded by the first preview rather than at start (about 8 MiB resident). */
const loadScraper = (): Scraper => (scraper ??= require("open-graph-scraper") as Scraper);

/**
 * Deepest nesting of elements a page may have for its card to be read. HTML parsers take time
 * quadratic in it (parse5, through cheerio, held the event loop 32 s on a page of 32,000 nested `<div>`,
 * 160 KB; htmlparser2 slows down too), and a page may be 1 MiB. Real pages nest a few dozen deep.
 */
export const MAX_HTML_DEPTH = 256;

/** The most `<meta>` elements a card is read from (real pages have a few dozen), and their longest attribute value. */
export const MAX_META_ELEMENTS = 128;
export const MAX_META_VALUE = 2048;

/** Attributes of `<meta>` the scraper reads. */
const META_ATTRIBUTES = new Set(["property", "name", "content", "itemprop", "http-equiv", "charset", "value"]);

class TooDeep extends Error {}

/** The metadata a card is read from: the document's first `<title>` and its first `<meta>` elements. */
export type PageMetadata = { title?: string; metas: Record<string, string>[] };

/**
 * The metadata of `html` in one linear pass of htmlparser2's tokenizer (void elements and implied end
 * tags as in HTML): the first `<title>`'s text (at most MAX_META_VALUE characters) and the first
 * MAX_META_ELEMENTS `<meta>` elements, each with the attributes the scraper reads (values longer than
 * MAX_META_VALUE dropped). null when an element is nested deeper than MAX_HTML_DEPTH: the pass stops
 * there. Only this goes to the scraper, never the page: its parser (cheerio) spent about 1.2 s on a
 * page of 1 MB of meta tags, and whatever a page holds besides (scripts, styles, the body) is work it
 * needed not do.
 */
export function pageMetadata(html: string): PageMetadata | null {
  const { Parser } = require("htmlparser2") as typeof import("htmlparser2");
  let depth = 0;
  let inTitle = false;
  let title: string | undefined;
  const metas: Record<string, string>[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (++depth > MAX_HTML_DEPTH) throw new TooDeep();
        if (name === "title" && title === undefined) {
          inTitle = true;
          title = "";
        } else if (name === "meta" && metas.length < MAX_META_ELEMENTS) {
          const kept: Record<string, string> = {};
          for (const [key, value] of Object.entries(attribs)) if (META_ATTRIBUTES.has(key) && value.length <= MAX_META_VALUE) kept[key] = value;
          metas.push(kept);
        }
      },
      ontext(text) {
        if (inTitle && title!.length < MAX_META_VALUE) title = (title + text).slice(0, MAX_META_VALUE);
      },
      onclosetag(name) {
        depth--;
        if (name === "title") inTitle = false;
      },
    },
    { decodeEntities: true },
  );
  try {
    parser.end(html);
  } catch (err) {
    if (err instanceof TooDeep) return null;
    throw err;
  }
  return title === undefined ? { metas } : { title, metas };
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** `metadata` as the small HTML document the scraper reads. */
export function metadataDocument(metadata: PageMetadata): string {
  const metas = metadata.metas.map((m) => `<meta ${Object.entries(m).map(([k, v]) => `${k}="${escapeHtml(v)}"`).join(" ")}>`);
  const title = metadata.title === undefined ? "" : `<title>${escapeHtml(metadata.title)}</title>`;
  return `<!doctype html><html><head>${title}${metas.join("")}</head><body></body></html>`;
}

export type Card = { card: Omit<LinkPreview, "imageUrl">; imageSrc?: string };

/** A text of the page as a card shows it: `cleanLabel` (one line, no control or bidi characters), at most `max` code points. */
const clip = (s: unknown, max: number): string | undefined => {
  if (typeof s !== "string") return undefined;
  const t = cleanLabel(s);
  if (!t) return undefined;
  return truncateChars(t, max);
};

/** An absolute http(s) URL for `src` relative to `base`, or undefined. */
function absolute(src: unknown, base: string): string | undefined {
  if (typeof src !== "string" || !src.trim()) return undefined;
  try {
    const u = new URL(src.trim(), base);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The card for the page at `pageUrl` (the URL that answered, after redirects) whose HTML is `html`,
 * read from its metadata only (`<title>` and `<meta>`: Open Graph, Twitter Card, `description`; see
 * pageMetadata); null when those name neither a title nor a description, or the page nests too
 * deeply to read. Texts are whitespace-collapsed and clipped (title 200, description 300, site 100
 * characters).
 */
export async function cardFromHtml(html: string, pageUrl: string, shownUrl: string): Promise<Card | null> {
  const metadata = pageMetadata(html);
  if (!metadata) return null;
  const { result } = await loadScraper()({ html: metadataDocument(metadata) });
  const title = clip(result.ogTitle ?? result.twitterTitle, 200);
  const description = clip(result.ogDescription ?? result.twitterDescription, 300);
  if (!title && !description) return null;
  const siteName = clip(result.ogSiteName, 100) ?? new URL(pageUrl).hostname;
  const imageSrc = absolute(result.ogImage?.[0]?.url ?? result.twitterImage?.[0]?.url, pageUrl);
  const card: Card["card"] = { url: shownUrl, siteName };
  if (title) card.title = title;
  if (description) card.description = description;
  return imageSrc ? { card, imageSrc } : { card };
}
