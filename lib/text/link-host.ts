/**
 * Link text that names one site while the link goes to another: `[https://bank.example/login](https://evil.example/)`,
 * `[bank.example](https://bank.example.evil.example/)`, `[paypal.com](https://pаypal.com/)` (a Cyrillic
 * "а"). A mail client calls this a link whose text differs from its URL (Thunderbird's phishing check);
 * in a chat anyone in the room can write it, so the web client shows the host the link really goes to
 * beside such a text (message-markdown.tsx), where a hover or a long press is not needed to see it.
 */

/** Zero-width characters, bidi marks, embeddings, overrides and isolates, the BOM: invisible in a text, dropped before reading it as an address. */
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu;
/** Dots other than "." that a URL's host name treats as one (UTS #46: the ideographic and half-width full stops; NFKC maps the full-width one). */
const OTHER_DOTS = /[\u3002\uFF61]/gu;
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
  let t = text.normalize("NFKC").replace(INVISIBLE, "").replace(OTHER_DOTS, ".").trim();
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
  return url.hostname && url.hostname.includes(".") ? url.hostname : null;
}

/**
 * The host an external link `href` goes to when its visible `text` names another one (see hostNamedBy),
 * else null. The same host, with or without `www.`, or a host under the one named
 * (`[bank.example](https://docs.bank.example/)`) is not another one. Only `http:`/`https:` links are
 * read; `href` that is not an absolute URL gives null. The host returned is the URL parser's: an
 * international name in its `xn--` form, so a look-alike of the named host never reads as that host.
 */
export function mismatchedLinkHost(text: string, href: string): string | null {
  let target: URL;
  try {
    target = new URL(href);
  } catch {
    return null;
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") return null;
  const named = hostNamedBy(text);
  if (!named) return null;
  const to = siteHost(target.hostname);
  const says = siteHost(named);
  if (to === says || to.endsWith(`.${says}`)) return null;
  return target.hostname.replace(/\.$/, "");
}
