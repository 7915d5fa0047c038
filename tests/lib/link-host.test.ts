import { hostNamedBy, mismatchedLinkHost } from "@/lib/text/link-host";

describe("hostNamedBy", () => {
  it.each([
    ["https://bank.example/login", "bank.example"],
    ["bank.example", "bank.example"],
    ["www.bank.example/help?x=1", "www.bank.example"],
    ["BANK.Example:8443/a", "bank.example"],
    ["<https://bank.example>", "bank.example"],
    ["  bank.example  ", "bank.example"],
    // Full-width letters and the ideographic full stop: an address bar reads them as bank.example.
    ["ｂａｎｋ。ｅｘａｍｐｌｅ", "bank.example"],
    ["bank\u200B.example", "bank.example"],
    ["例え.テスト", "xn--r8jz45g.xn--zckzah"],
  ])("%j names %s", (text, host) => {
    expect(hostNamedBy(text)).toBe(host);
  });

  it.each(["the release notes", "v1.2", "3.14", "alice@bank.example", "see bank.example now", "", "localhost", "https://", "a.b"])("%j names no host", (text) => {
    expect(hostNamedBy(text)).toBeNull();
  });
});

describe("mismatchedLinkHost", () => {
  it.each([
    ["https://bank.example/login", "https://evil.example/login", "evil.example"],
    ["bank.example", "https://bank.example.evil.example/", "bank.example.evil.example"],
    ["bank.example", "https://bank.example@evil.example/", "evil.example"],
    // A Cyrillic "а": shown in its xn-- form, never as the host it imitates.
    ["paypal.com", "https://p\u0430ypal.com/", "xn--pypal-4ve.com"],
    ["ｂａｎｋ。ｅｘａｍｐｌｅ", "http://evil.example:8080/", "evil.example"],
    ["docs.bank.example", "https://bank.example/", "bank.example"],
    // From an outside trial: a protocol-relative href, invisible characters the first list missed, dots
    // that only look like one.
    ["https://bank.example/login", "//evil.example/login", "evil.example"],
    ["\u034Fhttps://bank.example/login", "https://evil.example/", "evil.example"],
    ["bank.example\u2800", "https://evil.example/", "evil.example"],
    ["bank.example\u3164", "https://evil.example/", "evil.example"],
    ["\u{E0020}bank.example\uFE0F", "https://evil.example/", "evil.example"],
    ["bank\uA4F8example", "https://evil.example/", "evil.example"],
    ["bank\u0701example", "https://evil.example/", "evil.example"],
    ["bank\u00B7example", "https://evil.example/", "evil.example"],
    ["bank\u2024example", "https://evil.example/", "evil.example"],
    // An autolink with a user name: its text is its href, which reads as the host before the @.
    ["https://bank.example@evil.example/login", "https://bank.example@evil.example/login", "evil.example"],
    ["https://bank.example:secret@evil.example/", "https://bank.example:secret@evil.example/", "evil.example"],
  ])("%j linking to %s shows %s", (text, href, host) => {
    expect(mismatchedLinkHost(text, href)).toBe(host);
  });

  it.each([
    ["https://bank.example/login", "https://bank.example/other"],
    ["bank.example", "https://www.bank.example/"],
    ["www.bank.example", "https://bank.example/"],
    ["bank.example", "https://docs.bank.example/help"],
    ["the docs", "https://evil.example/"],
    ["bank.example", "mailto:someone@evil.example"],
    ["bank.example", "/rooms/general"],
    ["bank.example", "rooms/general"],
    ["bank.example", "#fn-1"],
    ["例え.テスト", "https://例え.テスト/"],
  ])("%j linking to %s shows nothing", (text, href) => {
    expect(mismatchedLinkHost(text, href)).toBeNull();
  });
});
