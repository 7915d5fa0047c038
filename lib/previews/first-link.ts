/**
 * The URL a message's preview is made for: the first http(s) URL of its Markdown text, outside code
 * (fenced or indented blocks and inline code spans show URLs, they do not point at them). Trailing
 * punctuation is not part of a URL, as in GFM's autolink-literal rule.
 */
const FENCE = /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[ \t]*$|(?![\s\S]))/gm;
const INDENTED = /^(?: {4}|\t).*$/gm;
const CODE_SPAN = /(`+)[^`][\s\S]*?\1/g;
const URL_LIKE = /\bhttps?:\/\/[^\s<>"'`\\]+/i;

/** The first http(s) URL of `text`, normalised by the WHATWG URL parser, or undefined. */
export function firstLink(text: string): string | undefined {
  if (!/https?:\/\//i.test(text)) return undefined;
  const prose = text.replace(FENCE, " ").replace(INDENTED, " ").replace(CODE_SPAN, " ");
  const m = URL_LIKE.exec(prose);
  if (!m) return undefined;
  let raw = m[0].replace(/[?!.,:;*_~]+$/, "");
  // A closing parenthesis belongs to the URL only when it balances one inside it ([x](url) and prose).
  while (raw.endsWith(")") && count(raw, "(") < count(raw, ")")) raw = raw.slice(0, -1).replace(/[?!.,:;*_~]+$/, "");
  try {
    return new URL(raw).toString();
  } catch {
    return undefined;
  }
}

const count = (s: string, c: string) => s.split(c).length - 1;
