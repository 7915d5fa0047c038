/**
 * @jest-environment jsdom
 *
 * The Markdown sampler: what message text renders as, and that nothing in it can run script, load a
 * third-party resource or navigate to a dangerous URL.
 */
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import MessageMarkdown from "@/components/chat/markdown/message-markdown";
import { MessageList } from "@/components/chat/message-list";
import { resetMentionDirectory } from "@/components/chat/markdown/mention-directory";
import { message } from "./fixtures";
import { LangProvider, loadLang } from "@/components/i18n/use-t";

jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

const md = (text: string, me?: string) => render(<MessageMarkdown text={text} me={me} />).container;

let alertSpy: jest.SpyInstance;
beforeEach(() => {
  alertSpy = jest.spyOn(window, "alert").mockImplementation(() => {});
});
afterEach(() => {
  expect(alertSpy).not.toHaveBeenCalled();
  expect((window as { __pwned?: boolean }).__pwned).toBeUndefined();
  alertSpy.mockRestore();
});

/** Nothing executable, nothing loaded, every link safe and, when external, in a new tab without referrer. */
function inert(root: HTMLElement) {
  for (const tag of ["img", "script", "iframe", "object", "embed", "svg", "style", "form", "input"]) {
    expect(root.querySelector(tag)).toBeNull();
  }
  for (const el of Array.from(root.querySelectorAll("*"))) {
    for (const attr of Array.from(el.attributes)) {
      expect(attr.name.startsWith("on")).toBe(false);
      expect(attr.value).not.toMatch(/^\s*(javascript|data|vbscript):/i);
    }
  }
  for (const a of Array.from(root.querySelectorAll("a"))) {
    const href = a.getAttribute("href") ?? "";
    expect(href).toMatch(/^(https?:|mailto:|\/rooms\/)/);
    if (!href.startsWith("/")) {
      expect(a).toHaveAttribute("target", "_blank");
      expect(a).toHaveAttribute("rel", "noopener noreferrer nofollow");
    }
  }
}

describe("Markdown in messages", () => {
  it("renders emphasis, strikethrough, code, lists, quotes and links", () => {
    const root = md(
      "**bold** *it* ~~gone~~ `x < y`\n\n```ts\nconst a = 1;\n```\n\n- one\n- two\n\n> quoted\n\n[docs](https://example.com/docs) and https://example.org/x.",
    );
    expect(root.querySelector("strong")).toHaveTextContent("bold");
    expect(root.querySelector("em")).toHaveTextContent("it");
    expect(root.querySelector("del")).toHaveTextContent("gone");
    expect(root.querySelector("p code")).toHaveTextContent("x < y");
    expect(root.querySelector("pre code")).toHaveTextContent("const a = 1;");
    expect(within(root.querySelector("ul")!).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["one", "two"]);
    expect(root.querySelector("blockquote")).toHaveTextContent("quoted");
    expect(screen.getByRole("link", { name: "docs" })).toHaveAttribute("href", "https://example.com/docs");
    // GFM autolink literal, without the trailing full stop.
    expect(screen.getByRole("link", { name: "https://example.org/x" })).toHaveAttribute("href", "https://example.org/x");
    inert(root);
  });

  it("quotes only the lines marked with `>`, as chats do: a reply on the next line stays outside the quote", () => {
    const root = md("> a quote line\nLink: https://example.com/page\n\n> one\n> two\nmy answer\n\n```\n> code\nnot quoted\n```");
    const quotes = Array.from(root.querySelectorAll("blockquote")).map((q) => q.textContent);
    expect(quotes).toEqual(["a quote line", "one\ntwo"]);
    expect(Array.from(root.querySelectorAll(".markdown > p")).map((p) => p.textContent)).toEqual(["Link: https://example.com/page", "my answer"]);
    expect(root.querySelector("pre code")).toHaveTextContent("> code not quoted");
  });

  it("keeps the line breaks people typed, in paragraphs and list items, and none of the markup's between elements", () => {
    const root = md("- one\n- two\n  - nested\n\n> quoted\n> twice\n\n- *a*\n  *b*\n\n1. x\n\n   y\n2. z\n\npara\nnext line");
    // A soft line break is a "\n" in the text (shown as a break by white-space: pre-wrap in rich-text.css).
    expect(Array.from(root.querySelectorAll("p")).map((p) => p.textContent)).toEqual(["quoted\ntwice", "x", "y", "z", "para\nnext line"]);
    const [nestedList, typed] = Array.from(root.querySelectorAll(".markdown > ul"));
    expect(typed.querySelector("li")!.textContent).toBe("a\nb");
    // The generated HTML's line breaks around lists, items, quotes and loose items' paragraphs are gone.
    for (const el of Array.from(root.querySelectorAll("ul, ol, blockquote"))) {
      expect([el.tagName, Array.from(el.childNodes).map((n) => n.nodeName)]).toEqual([el.tagName, Array.from(el.children).map((c) => c.nodeName)]);
    }
    const two = nestedList.querySelectorAll(":scope > li")[1];
    expect(Array.from(two.childNodes).map((n) => n.nodeName)).toEqual(["#text", "UL"]);
    expect(Array.from(root.querySelector("ol > li")!.childNodes).map((n) => n.nodeName)).toEqual(["P", "P"]);
    expect(two.firstChild!.textContent).toBe("two");
  });

  it.each([
    ["two spaces", "first  \nsecond"],
    ["a backslash", "first\\\nsecond"],
    ["two spaces, CRLF", "first  \r\nsecond"],
    ["two spaces in a list item", "- first  \n  second"],
    ["a backslash in a quote", "> first\\\n> second"],
  ])("shows a hard line break (%s) as one break, not a blank line", (_, text) => {
    const root = md(text);
    const br = root.querySelector("br");
    expect(br).not.toBeNull();
    // Under white-space: pre-wrap a "\n" after the <br> would be a second break.
    expect(br!.parentElement!.textContent).toBe("firstsecond");
    expect(br!.nextSibling?.textContent).toBe("second");
  });

  it("shows a Markdown heading as a bold paragraph, out of the page's outline of headings", () => {
    const root = md("# Plan\n\n## Steps\n\n###### Small print\n\nbody");
    expect(screen.queryAllByRole("heading")).toEqual([]);
    expect(Array.from(root.querySelectorAll(".markdown > *")).map((el) => [el.tagName, el.className, el.textContent])).toEqual([
      ["P", "message-heading", "Plan"],
      ["P", "message-heading", "Steps"],
      ["P", "message-heading", "Small print"],
      ["P", "", "body"],
    ]);
  });

  it.each([
    ["a javascript: link", "[x](javascript:alert(1))"],
    ["a javascript: link in mixed case with an entity", "[x](JaVa&#x09;ScRiPt:alert(1))"],
    ["a javascript: autolink", "<javascript:alert(1)>"],
    ["a javascript: reference link", "[x][evil]\n\n[evil]: javascript:alert(1)"],
    ["a vbscript: link", "[x](vbscript:msgbox(1))"],
    ["a data: link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
    ["a data: image", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"],
    ["a javascript: image", "![x](javascript:alert(1))"],
    ["a third-party image", "![tracker](https://evil.example/pixel.png)"],
    ["a reference image", "![x][img]\n\n[img]: https://evil.example/pixel.png"],
    ["an img tag with onerror", "<img src=x onerror=alert(1)>"],
    ["a script block", "<script>window.__pwned = true</script>"],
    ["an anchor tag", '<a href="javascript:alert(1)">x</a>'],
    ["an iframe", '<iframe src="https://evil.example"></iframe>'],
    ["an svg", "<svg onload=alert(1)></svg>"],
    ["a plain javascript: word", "javascript:alert(1)"],
    ["a www autolink", "www.example.com/page"],
  ])("keeps %s inert", (_label, text) => {
    inert(md(text));
  });

  it("names a task list's boxes (a form control needs a name), read-only, checked as written", () => {
    const root = md("- [ ] write the notes\n- [x] book the room\n* [X] upper case done");
    const boxes = within(root).getAllByRole("checkbox", { name: "Task" });
    expect(boxes.map((b) => (b as HTMLInputElement).checked)).toEqual([false, true, true]);
    for (const box of boxes) expect(box).toBeDisabled();
    expect(root).toHaveTextContent("write the notes");
  });

  it("shows raw HTML as the text it is", () => {
    const root = md("<img src=x onerror=alert(1)> and <b>not bold</b>");
    expect(root).toHaveTextContent("<img src=x onerror=alert(1)> and <b>not bold</b>");
    expect(root.querySelector("b")).toBeNull();
  });

  // From an outside trial: a right-to-left override in a link showed ".../\u202Ecod.exe" as ".../exe.doc".
  it.each([
    ["an autolink with an override", "download: https://evil.example/\u202Ecod.exe\u202C now", "https://evil.example/cod.exe"],
    ["a www autolink with an embedding", "www.evil.example/\u202Bgpj.exe\u202C", "www.evil.example/gpj.exe"],
    ["an autolink with an isolate", "https://evil.example/\u2067cod.exe\u2069", "https://evil.example/cod.exe"],
    ["a link's label", "[invoice\u202Efdp.exe](https://evil.example/x)", "invoicefdp.exe"],
    ["a link's emphasised label", "[**pay\u202Dnow\u202C** here](https://evil.example/x)", "paynow here"],
  ])("shows %s without the bidi controls that reorder it", (_, text, shown) => {
    const root = md(text);
    const link = root.querySelector("a")!.cloneNode(true) as HTMLElement;
    // The label as written ("goes to <host>" beside a label naming another host is tested below).
    link.querySelector(".link-host")?.remove();
    expect(link.textContent!.replace(/ $/, "")).toBe(shown);
    expect(link.textContent).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/u);
  });

  it("keeps the bidi marks in a link's text, and the controls in text outside links", () => {
    const root = md("[\u05e9\u05dc\u05d5\u05dd\u200F!](https://example.com/x) and \u202Eplain");
    expect(root.querySelector("a")!.textContent).toBe("\u05e9\u05dc\u05d5\u05dd\u200F!");
    expect(root.textContent).toContain("\u202Eplain");
  });

  it("turns Markdown images into links that are never loaded", () => {
    const root = md("![the chart](https://evil.example/chart.png)");
    expect(root.querySelector("img")).toBeNull();
    const link = screen.getByRole("link", { name: "the chart" });
    expect(link).toHaveAttribute("href", "https://evil.example/chart.png");
    expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
  });

  it.each([
    ["an image as a link's text", "[![logo](https://evil.example/logo.png)](https://example.com/home)", "https://example.com/home", "logo"],
    ["an image with no alt text in a link", "see [![](https://evil.example/a.png)](https://example.com/a)", "https://example.com/a", "https://evil.example/a.png"],
    ["an image among words in a link", "[the ![chart](https://evil.example/c.png) here](https://example.com/c)", "https://example.com/c", "the chart here"],
    ["an image in a reference link", "[![badge][b]][t]\n\n[b]: https://evil.example/b.svg\n[t]: https://example.com/t", "https://example.com/t", "badge"],
    ["an image in a link to a room", "[![go](https://evil.example/go.png)](/rooms/general)", "/rooms/general", "go"],
    ["an autolink in a link", "[see <https://auto.example/x> here](https://t.example/y)", "https://t.example/y", "see https://auto.example/x here"],
    ["a mail autolink in a link", "[x <mailto:a@b.example> y](https://t.example/m)", "https://t.example/m", "x mailto:a@b.example y"],
    ["an image and an autolink in a link", "[![a](https://evil.example/i.png) <https://auto.example/z>](https://t.example/z)", "https://t.example/z", "a https://auto.example/z"],
  ])("makes %s part of that one link, never a link in a link", (_label, text, href, name) => {
    const root = md(text);
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("a a")).toBeNull();
    const links = screen.getAllByRole("link");
    expect(links.map((a) => [a.getAttribute("href"), a.textContent])).toEqual([[href, name]]);
  });

  it("makes a footnote's mark in a link's text part of that link", () => {
    const root = md("[see[^1] here](https://t.example/f)\n\n[^1]: the note");
    expect(root.querySelector("a a")).toBeNull();
    expect(screen.getByRole("link", { name: "see 1 here" })).toHaveAttribute("href", "https://t.example/f");
  });

  it.each([
    ["a URL", "[https://bank.example/login](https://evil.example/login)", "https://evil.example/login", "https://bank.example/login (goes to evil.example)"],
    ["a host name", "[bank.example](https://bank.example.evil.example/)", "https://bank.example.evil.example/", "bank.example (goes to bank.example.evil.example)"],
    ["a look-alike host", "[paypal.com](https://p\u0430ypal.com/)", "https://p%D0%B0ypal.com/", "paypal.com (goes to xn--pypal-4ve.com)"],
    ["full-width letters", "[ｂａｎｋ。ｅｘａｍｐｌｅ](https://evil.example/)", "https://evil.example/", "ｂａｎｋ。ｅｘａｍｐｌｅ (goes to evil.example)"],
    ["emphasis", "[**bank.example**](https://evil.example/)", "https://evil.example/", "bank.example (goes to evil.example)"],
    ["a protocol-relative link", "[https://bank.example/login](//evil.example/login)", "//evil.example/login", "https://bank.example/login (goes to evil.example)"],
    ["an autolink with a user name", "see https://bank.example@evil.example/login", "https://bank.example@evil.example/login", "https://bank.example@evil.example/login (goes to evil.example)"],
    ["an image's description", "![https://bank.example/login](https://evil.example/login)", "https://evil.example/login", "https://bank.example/login (goes to evil.example)"],
  ])("shows the host a link really goes to beside text naming another: %s", (_label, text, href, name) => {
    md(text);
    const link = screen.getByRole("link");
    expect(link).toHaveAttribute("href", href);
    expect(link.textContent!.replace(/[\u2066-\u2069]/g, "")).toBe(name);
    expect(link.querySelector(".link-host")).not.toBeNull();
  });

  it.each([
    ["the same host", "[bank.example/help](https://www.bank.example/help)"],
    ["a page under the host named", "[bank.example](https://docs.bank.example/)"],
    ["words", "[the release notes](https://evil.example/notes)"],
    ["an autolink", "see https://evil.example/x"],
    ["an address in angle brackets", "<https://evil.example/x>"],
  ])("adds nothing to a link whose text names no other host: %s", (_label, text) => {
    const root = md(text);
    expect(screen.getByRole("link")).toBeVisible();
    expect(root.querySelector(".link-host")).toBeNull();
    expect(root.textContent).not.toContain("goes to");
  });

  // From an outside trial: every message's footnotes had the same ids, and their links opened a new tab.
  it("gives each message's footnotes ids of their own, linked in the same tab", () => {
    const { container } = render(
      <>
        <MessageMarkdown text={"first[^1]\n\n[^1]: note one"} />
        <MessageMarkdown text={"second[^1]\n\n[^1]: note two"} />
      </>,
    );
    const calls = Array.from(container.querySelectorAll<HTMLAnchorElement>("a[data-footnote-ref]"));
    expect(calls).toHaveLength(2);
    const targets = calls.map((a) => a.getAttribute("href")!);
    expect(new Set(targets).size).toBe(2);
    const notes = targets.map((href) => container.querySelector(`[id="${href.slice(1)}"]`));
    expect(notes.map((n) => n?.textContent)).toEqual([expect.stringContaining("note one"), expect.stringContaining("note two")]);
    const ids = Array.from(container.querySelectorAll("[id]")).map((el) => el.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of Array.from(container.querySelectorAll("a"))) {
      expect(a.getAttribute("href")).toMatch(/^#/);
      expect(a).not.toHaveAttribute("target");
    }
  });

  // Footnotes' heading and back links were English whatever the UI's language (remark-rehype's defaults).
  it.each([
    ["en", "Footnotes", ["Back to reference 1", "Back to reference 1-2", "Back to reference 2"]],
    ["ja", "脚注", ["参照 1 に戻る", "参照 1-2 に戻る", "参照 2 に戻る"]],
  ] as const)("names a message's footnotes and their back links in the UI's language (%s)", async (lang, heading, back) => {
    await loadLang(lang);
    const { container } = render(
      <LangProvider lang={lang}>
        <MessageMarkdown text={"one[^a] two[^a] three[^b]\n\n[^a]: note a\n[^b]: note b"} />
      </LangProvider>,
    );
    const section = container.querySelector("section[data-footnotes]")!;
    // The section's label (a paragraph here: a message has no headings), which every call refers to.
    const label = section.querySelector('[id$="footnote-label"]')!;
    expect(label).toHaveTextContent(heading);
    expect(container.querySelector("a[data-footnote-ref]")!.getAttribute("aria-describedby")).toBe(label.id);
    expect(Array.from(section.querySelectorAll("a[data-footnote-backref]")).map((a) => a.getAttribute("aria-label"))).toEqual(back);
    expect(container.textContent).not.toContain(lang === "ja" ? "Back to" : "参照");
  });

  // From an outside trial: Enter on a footnote's mark scrolled to the note but left the focus on the page
  // itself (a list item cannot take it), and put this render's id into the address.
  it("takes the focus to the footnote a mark names, and back to the mark from the note's back link", async () => {
    const { container } = render(<MessageMarkdown text={"see this[^1] and more\n\n[^1]: the note"} />);
    const call = container.querySelector<HTMLAnchorElement>("a[data-footnote-ref]")!;
    const before = window.location.href;
    await userEvent.click(call);
    const note = container.querySelector(`[id="${call.getAttribute("href")!.slice(1)}"]`)!;
    expect(note).toHaveTextContent("the note");
    expect(note).toHaveFocus();
    await userEvent.click(within(note as HTMLElement).getByRole("link"));
    expect(call).toHaveFocus();
    expect(window.location.href).toBe(before);
  });

  it("keeps the text of a link whose URL was refused, without a link", () => {
    const root = md("[click me](javascript:alert(1))");
    expect(screen.queryByRole("link")).toBeNull();
    expect(root).toHaveTextContent("click me");
  });

  it("understands Japanese emphasis next to punctuation and kana", () => {
    const root = md("**太字**です。**「強調」**です。~~「取り消し」~~です。*斜体*の例");
    expect(Array.from(root.querySelectorAll("strong")).map((s) => s.textContent)).toEqual(["太字", "「強調」"]);
    expect(root.querySelector("del")).toHaveTextContent("「取り消し」");
    expect(root.querySelector("em")).toHaveTextContent("斜体");
  });

  // Which names are people is the server's answer (mention-highlights.test.tsx); here, the grammar.
  it("highlights @mentions with the server's grammar and marks the reader's own", () => {
    resetMentionDirectory().confirm(["alice", "bob", "carol", "dave", "example"]);
    const root = md("hi @alice, @bob. and @me — not mail@example.com nor `@carol` nor [@dave](https://example.com)", "me");
    const mentions = Array.from(root.querySelectorAll(".mention")).map((m) => [m.textContent, m.classList.contains("mention-me")]);
    expect(mentions).toEqual([
      ["@alice", false],
      ["@bob", false],
      ["@me", true],
    ]);
    expect(root).toHaveTextContent("hi @alice, @bob. and @me");
  });

  it("highlights mentions written with the full-width or small @ as they are written", () => {
    resetMentionDirectory().confirm(["\u3086\u304d\u3055\u3093", "b"]);
    const root = md("\uFF20me \u3068 \uFE6B\u3086\u304d\u3055\u3093, not a\uFF20b.c", "me");
    const mentions = Array.from(root.querySelectorAll(".mention")).map((m) => [m.textContent, m.classList.contains("mention-me")]);
    expect(mentions).toEqual([
      ["\uFF20me", true],
      ["\uFE6B\u3086\u304d\u3055\u3093", false],
    ]);
  });

  it("links #room references to the room, in the same tab", () => {
    const root = md("see #general and #日本語の部屋. not issue#12, not `#code`");
    const general = screen.getByRole("link", { name: "#general" });
    expect(general).toHaveAttribute("href", "/rooms/general");
    expect(general).not.toHaveAttribute("target");
    expect(screen.getByRole("link", { name: "#日本語の部屋" })).toHaveAttribute("href", `/rooms/${encodeURIComponent("日本語の部屋")}`);
    expect(screen.getAllByRole("link")).toHaveLength(2);
    inert(root);
  });

  it("leaves # and a number as text (an issue, a pull request, a version), not a link to a room", () => {
    md("see issue #258, PR #12 and #1.2, in #2024-plans");
    expect(screen.getAllByRole("link").map((a) => [a.textContent, a.getAttribute("href")])).toEqual([["#2024-plans", "/rooms/2024-plans"]]);
    expect(document.body).toHaveTextContent("see issue #258, PR #12 and #1.2, in #2024-plans");
  });
});

describe("messages in the list", () => {
  it("render as Markdown once the renderer has loaded, with the link preview card under them", async () => {
    const preview = { url: "https://example.com/a", title: "A title", description: "About it", siteName: "Example", imageUrl: "/api/previews/0000000000000001/image" };
    render(
      <MessageList
        room="general" hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="bob"
        messages={[message(1, { text: "**hello** @bob", preview }), message(2, { text: "![x](https://evil.example/x.png)", preview: { url: "https://x.example", title: "X", imageUrl: "https://evil.example/track.png" } })]}
      />,
    );
    expect(await screen.findByText("hello", { selector: "strong" })).toBeVisible();
    expect(screen.getByText("@bob")).toHaveClass("mention-me");
    const card = await screen.findByRole("link", { name: /A title/ });
    expect(card).toHaveAttribute("href", "https://example.com/a");
    expect(card).toHaveAttribute("rel", "noopener noreferrer nofollow");
    expect(within(card).getByText("About it")).toBeVisible();
    expect(within(card).getByText("Example")).toBeVisible();
    const images = Array.from(document.querySelectorAll("img"));
    // Only the proxied, same-origin preview image is ever loaded; a foreign one is dropped.
    expect(images.map((i) => i.getAttribute("src"))).toEqual(["/api/previews/0000000000000001/image"]);
    expect(images[0]).toHaveAttribute("loading", "lazy");
  });

  it("names the host a link preview card opens beside the site name the page gives itself", async () => {
    const claims = { url: "https://evil.example/login", title: "Sign in", siteName: "Google" };
    const own = { url: "https://www.github.com/x", title: "Repo", siteName: "GitHub.com" };
    const none = { url: "https://plain.example/", title: "Plain" };
    render(
      <MessageList
        room="general" hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="bob"
        messages={[message(1, { text: "a", preview: claims }), message(2, { text: "b", preview: own }), message(3, { text: "c", preview: none })]}
      />,
    );
    const site = async (title: string) => {
      const card = await screen.findByRole("link", { name: new RegExp(title) });
      return card.querySelector(".link-preview-site")!.textContent;
    };
    expect(await site("Sign in")).toBe("Google · evil.example");
    expect(await site("Repo")).toBe("GitHub.com");
    expect(await site("Plain")).toBe("plain.example");
  });

  it("add no heading to the page for a heading written in a message", async () => {
    render(
      <MessageList
        room="general" hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="bob"
        messages={[message(1, { text: "# Release notes\n\n- faster" })]}
      />,
    );
    const log = screen.getByRole("log", { name: "Messages in general" });
    expect(await within(log).findByText("Release notes")).toHaveClass("message-heading");
    expect(within(log).queryAllByRole("heading")).toEqual([]);
  });
});
