import { cardFromHtml, htmlNestsTooDeep, MAX_HTML_DEPTH } from "../../lib/previews/card";

describe("a page's nesting, before its card is read", () => {
  it("lets real pages through: void elements and implied end tags do not nest", () => {
    const page = `<html><head><meta charset="utf-8"><link rel="icon" href="/i"><title>t</title></head>
      <body>${"<p>para<br><img src=x>".repeat(1000)}<ul>${"<li>item".repeat(1000)}</ul>${"<div>".repeat(50)}</body></html>`;
    expect(htmlNestsTooDeep(page)).toBe(false);
    expect(htmlNestsTooDeep("<div>".repeat(MAX_HTML_DEPTH - 3))).toBe(false);
  });

  it("stops at the first element past the limit, in one pass", () => {
    const start = performance.now();
    expect(htmlNestsTooDeep("<div>".repeat(200_000))).toBe(true);
    expect(htmlNestsTooDeep("<b><i>".repeat(MAX_HTML_DEPTH))).toBe(true);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it("gives no card for a page nested too deeply, its meta tags notwithstanding", async () => {
    const head = '<html><head><meta property="og:title" content="Deep"></head><body>';
    expect(await cardFromHtml(head + "<div>".repeat(10), "https://example.com/", "https://example.com/")).toMatchObject({ card: { title: "Deep" } });
    expect(await cardFromHtml(head + "<div>".repeat(MAX_HTML_DEPTH + 1), "https://example.com/", "https://example.com/")).toBeNull();
  });
});
