import { cardFromHtml, MAX_HTML_DEPTH, MAX_META_ELEMENTS, metadataDocument, pageMetadata } from "../../lib/previews/card";

/** Whether the metadata pass stopped at an element nested deeper than MAX_HTML_DEPTH. */
const htmlNestsTooDeep = (html: string) => pageMetadata(html) === null;

describe("a page's nesting, before its card is read", () => {
  it("lets real pages through: void elements and implied end tags do not nest", () => {
    const page = `<html><head><meta charset="utf-8"><link rel="icon" href="/i"><title>t</title></head>
      <body>${"<p>para<br><img src=x>".repeat(1000)}<ul>${"<li>item".repeat(1000)}</ul>${"<div>".repeat(50)}</body></html>`;
    expect(htmlNestsTooDeep(page)).toBe(false);
    expect(htmlNestsTooDeep("<div>".repeat(MAX_HTML_DEPTH - 3))).toBe(false);
  });

  it("stops at the first element past the limit, in one pass", () => {
    expect(htmlNestsTooDeep("<div>".repeat(200_000))).toBe(true);
    expect(htmlNestsTooDeep("<b><i>".repeat(MAX_HTML_DEPTH))).toBe(true);
  });

  it("gives no card for a page nested too deeply, its meta tags notwithstanding", async () => {
    const head = '<html><head><meta property="og:title" content="Deep"></head><body>';
    expect(await cardFromHtml(head + "<div>".repeat(10), "https://example.com/", "https://example.com/")).toMatchObject({ card: { title: "Deep" } });
    expect(await cardFromHtml(head + "<div>".repeat(MAX_HTML_DEPTH + 1), "https://example.com/", "https://example.com/")).toBeNull();
  });
});

describe("a card is read from the page's metadata only", () => {
  const url = "https://example.com/post";
  const card = (html: string) => cardFromHtml(html, url, url);

  it("reads Open Graph, Twitter Card, <title> and description, entities and quotes intact", async () => {
    expect(await card('<head><meta property="og:title" content="Tom &amp; &quot;Jerry&quot;"><meta property="og:description" content="a &lt;b&gt; c"><meta property="og:image" content="/i.png?a=1&amp;b=2"></head>')).toEqual({
      card: { url, siteName: "example.com", title: 'Tom & "Jerry"', description: "a <b> c" },
      imageSrc: "https://example.com/i.png?a=1&b=2",
    });
    expect(await card('<head><title>Fallback &lt;3</title><meta name="description" content="From the meta"></head><body><h1>Not this</h1></body>')).toMatchObject({
      card: { title: "Fallback <3", description: "From the meta" },
    });
    expect(await card('<meta name="twitter:title" content="Tw"><meta name="twitter:image" content="https://cdn.example.com/t.jpg">')).toMatchObject({ card: { title: "Tw" }, imageSrc: "https://cdn.example.com/t.jpg" });
  });

  it("does not take markup inside scripts, styles or comments for metadata", async () => {
    const page = `<head><script>document.write('<meta property="og:title" content="Injected">')</script><style>/* <title>No</title> */</style>
      <!-- <meta property="og:title" content="Commented"> --><meta property="og:title" content="Real"></head>`;
    expect(await card(page)).toMatchObject({ card: { title: "Real" } });
  });

  it("hands the scraper a small document however large the page: the first 128 meta elements, no long values, no body", async () => {
    const junk = '<meta name="x" content="' + "y".repeat(100) + '">';
    const page = `<html><head><meta property="og:title" content="First"><meta property="og:description" content="${"z".repeat(5000)}">${junk.repeat(8000)}
      <meta property="og:description" content="Too late"></head><body>${"<p>para ".repeat(20_000)}</body></html>`;
    expect(page.length).toBeGreaterThan(1_000_000);
    const metadata = pageMetadata(page)!;
    expect(metadata.metas).toHaveLength(MAX_META_ELEMENTS);
    expect(metadata.metas[1]).toEqual({ property: "og:description" });
    expect(metadataDocument(metadata).length).toBeLessThan(20_000);
    expect(await card(page)).toEqual({ card: { url, siteName: "example.com", title: "First" } });
  });

  it("finds meta elements a page puts in its body", async () => {
    expect(await card('<html><body><div><meta property="og:title" content="In the body"></div></body></html>')).toMatchObject({ card: { title: "In the body" } });
  });
});
