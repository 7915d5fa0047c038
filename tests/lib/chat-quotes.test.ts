import { quoteOnlyMarkedLines } from "../../lib/text/chat-quotes";

describe("quoteOnlyMarkedLines: a `>` quotes its own line only", () => {
  it.each([
    // The reported input: the reply line was pulled into the quote (CommonMark lazy continuation).
    ["> a quote line\nLink: https://example.com/page", "> a quote line\n\nLink: https://example.com/page"],
    ["> one\n> two\nreply", "> one\n> two\n\nreply"],
    ["   > indented marker\nreply", "   > indented marker\n\nreply"],
    [">no space\nreply\nmore", ">no space\n\nreply\nmore"],
    ["> q\n\nalready apart", "> q\n\nalready apart"],
    ["> q\n- a list\n> again\ntext", "> q\n\n- a list\n> again\n\ntext"],
    ["> q\r\nreply", "> q\r\n\nreply"],
    ["> q\n>> nested\nreply", "> q\n>> nested\n\nreply"],
  ])("%j → %j", (text, expected) => {
    expect(quoteOnlyMarkedLines(text)).toBe(expected);
  });

  it.each([
    "no quote at all\nsecond line",
    "a > b\nc",
    "```\n> inside a fence\nnot a quote\n```",
    "~~~~\n> in tildes\n~~~\nstill code\n~~~~",
    "> q\n    four spaces: left to CommonMark",
    "x ```not a fence``` y\n> q",
  ])("leaves %j as it is", (text) => {
    expect(quoteOnlyMarkedLines(text)).toBe(text);
  });

  it("ends a quote after a fence closes, and never inside one", () => {
    expect(quoteOnlyMarkedLines("```\ncode\n```\n> q\nreply")).toBe("```\ncode\n```\n> q\n\nreply");
    // A backtick run with a backtick after it is inline code, not a fence: the quote after it still ends.
    expect(quoteOnlyMarkedLines("``` a ` b\n> q\nreply")).toBe("``` a ` b\n> q\n\nreply");
  });
});
