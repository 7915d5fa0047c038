import { snippetTexts } from "../../lib/search/snippet-texts";
import { parseAllowance, PARSE_MS_PER_WINDOW } from "../../lib/text/parse-allowance";
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

  it("parses no more than the process's allowance across searches: a parse past the budget is charged in full", async () => {
    // One parse of Markdown written to be slow takes far more than one search's budget (0.3-0.8 s for
    // 4,000 characters); a search at a time, each parsed one such body before its budget said stop.
    const allowance = parseAllowance();
    const slow = ticking(PARSE_MS_PER_WINDOW * 0.6);
    const search = (n: number) => snippetTexts([`**slow ${n}** ${Math.random()}`, `*next ${n}*`], { budgetMs: 50, now: slow, allowance });
    expect((await search(1))[0]).toMatch(/^slow 1 /);
    expect((await search(2))[0]).toMatch(/^slow 2 /);
    // The allowance is spent (1.2 of it, the second parse charged in full): the next searches parse nothing.
    for (const n of [3, 4, 5]) {
      const [first, second] = await search(n);
      expect(first).toMatch(new RegExp(`^\\*\\*slow ${n}\\*\\* `));
      expect(second).toBe(`*next ${n}*`);
    }
    // Cheap parses are charged what they cost: many fit.
    const cheap = parseAllowance();
    for (let n = 0; n < 100; n++) expect(await snippetTexts([`*cheap ${n} ${Math.random()}*`], { now: ticking(1), allowance: cheap })).toEqual([expect.stringMatching(/^cheap /)]);
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
