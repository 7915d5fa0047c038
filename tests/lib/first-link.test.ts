import { firstLink } from "../../lib/previews/first-link";

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
  ])("%j → %s", (text, url) => {
    expect(firstLink(text)).toBe(url);
  });

  it.each(["no links here", "ftp://example.com/file", "javascript:alert(1)", "`https://example.com/only-code`", "mailto:a@example.com", "https://"])(
    "%j has none",
    (text) => {
      expect(firstLink(text)).toBeUndefined();
    },
  );

  // Every message with a link goes through this on the event loop: 1,995 dots and 1,995 ")" took 14 s.
  it("drops thousands of trailing marks and parentheses in one pass", () => {
    expect(firstLink("https://example.com/" + ".".repeat(1980) + ")".repeat(1980))).toBe("https://example.com/");
    expect(firstLink("https://example.com/" + ".,".repeat(1980) + "x")).toBe("https://example.com/" + ".,".repeat(1980) + "x");
  });
});
