import { snippetTexts } from "../../lib/search/snippet-texts";
import { leadSnippet, SNIPPET_CHARS } from "../../lib/search/snippet";

/** A clock that moves `step` ms at each reading: every parse then takes `step` ms. */
const ticking = (step: number) => {
  let t = 0;
  return () => (t += step);
};

describe("the plain text of search results (snippets)", () => {
  it("parses the Markdown of bodies within the search's budget", async () => {
    expect(await snippetTexts(["**bold** one", "`code` two"], { budgetMs: 50, now: ticking(1) })).toEqual(["bold one", "code two"]);
  });

  it("gives the rest as written once the budget is spent, rather than hold the server", async () => {
    const bodies = ["**a** first", "**b** second", "**c** third", "**d** fourth"];
    // Each parse takes 30 ms by this clock: two fit in 50 ms, the others come as written.
    expect(await snippetTexts(bodies, { budgetMs: 50, now: ticking(30) })).toEqual(["a first", "b second", "**c** third", "**d** fourth"]);
  });

  it("keeps an empty body (a message of files only) as it is", async () => {
    expect(await snippetTexts(["", ""], { budgetMs: 50, now: ticking(1) })).toEqual(["", ""]);
  });

  it("parses a body once: later searches take its plain text from memory, outside the budget", async () => {
    const body = "*once* and **for all** " + Math.random();
    expect(await snippetTexts([body], { budgetMs: 50, now: ticking(1) })).toEqual([`once and for all ${body.split(" ").pop()}`]);
    expect(await snippetTexts([body], { budgetMs: 0, now: ticking(1000) })).toEqual([`once and for all ${body.split(" ").pop()}`]);
  });
});

describe("the snippet of a result past the search's budget", () => {
  it("is the start of its text, nothing marked", () => {
    expect(leadSnippet("short text")).toEqual({ text: "short text", highlights: [] });
    const long = leadSnippet("𠮷".repeat(SNIPPET_CHARS + 10));
    expect([...long.text]).toHaveLength(SNIPPET_CHARS);
    expect(long.text.endsWith("𠮷…")).toBe(true);
    expect(long.highlights).toEqual([]);
  });
});
