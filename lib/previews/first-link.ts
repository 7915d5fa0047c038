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
  const raw = m[0].slice(0, linkEnd(m[0]));
  try {
    return new URL(raw).toString();
  } catch {
    return undefined;
  }
}

const TRAILING = new Set("?!.,:;*_~");
const count = (s: string, c: string) => s.split(c).length - 1;

/**
 * Where the URL-like run `raw` ends once its trailing punctuation is dropped: the marks in TRAILING, and a
 * closing parenthesis only when it balances none inside the URL ([x](url) and prose). One pass from the
 * end (a regex and a recount per parenthesis took seconds over a few thousand of them).
 */
function linkEnd(raw: string): number {
  let end = raw.length;
  let unbalanced = count(raw, ")") - count(raw, "(");
  for (;;) {
    const last = raw[end - 1];
    if (TRAILING.has(last)) end--;
    else if (last === ")" && unbalanced > 0) {
      end--;
      unbalanced--;
    } else return end;
  }
}
