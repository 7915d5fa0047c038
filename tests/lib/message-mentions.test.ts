/**
 * Which `@name`s in a message notify: those its readers see highlighted, so none in code, raw HTML,
 * links or images (mentionsInMessage), and every one in ordinary text, however it is formatted.
 */
import { mentionsInMessage } from "../../lib/notifications/message-mentions";
import { chargeParseTime, parseAllowance, PARSE_MS_PER_WINDOW } from "../../lib/text/parse-allowance";
import { RateLimiterMemory } from "rate-limiter-flexible";

/** An allowance these tests cannot spend: the process's own would run out over hundreds of parses. */
const ROOMY = new RateLimiterMemory({ keyPrefix: "test-parse", points: 1_000_000_000, duration: 10 });

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
    // What the renderer drops is not read either: a footnote nothing refers to, cells past the header's.
    ["deploy done\n\n[^x]: @bob", []],
    ["see[^x]\n\n[^x]: a\n\n[^x]: @bob", []],
    ["[^x]\n\n[^x]: \n\n[^x]: @bob", []],
    ["| status |\n| --- |\n| ok | @bob |", []],
    ["𠮷@bob and 𝐀@carol", []],
  ])("finds no mention a reader would not see in %j", async (text, names) => {
    expect(await mentionsInMessage(text, ROOMY)).toEqual(names);
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
    ["_@bob_ and __@carol__", ["bob", "carol"]],
    ["ok @carol\n\n[^n]: @here", ["carol"]],
    ["done[^n]\n\n[^n]: ask @bob", ["bob"]],
    ["| who | what |\n| --- | --- |\n| @bob | `@carol` |", ["bob"]],
    // A name written decomposed is its NFC form; a character reference is the character it stands for.
    ["hi @jose\u0301 and &#x40;dave", ["josé", "dave"]],
  ])("finds the mentions a reader sees in %j", async (text, names) => {
    expect(await mentionsInMessage(text, ROOMY)).toEqual(names);
  });

  it("reads every @name of the text as written once the process's parse allowance is spent", async () => {
    const allowance = parseAllowance();
    expect(await mentionsInMessage("`@bob` and @carol", allowance)).toEqual(["carol"]);
    await chargeParseTime(allowance, PARSE_MS_PER_WINDOW);
    expect(await mentionsInMessage("`@bob` and @carol", allowance)).toEqual(["bob", "carol"]);
  });

  it("needs no parse for text without a mention sign, and answers text too deep to parse as written", async () => {
    expect(await mentionsInMessage("no one `at all`", ROOMY)).toEqual([]);
    const deep = `${"> ".repeat(200)}@bob`;
    expect(await mentionsInMessage(deep, ROOMY)).toEqual(["bob"]);
  });
});
