/**
 * Reads a preview card out of an HTML page with `open-graph-scraper` (Open Graph, Twitter Card and
 * plain HTML fallbacks). The scraper is only given HTML fetched through the outbound guard: it never
 * fetches anything itself.
 */
import type { LinkPreview } from "../chat/types";

type Scraper = typeof import("open-graph-scraper");
let scraper: Scraper | undefined;
/** The scraper (and its HTML parser), loaded by the first preview rather than at start (about 8 MiB resident). */
const loadScraper = (): Scraper => (scraper ??= require("open-graph-scraper") as Scraper);

/**
 * Deepest nesting of elements a page may have for its card to be read. The scraper's HTML parser
 * (parse5, through cheerio) takes time quadratic in it: a page of 32,000 nested `<div>` (160 KB) held
 * the server's event loop for 32 s, and a page may be 1 MiB. Real pages nest a few dozen deep.
 */
export const MAX_HTML_DEPTH = 256;

class TooDeep extends Error {}

/**
 * Whether `html` opens more than MAX_HTML_DEPTH elements inside one another, as htmlparser2's tokenizer
 * reads it (void elements and implied end tags as in HTML). It stops at the first element past the
 * limit, so its own time stays linear (htmlparser2 too slows down with depth).
 */
export function htmlNestsTooDeep(html: string): boolean {
  const { Parser } = require("htmlparser2") as typeof import("htmlparser2");
  let depth = 0;
  const parser = new Parser({
    onopentag() {
      if (++depth > MAX_HTML_DEPTH) throw new TooDeep();
    },
    onclosetag() {
      depth--;
    },
  });
  try {
    parser.end(html);
  } catch (err) {
    if (err instanceof TooDeep) return true;
    throw err;
  }
  return false;
}

export type Card = { card: Omit<LinkPreview, "imageUrl">; imageSrc?: string };

const clip = (s: unknown, max: number): string | undefined => {
  if (typeof s !== "string") return undefined;
  const t = s.replace(/\s+/g, " ").trim();
  if (!t) return undefined;
  const chars = [...t];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : t;
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
 * The card for the page at `pageUrl` (the URL that answered, after redirects) whose HTML is `html`;
 * null when the page names neither a title nor a description, or nests too deeply to read (see
 * htmlNestsTooDeep). Texts are whitespace-collapsed and clipped (title 200, description 300, site 100
 * characters).
 */
export async function cardFromHtml(html: string, pageUrl: string, shownUrl: string): Promise<Card | null> {
  if (htmlNestsTooDeep(html)) return null;
  const { result } = await loadScraper()({ html });
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
