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
 * null when the page names neither a title nor a description. Texts are whitespace-collapsed and
 * clipped (title 200, description 300, site 100 characters).
 */
export async function cardFromHtml(html: string, pageUrl: string, shownUrl: string): Promise<Card | null> {
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
