import { firstLink } from "../../lib/previews/first-link";
import { chargeParseTime, parseAllowance, PARSE_MS_PER_WINDOW } from "../../lib/text/parse-allowance";

describe("the link a message's preview is for", () => {
  it.each([
    ["see https://example.com/a.", "https://example.com/a"],
    ["(https://example.com/wiki/Foo_(bar)) yes", "https://example.com/wiki/Foo_(bar)"],
    ["[docs](https://example.com/docs) and https://example.org/", "https://example.com/docs"],
    ["<https://example.com/x?y=1&z=2>", "https://example.com/x?y=1&z=2"],
    ["**https://example.com/bold**", "https://example.com/bold"],
    ["`https://example.com/code` then http://example.org/real", "http://example.org/real"],
    ["```\nhttps://example.com/fenced\n```\nhttps://example.org/after", "https://example.org/after"],
    ["    https://example.com/indented\n\nhttps://example.org/after", "https://example.org/after"],
    ["HTTPS://EXAMPLE.COM/Path", "https://example.com/Path"],
    ["日本語の文章 https://example.jp/ページ 。", "https://example.jp/%E3%83%9A%E3%83%BC%E3%82%B8"],
    ["https://example.com/a_(b)).), then", "https://example.com/a_(b)"],
    ["(see https://example.com/x?.)!", "https://example.com/x"],
    // Where a link goes, never what its label says (an outside trial: a card of the genuine site under
    // a label naming it, on a link to another).
    ["[https://bank.example/confirm ](https://evil.example/harvest)", "https://evil.example/harvest"],
    ["[https://bank.example/confirm](https://evil.example/harvest)", "https://evil.example/harvest"],
    ["Payroll: [http://bank.example/a?ref=mail](http://evil.example:4699/b) today", "http://evil.example:4699/b"],
    ["[bank.example][r]\n\n[r]: https://evil.example/ref", "https://evil.example/ref"],
    ["[**https://bank.example**](<https://evil.example/x y>)", "https://evil.example/x%20y"],
    ["![https://bank.example](https://img.example/a.png) [go](https://evil.example/go)", "https://evil.example/go"],
    ["[mail](mailto:a@bank.example) then [site](https://example.org/s)", "https://example.org/s"],
    ["www.example.com/docs", "http://www.example.com/docs"],
    // As the page's href has it: a backslash is %5C there, so what goes before an @ is a user name and
    // the host is after it (an outside trial: the card of the site before the @, the link to the one after).
    ["[Bank login](http://127.0.0.1:4810\\\\@127.0.0.2:4811/x)", "http://127.0.0.1:4810%5C@127.0.0.2:4811/x"],
    ["[Bank login](http://127.0.0.1:4810\\@127.0.0.2:4811/w)", "http://127.0.0.1:4810@127.0.0.2:4811/w"],
    ["<http://bank.example\\@evil.example/y>", "http://bank.example%5C@evil.example/y"],
    ["http://bank.example\\@evil.example/z", "http://bank.example%5C@evil.example/z"],
    // Protocol-relative: the host it names, over https.
    ["[Bank sign-in](//evil.example/pr) · more: https://bank.example/pr", "https://evil.example/pr"],
  ])("%j → %s", async (text, url) => {
    expect(await firstLink(text)).toBe(url);
  });

  it.each([
    // What the renderer drops is no link a reader sees: a cell past the header's columns, a note nothing calls.
    "| a |\n|---|\n| b | https://example.com/hidden-cell |",
    "text\n\n[^n]: https://example.com/uncalled-note",
    "[https://bank.example/only-a-label](javascript:alert(1))", "[a page here](/rooms/general) only", "<a href=\"https://example.com/raw\">raw</a>", "[dangling][nowhere]", "no links here", "ftp://example.com/file", "javascript:alert(1)", "`https://example.com/only-code`", "mailto:a@example.com", "https://"])(
    "%j has none",
    async (text) => {
      expect(await firstLink(text)).toBeUndefined();
    },
  );

  // Every message with a link goes through this on the event loop: 1,995 dots and 1,995 ")" took 14 s.
  it("drops thousands of trailing marks and parentheses", async () => {
    expect(await firstLink("https://example.com/" + ".".repeat(1980) + ")".repeat(1980))).toBe("https://example.com/");
    expect(await firstLink("https://example.com/" + ".,".repeat(1980) + "x")).toBe("https://example.com/" + ".,".repeat(1980) + "x");
  });

  it("makes no card once the parse allowance is spent, rather than guess from the raw text", async () => {
    const allowance = parseAllowance();
    await chargeParseTime(allowance, PARSE_MS_PER_WINDOW);
    expect(await firstLink("[https://bank.example](https://evil.example/)", allowance)).toBeUndefined();
    expect(await firstLink("[https://bank.example](https://evil.example/)", parseAllowance())).toBe("https://evil.example/");
  });
});
