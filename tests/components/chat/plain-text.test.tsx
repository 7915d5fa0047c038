/** @jest-environment jsdom */
import { render } from "@testing-library/react";
import fc from "fast-check";
import MessageMarkdown from "@/components/chat/markdown/message-markdown";
import { isPlainText, toPlainText } from "@/lib/text/plain-text";
import { MAX_MARKDOWN_NESTING, nestsTooDeep } from "@/lib/text/markdown-depth";
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

  it.each(["> quoted\n> > reply", "- a\n  - b\n    - c\n\t\t- d", "* * *", "1. one\n2. two", "**bold** - not a list", "```\n    indented code\n```"])(
    "leaves ordinary text to the parser: %j",
    (text) => expect(nestsTooDeep(text)).toBe(false),
  );
});
