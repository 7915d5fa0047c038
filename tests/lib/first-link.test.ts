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
  ])("%j → %s", (text, url) => {
    expect(firstLink(text)).toBe(url);
  });

  it.each(["no links here", "ftp://example.com/file", "javascript:alert(1)", "`https://example.com/only-code`", "mailto:a@example.com", "https://"])(
    "%j has none",
    (text) => {
      expect(firstLink(text)).toBeUndefined();
    },
  );
});
