/**
 * Link text that names one site while the link goes to another: `[https://bank.example/login](https://evil.example/)`,
 * `[bank.example](https://bank.example.evil.example/)`, `[paypal.com](https://pаypal.com/)` (a Cyrillic
 * "а"). A mail client calls this a link whose text differs from its URL (Thunderbird's phishing check);
 * in a chat anyone in the room can write it, so the web client shows the host the link really goes to
 * beside such a text (message-markdown.tsx), where a hover or a long press is not needed to see it.
 */

/**
 * Invisible in a text, dropped before reading it as an address: the default-ignorable code points
 * (Unicode's DerivedCoreProperties: zero-width characters, bidi marks and controls, variation selectors,
 * tags, the combining grapheme joiner, fillers such as U+3164), as UTS #39's skeleton drops them.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
/** Blank at either end of a text without being white space: the braille blank (U+2800). */
const BLANK_ENDS = /^[\p{White_Space}\u2800]+|[\p{White_Space}\u2800]+$/gu;
/**
 * Read as "." in a host name: the dots UTS #46 maps to one (the ideographic and half-width full stops;
 * NFKC maps the full-width one and U+2024, U+FE52), the characters confusables.txt (UTS #39) gives "."
 * as their prototype (U+0660, U+06F0, U+0701, U+0702, U+A4F8, U+A60E, U+10A50, U+1D16D), and the middle
 * dot (U+00B7, "bank·example").
 */
const OTHER_DOTS = /[\u3002\uFF61\u0660\u06F0\u0701\u0702\uA4F8\uA60E\u00B7\u{10A50}\u{1D16D}]/gu;
/** Text that starts with a URL scheme and `//`. */
const WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/**
 * Text that is a host name, maybe with a port and a path: labels of letters, digits and hyphens (any
 * script) joined by dots, the last of two or more letters (or an IDNA `xn--` label). Not an e-mail
 * address, not "v1.2" or "3.14" (the last label is not letters).
 */
const HOST_LIKE = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(?:\p{L}{2,}|xn--[a-z0-9-]+)\.?(?::\d{1,5})?(?:[/?#][^\s]*)?$/iu;

/** `host` in lower case, without a trailing dot and a leading `www.`: the same site either way ("WWW.Bank.example." is bank.example). */
export const siteHost = (host: string) => host.toLowerCase().replace(/\.$/, "").replace(/^www\./, "");

/**
 * The host name a link's visible `text` names, as a URL parser reads it (lower case, international
 * names in their `xn--` form), or null when the text is not an address: a URL with a scheme
 * (`https://bank.example/login`) or a host name with an optional port and path (`bank.example`,
 * `docs.bank.example/help`). The text is NFKC-normalised first, invisible characters are dropped and
 * the dots UTS #46 maps to "." are read as dots, since a browser's address bar reads it that way too:
 * `ｂａｎｋ。ｅｘａｍｐｌｅ` names bank.example. Surrounding spaces and one pair of `<>` are ignored.
 */
export function hostNamedBy(text: string): string | null {
  return addressIn(text)?.hostname ?? null;
}

/** The address `text` is (see hostNamedBy), parsed; null when it is none. */
function addressIn(text: string): URL | null {
  let t = text.normalize("NFKC").replace(INVISIBLE, "").replace(OTHER_DOTS, ".").replace(BLANK_ENDS, "");
  if (t.startsWith("<") && t.endsWith(">")) t = t.slice(1, -1).trim();
  if (!t || t.length > 2048) return null;
  let url: URL;
  try {
    if (WITH_SCHEME.test(t)) url = new URL(t);
    else if (HOST_LIKE.test(t)) url = new URL(`http://${t}`);
    else return null;
  } catch {
    return null;
  }
  return url.hostname && url.hostname.includes(".") ? url : null;
}

/**
 * The host an external link `href` goes to when its visible `text` names another one (see hostNamedBy),
 * else null (and always when the text carries a user name, `https://bank.example@evil.example/`). The
 * same host, with or without `www.`, or a host under the one named
 * (`[bank.example](https://docs.bank.example/)`) is not another one. Only `http:`/`https:` links are
 * read (a protocol-relative one as https); a relative `href` gives null. The host returned is the URL parser's: an
 * international name in its `xn--` form, so a look-alike of the named host never reads as that host.
 */
export function mismatchedLinkHost(text: string, href: string): string | null {
  // A protocol-relative href (`//evil.example/`) goes to that host over the page's scheme; a relative
  // one stays on this site.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("//")) return null;
  let target: URL;
  try {
    target = new URL(href, "https://protocol-relative.invalid/");
  } catch {
    return null;
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") return null;
  const address = addressIn(text);
  if (!address) return null;
  // A user name before an @ (`https://bank.example@evil.example/`) is read as the host by people: the
  // real one is named, whatever it is.
  if (address.username || address.password) return target.hostname.replace(/\.$/, "");
  const to = siteHost(target.hostname);
  const says = siteHost(address.hostname);
  if (to === says || to.endsWith(`.${says}`)) return null;
  return target.hostname.replace(/\.$/, "");
}
