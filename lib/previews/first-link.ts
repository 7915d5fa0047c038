import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { parseWithin, processParseAllowance, type ParseFor } from "../text/parse-allowance";
import { firstLinkUrl, markdownParserLoaded } from "../text/plain-text";

/** Text in which GFM could find an http(s) link: anything else needs no parse. */
const MAY_LINK = /https?:|www\./i;

/**
 * The URL a message's preview is made for: where the first link the reader sees goes, as the web client
 * renders the Markdown (lib/text/plain-text.ts firstLinkUrl): `[label](url)`'s url whatever its label
 * says (a card for the label's address would vouch for a link that goes elsewhere: an outside trial), a
 * reference link's definition, an autolink (`https://…`, `<https://…>`, `www.…` as `http://www.…`); none
 * in code, raw HTML or images. The first http or https one; normalised by the WHATWG URL parser; undefined when
 * there is none. The parse is charged to `allowance` (parse-allowance.ts) and to the author's share
 * (`parseFor`): with none left in its window, undefined (no card) rather than a guess from the raw text.
 */
export async function firstLink(text: string, allowance: RateLimiterAbstract = processParseAllowance, parseFor?: ParseFor): Promise<string | undefined> {
  if (!MAY_LINK.test(text)) return undefined;
  // Loading the parser (once per process) is not parsing: it is not charged.
  await markdownParserLoaded();
  const { normalizeUri } = await import("micromark-util-sanitize-uri");
  const web = (url: string) => webUrl(normalizeUri(url));
  const url = await parseWithin(allowance, () => firstLinkUrl(text, (u) => web(u) !== undefined), () => undefined, { parseFor });
  return url === undefined ? undefined : web(url);
}

/**
 * `href` (a link's URL as the renderer writes it into the page: remark-rehype's `normalizeUri`, which
 * percent-encodes `\`, spaces and non-ASCII) normalised by the WHATWG URL parser when it is an http(s)
 * URL, else undefined. The renderer's form, not the Markdown's: in `http://bank.example\@evil.example/`
 * a URL parser reads the `\` as a `/` (host bank.example), where the page's
 * `http://bank.example%5C@evil.example/` goes to evil.example (an outside trial got the bank's card on
 * a link to another site so). A protocol-relative href (`//host/…`) goes to that host over the page's
 * scheme: read as https.
 */
function webUrl(href: string): string | undefined {
  try {
    const parsed = new URL(href, "https://protocol-relative.invalid/");
    if (!/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("//")) return undefined; // relative: this site's
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}
