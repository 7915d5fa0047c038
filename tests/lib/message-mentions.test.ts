/**
 * Which `@name`s in a message notify: those its readers see highlighted, so none in code, raw HTML,
 * links or images (mentionsInMessage), and every one in ordinary text, however it is formatted.
 */
import { mentionsInMessage } from "../../lib/notifications/message-mentions";

describe("mentionsInMessage", () => {
  it.each([
    ["please run `@田中 --help` in the shell", []],
    ["```\nping @ボブ from script\n```", []],
    ["~~~sh\n$ notify @bob\n~~~", []],
    ["log:\n\n    12:00 @bob connected\n    12:01 @here ping", []],
    ["``@bob`` and `` ` @carol ` ``", []],
    ["[@bob](https://example.com/u/bob)", []],
    ["![@bob](https://example.com/bob.png)", []],
    ["<span title='@bob'>", []],
    ["see https://example.com/@bob", []],
    ["mail bob@example.com", []],
  ])("finds no mention a reader would not see in %j", async (text, names) => {
    expect(await mentionsInMessage(text)).toEqual(names);
  });

  it.each([
    ["@bob hi", ["bob"]],
    ["hi @bob, and `@carol` in code", ["bob"]],
    ["**@bob** and _@carol_", ["bob", "carol"]],
    ["> @bob said so", ["bob"]],
    ["- first @bob\n- second\n  - nested @carol", ["bob", "carol"]],
    ["# @here heading", ["here"]],
    ["| who |\n| --- |\n| @bob |", ["bob"]],
    ["[docs](https://example.com) for @bob", ["bob"]],
    ["```\ncode\n```\n@ボブ after the block", ["ボブ"]],
    ["\uFF20ゆき さん、`@bob` ではなく", ["ゆき"]],
    ["@bob @bob @Bob", ["bob", "Bob"]],
    // Raw HTML is shown as written; the text between two tags is text, highlighted as any other.
    ["<b>@bob</b>", ["bob"]],
  ])("finds the mentions a reader sees in %j", async (text, names) => {
    expect(await mentionsInMessage(text)).toEqual(names);
  });

  it("needs no parse for text without a mention sign, and answers text too deep to parse as written", async () => {
    expect(await mentionsInMessage("no one `at all`")).toEqual([]);
    const deep = `${"> ".repeat(200)}@bob`;
    expect(await mentionsInMessage(deep)).toEqual(["bob"]);
  });
});
