/** @jest-environment jsdom */
import { render } from "@testing-library/react";
import fc from "fast-check";
import MessageMarkdown from "@/components/chat/markdown/message-markdown";
import { isPlainText, toPlainText, toPlainTextPreview } from "@/lib/text/plain-text";
import { countChars, truncateChars } from "@/lib/text/unicode";
import { hasTooManyEmphasisRuns, hasTooManyTableCells, hasTooManyWwwAfterUnderscore, MAX_EMPHASIS_RUNS, MAX_MARKDOWN_NESTING, MAX_TABLE_CELLS, MAX_WWW_AFTER_UNDERSCORE, nestsTooDeep } from "@/lib/text/markdown-depth";
import { MessageList } from "@/components/chat/message-list";
import { message } from "./fixtures";

jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

const parsed = (text: string) => render(<MessageMarkdown text={text} me="alice" />).container.innerHTML;

describe("plain message text (rendered without the Markdown parser)", () => {
  it("is exactly what the parser renders, for any text it accepts", () => {
    // Letters, CJK, digits, spaces and every ASCII punctuation mark: most samples are refused, the
    // accepted ones must render the same either way.
    const chars = fc.constantFrom(..."ab Z09 .,:;!?'\"()/-+=%$^{}~*_`#@<>&|[]\\\n会議で😀".split("").concat(["\u00a0", "\u2067", "www.", "http:"]));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }).map((a) => a.join("")), (text) => {
        if (!isPlainText(text)) return;
        const fast = render(<div className="message-text markdown" dir="auto"><p>{text}</p></div>).container.innerHTML;
        expect(fast).toBe(parsed(text));
      }),
      { numRuns: 400 },
    );
  });

  it.each(["hello", "ok, see you at 3:30 (maybe)", "会議は 10 時からです", "50% off! really?", "a - b / c = d"])("accepts %j", (text) => {
    expect(isPlainText(text)).toBe(true);
    expect(render(<div><p>{text}</p></div>).container.textContent).toBe(text);
  });

  it.each(["**bold**", "@bob hi", "see #general", "- item", "1. first", "2) second", "> quote", "www.example.com", "https://x.test", "a\nb", " lead", "trail ", "a & b", "`code`", "~~x~~", "a_b_c", "| a |", "", "+ plus"])(
    "refuses %j",
    (text) => expect(isPlainText(text)).toBe(false),
  );

  it("renders a plain message in the list at once, with no parser to wait for", () => {
    const { container } = render(
      <MessageList room="general" messages={[message(1, { text: "just words" })]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} />,
    );
    expect(container.querySelector(".message-text.markdown p")?.textContent).toBe("just words");
  });
});

/** Text as a reader sees it, white space aside (the renderer separates blocks by elements, not spaces). */
const words = (text: string) => text.replace(/\s+/g, "");

describe("message text as plain text (search snippets, notifications, announcements)", () => {
  it.each([
    ["**bold** and `code` and [docs](https://example.com/docs)", "bold and code and docs"],
    ["# Plan\n\n- *first*\n- ~~second~~\n\n> quoted", "Plan\nfirst\nsecond\nquoted"],
    ["see ![the chart](https://example.com/c.png)", "see the chart"],
    ["**会議**は~~明日~~今日です", "会議は明日今日です"],
    ["\\*not emphasis\\* &amp; <b>raw</b>", "*not emphasis* & <b>raw</b>"],
    ["```\nnpm run build\n```", "npm run build"],
    ["@bob see #general", "@bob see #general"],
  ])("gives %j as %j", async (markdown, text) => {
    expect(await toPlainText(markdown)).toBe(text);
  });

  // A `>` quotes its own line only, in the renderer and here (quoteOnlyMarkedLines): the next line is no
  // lazy continuation of the quote, so a `\` ending the quoted line is a backslash, not a line break, and
  // emphasis, code and links do not run across the two lines.
  it.each([
    ["> \\\na", "\\\na"],
    ["> see\\\nthat", "see\\\nthat"],
    ["> **a\nb**", "**a\nb**"],
    ["> `a\nb`", "`a\nb`"],
    ["> [a\nb](https://example.com)", "[a\nb](https://example.com)"],
    ["> ~~引用\n返事~~", "~~引用\n返事~~"],
  ])("reads %j's quote as the renderer does: %j", async (markdown, text) => {
    expect(await toPlainText(markdown)).toBe(text);
    expect(words(await toPlainText(markdown))).toBe(words(render(<MessageMarkdown text={markdown} />).container.textContent ?? ""));
  });

  it("has the words the renderer shows, for any text", async () => {
    const chars = fc.constantFrom(..."ab Z09 .,:;!?'\"()/-+=%$^{}~*_`#@<>&|[]\\\n会議で😀".split("").concat(["**", "`", "[x](y)", "\n\n", "# ", "> ", "- "]));
    await fc.assert(
      fc.asyncProperty(fc.array(chars, { maxLength: 24 }).map((a) => a.join("")), async (text) => {
        expect(words(await toPlainText(text))).toBe(words(render(<MessageMarkdown text={text} />).container.textContent ?? ""));
      }),
      { numRuns: 300 },
    );
  });
});

describe("a notification's preview of a message (toPlainTextPreview)", () => {
  it.each([
    ["emphasis and code", "**bold** and `code`", "bold and code"],
    ["a heading and a list", "# Plan\n\n- *first*\n- ~~second~~", "Plan\nfirst\nsecond"],
    ["800 plain letters", "x".repeat(800), "x".repeat(199) + "…"],
    ["Japanese with emphasis", "**会議**" + "は".repeat(300), "会議" + "は".repeat(197) + "…"],
  ])("of a short text is its plain text, cut to 200 code points: %s", async (_, markdown, text) => {
    expect(await toPlainTextPreview(markdown, 200)).toBe(text);
  });

  it("parses only the first 800 characters: a link's definition further down is not seen", async () => {
    const tail = "\n\n" + "more words ".repeat(100) + "\n\n[docs]: https://example.com/docs";
    // The whole text, parsed: "[docs]" is a link (its text shows); the preview's prefix leaves it as written.
    expect(await toPlainText("see [docs] please" + tail)).toMatch(/^see docs please/);
    expect(await toPlainTextPreview("see [docs] please" + tail, 200)).toMatch(/^see \[docs\] please/);
    // And the same, with the definition within reach, is parsed whole.
    expect(await toPlainTextPreview("see [docs] please\n\n[docs]: https://example.com/docs", 200)).toBe("see docs please");
  });

  it.each([
    ["syntax-dense emphasis", "*a".repeat(2000)],
    ["a list of 1,000 items", "- a\n".repeat(1000)],
    ["headings", "# title\n".repeat(500)],
    ["strikethrough runs", "~a".repeat(2000)],
  ])("of a long message (%s) is the start of its plain text, at most 200 code points ending in …", async (_, markdown) => {
    const preview = await toPlainTextPreview(markdown, 200);
    expect(countChars(preview)).toBeLessThanOrEqual(200);
    expect(preview.endsWith("…")).toBe(true);
    // The start agrees with the plain text of the whole message.
    const whole = await toPlainText(markdown);
    expect(whole.startsWith(preview.slice(0, -1).slice(0, 50))).toBe(true);
  });

  it("cuts at a line end when there is one, and never inside a surrogate pair", async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `- **item ${i}** done`).join("\n");
    const preview = await toPlainTextPreview(lines, 200);
    expect(preview).toBe(truncateChars((await toPlainText(lines)), 200));
    for (let shift = 0; shift < 4; shift++) {
      const emoji = "a".repeat(shift) + "😀".repeat(600);
      const out = await toPlainTextPreview(emoji, 200);
      expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      expect(countChars(out)).toBe(200);
    }
  });
});

describe("Markdown nested too deeply to parse (lib/text/markdown-depth.ts)", () => {
  // 3,999 `>`: the parser took seconds over it and the tree it built overflowed the stack.
  const deep = ">".repeat(3999) + "x";

  it("is shown as written, not parsed", () => {
    const { container } = render(<MessageMarkdown text={deep} />);
    expect(container.querySelector("blockquote")).toBeNull();
    expect(container.textContent).toBe(deep);
  });

  it("is its own plain text (search snippets, notifications)", async () => {
    expect(await toPlainText(deep)).toBe(deep);
    expect(await toPlainText("- ".repeat(1999) + "x")).toBe("- ".repeat(1999) + "x");
  });

  it("counts markers on a line and the indentation that carries enclosing list items", () => {
    expect(nestsTooDeep(">".repeat(MAX_MARKDOWN_NESTING) + " x")).toBe(false);
    expect(nestsTooDeep(">".repeat(MAX_MARKDOWN_NESTING + 1) + " x")).toBe(true);
    expect(nestsTooDeep("1. ".repeat(MAX_MARKDOWN_NESTING + 1) + "x")).toBe(true);
    expect(nestsTooDeep("- ".repeat(20) + "x\n" + " ".repeat(40) + "- ".repeat(13) + "x")).toBe(true);
  });

  it("counts link and image labels nested in one another (images may hold images)", async () => {
    // 0.3 s of parsing at 4,000 characters, 1.5 s at 8,000.
    const images = "![".repeat(1000) + "](a)".repeat(500);
    expect(nestsTooDeep(images)).toBe(true);
    expect(render(<MessageMarkdown text={images} />).container.querySelector("img, a")).toBeNull();
    expect(await toPlainText(images)).toBe(images);
    expect(nestsTooDeep("[".repeat(MAX_MARKDOWN_NESTING) + "]".repeat(MAX_MARKDOWN_NESTING))).toBe(false);
    expect(nestsTooDeep("[".repeat(MAX_MARKDOWN_NESTING + 1))).toBe(true);
    // Closed labels, escaped brackets: no depth.
    expect(nestsTooDeep("[a](b) ".repeat(300) + "\\[".repeat(100))).toBe(false);
  });

  it.each(["> quoted\n> > reply", "- a\n  - b\n    - c\n\t\t- d", "* * *", "1. one\n2. two", "**bold** - not a list", "```\n    indented code\n```", "[[a]] [b] ![c](d)"])(
    "leaves ordinary text to the parser: %j",
    (text) => expect(nestsTooDeep(text)).toBe(false),
  );
});

describe("text with more emphasis delimiter runs than can be paired in time (quadratic in micromark)", () => {
  // Each a message the server and every reader once spent 0.2–0.5 s parsing (the emphasis pass alone).
  const floods = ["*_".repeat(2000), "_*".repeat(2000), "*a_".repeat(1333), "a*".repeat(2000), "**a".repeat(1333), "~a".repeat(2000), "~~a".repeat(1333)];

  it.each(floods.map((t) => [t.slice(0, 6), t]))("counts %j… as too many runs", (_, text) => {
    expect(hasTooManyEmphasisRuns(text)).toBe(true);
  });

  it("counts runs, not characters: 256 runs of any length are still parsed, one more is not", () => {
    expect(hasTooManyEmphasisRuns("**a** ".repeat(MAX_EMPHASIS_RUNS / 2))).toBe(false);
    expect(hasTooManyEmphasisRuns("**a** ".repeat(MAX_EMPHASIS_RUNS / 2) + "_")).toBe(true);
    expect(hasTooManyEmphasisRuns("*".repeat(4000))).toBe(false); // one run
  });

  it("shows such a message without emphasis but with its code, links and lists", async () => {
    const text = "**not bold** see [docs](https://example.com/docs)\n\n- item\n\n```\n" + "snake_case_name = 1\n".repeat(100) + "```\n" + "a_b ".repeat(60);
    expect(hasTooManyEmphasisRuns(text)).toBe(true);
    const root = render(<MessageMarkdown text={text} />).container;
    expect(root.querySelector("strong")).toBeNull();
    expect(root).toHaveTextContent("**not bold** see docs");
    expect(root.querySelector("a")).toHaveAttribute("href", "https://example.com/docs");
    expect(root.querySelector("li")).toHaveTextContent("item");
    expect(root.querySelector("pre code")?.textContent).toBe("snake_case_name = 1\n".repeat(100));
    // Search snippets and notifications read the same words.
    expect((await toPlainText(text)).startsWith("**not bold** see docs\nitem\nsnake_case_name = 1")).toBe(true);
  });

  it("shows a message of many ~ runs without strikethrough (GFM pairs them the same way)", async () => {
    const text = "~~not struck~~ " + "~a ".repeat(300);
    expect(hasTooManyEmphasisRuns(text)).toBe(true);
    expect(render(<MessageMarkdown text={text} />).container.querySelector("del")).toBeNull();
    expect((await toPlainText(text)).startsWith("~~not struck~~ ~a")).toBe(true);
    expect(render(<MessageMarkdown text={"~~struck~~ " + "~a ".repeat(100)} />).container.querySelector("del")).toHaveTextContent("struck");
  });

  it("keeps emphasis where the runs are few", async () => {
    const text = "**bold** " + "a_b ".repeat(100);
    expect(render(<MessageMarkdown text={text} />).container.querySelector("strong")).toHaveTextContent("bold");
    expect((await toPlainText(text)).startsWith("bold a_b")).toBe(true);
  });
});

describe("text with many `www.` after underscores (each retried to the same end: quadratic in micromark)", () => {
  // Each a message the server and every reader once spent 0.6-0.8 s parsing (4,000 characters).
  const floods = ["www._".repeat(800), "www.a_".repeat(666), "_WWW.".repeat(800), "x" + "_www.a".repeat(666)];

  it.each(floods.map((t) => [t.slice(0, 7), t]))("counts %j… as too many", (_, text) => {
    expect(hasTooManyWwwAfterUnderscore(text)).toBe(true);
  });

  it("counts `_www.`, not `www.`: ordinary links, and a few after underscores, are still parsed", () => {
    expect(hasTooManyWwwAfterUnderscore("see www.example.com ".repeat(200))).toBe(false);
    expect(hasTooManyWwwAfterUnderscore("_www.".repeat(MAX_WWW_AFTER_UNDERSCORE))).toBe(false);
    expect(hasTooManyWwwAfterUnderscore("_www.".repeat(MAX_WWW_AFTER_UNDERSCORE + 1))).toBe(true);
  });

  it("shows such a message as before: its links (www. ones too, found by remark's text pass) and the rest of its syntax", async () => {
    const text = "**bold** www.example.com and https://example.com/docs\n\n- item\n\n" + "_www.".repeat(MAX_WWW_AFTER_UNDERSCORE + 1);
    expect(hasTooManyWwwAfterUnderscore(text)).toBe(true);
    const root = render(<MessageMarkdown text={text} />).container;
    const hrefs = Array.from(root.querySelectorAll("a")).map((a) => a.getAttribute("href"));
    expect(hrefs.slice(0, 2)).toEqual(["http://www.example.com", "https://example.com/docs"]);
    expect(root.querySelector("strong")).toHaveTextContent("bold");
    expect(root.querySelector("li")).toHaveTextContent("item");
    expect((await toPlainText(text)).startsWith("bold www.example.com and https://example.com/docs\nitem")).toBe(true);
  });

  it("keeps www. links where there are few", () => {
    const root = render(<MessageMarkdown text={"www.example.com " + "_www.".repeat(MAX_WWW_AFTER_UNDERSCORE)} />).container;
    expect(root.querySelector("a")).toHaveAttribute("href", "http://www.example.com");
  });
});

describe("tables that would make more cells than can be shown in time (a header's width times every line after it)", () => {
  /** `columns` header cells, a delimiter row, then one-letter lines up to `chars` characters, each line prefixed with `prefix`. */
  const flood = (columns: number, { chars = 4000, prefix = "", pipes = true } = {}) => {
    const row = (cell: string) => prefix + (pipes ? "|" + `${cell}|`.repeat(columns) : Array(columns).fill(cell).join("|"));
    let text = row("a") + "\n" + row("-") + "\n";
    while (text.length + prefix.length + 2 <= chars) text += prefix + "a\n";
    return text;
  };
  // The security trial's message (500 columns, 3,999 characters: 499,000 cells, 0.4 s of parsing on the
  // server and 15-50 s of a frozen tab for every reader), and variants: in a quote, in a list item, without
  // outer pipes, several tables each under the limit that add up past it.
  const floods: [string, string][] = [
    ["the trial's 500 columns", flood(500)],
    ["100 columns in a quote", flood(100, { prefix: "> " })],
    ["100 columns in a list item", "- x\n" + flood(100, { chars: 3996, prefix: "  " })],
    ["200 columns without outer pipes", flood(200, { pipes: false })],
    ["eight tables of 300 cells", Array.from({ length: 8 }, () => flood(30, { chars: 400 })).join("\n")],
    // A trial on this limit: lines of a no-break space are rows (only spaces and tabs make a blank line),
    // and so are lines of U+3000 or U+FEFF; the text ends in a letter (a trailing blank is trimmed).
    ["500 columns over lines of no-break spaces", "a|".repeat(500) + "\n" + "-|".repeat(500) + "\n" + "\u00a0\n".repeat(998) + "x0"],
    ["200 columns over lines of ideographic spaces", "|" + "a|".repeat(200) + "\n" + "|" + "-|".repeat(200) + "\n" + "\u3000\n".repeat(1000) + "x"],
    ["200 columns over lines of U+FEFF in a quote", "> |" + "a|".repeat(200) + "\n> |" + "-|".repeat(200) + "\n" + "> \ufeff\n".repeat(700) + "x"],
    // A second trial: a header row of pipes and one hyphen looks like a delimiter row itself (623,500 cells).
    ["a header of 500 pipes and a hyphen", "Hi\n\n" + "|".repeat(500) + "-\n" + "-|".repeat(499) + "-\n" + "x\n".repeat(1245) + "x"],
    ["the same header under a paragraph line", "Hi\n" + "|".repeat(500) + "-\n" + "-|".repeat(499) + "-\n" + "x\n".repeat(1246) + "x"],
  ];

  it.each(floods)("counts %s as too many cells", (_, text) => {
    expect(text.length).toBeLessThanOrEqual(4000);
    expect(hasTooManyTableCells(text)).toBe(true);
  });

  it("keeps honest tables: a 4,000-character table of one-letter cells, and a message of a few small ones", () => {
    let honest = Array(40).fill("a").join("|") + "\n" + Array(40).fill("-").join("|") + "\n";
    while (honest.length + 80 <= 4000) honest += Array(40).fill("b").join("|") + "\n";
    expect(hasTooManyTableCells(honest)).toBe(false);
    expect(render(<MessageMarkdown text={honest} />).container.querySelectorAll("td").length).toBeGreaterThan(1500);
    const small = "| who | when |\n|---|---|\n| alice | 10:00 |\n| bob | 11:00 |\n\nand\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |";
    expect(hasTooManyTableCells(small)).toBe(false);
    expect(render(<MessageMarkdown text={small} />).container.querySelectorAll("td")).toHaveLength(6);
    // Blocks are counted apart: many small tables, each with its paragraph, in one long message.
    const week = (i: number) => `Week ${i}\n\n| day | who |\n|---|---|\n| mon | ann |\n| tue | bob |`;
    expect(hasTooManyTableCells(Array.from({ length: 60 }, (_, i) => week(i)).join("\n\n"))).toBe(false);
    expect(render(<MessageMarkdown text={[1, 2, 3, 4, 5].map(week).join("\n\n")} />).container.querySelectorAll("table")).toHaveLength(5);
  });

  it.each(floods)("shows %s without a table: its lines as text, everything else parsed", async (_, text) => {
    const withBold = "**bold** and [docs](https://example.com/docs)\n\n" + text;
    const root = render(<MessageMarkdown text={withBold} />).container;
    expect(root.querySelector("table")).toBeNull();
    expect(root.querySelectorAll("td, th")).toHaveLength(0);
    expect(root.querySelector("strong")).toHaveTextContent("bold");
    expect(root.querySelector("a")).toHaveAttribute("href", "https://example.com/docs");
    expect(root.textContent).toContain("-|-");
    // Search snippets and notifications read the same words: the pipes, not half a million empty cells.
    const plain = await toPlainText(withBold);
    expect(plain.startsWith("bold and docs\n")).toBe(true);
    expect(plain).toContain("-|-");
  });
});
