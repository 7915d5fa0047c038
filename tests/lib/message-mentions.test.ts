/**
 * Which `@name`s in a message notify: those its readers see highlighted, so none in code, raw HTML,
 * links or images (mentionsInMessage), and every one in ordinary text, however it is formatted.
 */
import fc from "fast-check";
import { isMentionable, mentionToken } from "../../lib/notifications/mentions";
import { mentionsInMessage } from "../../lib/notifications/message-mentions";
import { cleanDisplayName } from "../../lib/text/rules";
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

  it("reads every @name of the text as written once the process's parse allowance is spent, when nothing in it can hide a mention", async () => {
    const allowance = parseAllowance();
    expect(await mentionsInMessage("`@bob` and @carol", allowance)).toEqual(["carol"]);
    await chargeParseTime(allowance, PARSE_MS_PER_WINDOW);
    expect(await mentionsInMessage("@bob and @carol, *please* look", allowance)).toEqual(["bob", "carol"]);
    expect(await mentionsInMessage("> @bob\n\n- @carol\n- **@dave**", allowance)).toEqual(["bob", "carol", "dave"]);
    // A suggested mention names the same person then too, its escapes read (a second outside trial: a
    // flood of Markdown spent the allowance, and `@"\*\*Aiko\*\*"` notified an account named so).
    for (const name of ["**Aiko**", "Aiko\\", "_bob_", "a&amp;b", "x<b>y"]) {
      expect(await mentionsInMessage(`hi ${mentionToken(name)} there`, allowance)).toEqual([name]);
    }
  });

  // From an outside trial: a member spent the allowance with syntax-dense messages, then `@bob` in a code
  // block or a link's address, and `@room` in a code block, notified people; no reader saw a mention.
  it.each([
    "deploy log:\n```\nERROR paged @bob from inside a code block\n```",
    "[docs](https://example.com/users/@bob)",
    "after burn:\n```\n@room in code\n```",
    "`@bob` and @carol",
    "~~~\n@bob\n~~~",
    "text\n\n    @bob indented code",
    "\t@here in a tab-indented block",
    "<span>@bob</span>",
    "<https://x.example/@bob>",
    "see https://x.example/@bob",
    "see www.example.com/@bob",
    "![@bob](cat.png)",
    "[@bob][ref]\n\n[ref]: https://example.com",
    "[@bob]",
  ])("counts no one in %j once the allowance is spent: something in it may hide a mention", async (text) => {
    const allowance = parseAllowance();
    await chargeParseTime(allowance, PARSE_MS_PER_WINDOW);
    expect(await mentionsInMessage(text, allowance)).toEqual([]);
  });

  it("needs no parse for text without a mention sign, and answers text too deep to parse as written", async () => {
    expect(await mentionsInMessage("no one `at all`", ROOMY)).toEqual([]);
    const deep = `${"> ".repeat(200)}@bob`;
    expect(await mentionsInMessage(deep, ROOMY)).toEqual(["bob"]);
  });

  /** Where a mention the suggestions wrote may stand in a message: it must notify that name there too. */
  const contexts = (token: string) => [`hi ${token} there`, token, `(${token})`, `*ping ${token}*`, `- ${token}\n- next`, `line\n${token}, thanks`, `| who |\n| --- |\n| ${token} |`];

  // From an outside trial: `Aiko\` was written `@"Aiko\"`, which Markdown reads as `@"Aiko"` (an escaped
  // quote), so Aiko was notified; `**Aiko**`, `` `Aiko` `` and a name with a tag were notified nobody.
  it.each(["Aiko\\", "**Aiko**", "`Aiko`", "x<img src=x onerror=alert(1)>", "_bob_", "__init__", "a&amp;b", "R&D", "~~old~~", "a*b*c", "[bot] deploy", "!important", "\\_(ツ)_/", "a_b_c", "田中*花子", "Aiko|x", "a | b"])(
    "writes %j so that the message notifies exactly that name, wherever the mention stands",
    async (name) => {
      expect(cleanDisplayName(name)).toBe(name);
      const token = mentionToken(name);
      expect(token).not.toBeNull();
      for (const text of contexts(token!)) expect([text, await mentionsInMessage(text, ROOMY)]).toEqual([text, [name]]);
    },
  );

  it.each(['Aiko"', "\u201cAiko\u201d", "a,b", "@Bob", "\uFF20Bob", "bob@example.com", "www.bob.com", "see https://x.io", "http://x"])(
    "offers no mention for %j, which no mention could write",
    (name) => {
      expect(mentionToken(name)).toBeNull();
      expect(isMentionable(name)).toBe(false);
    },
  );

  it("writes every mentionable name so that Markdown reads exactly it back, in any context", async () => {
    // Letters, spaces and every ASCII punctuation mark, so that Markdown's syntax is met often.
    const char = fc.constantFrom(..."abkAI田ア 0", ..."!#$%&'()*+-./:;<=>?[\\]^_`{|}~");
    await fc.assert(
      fc.asyncProperty(fc.array(char, { minLength: 1, maxLength: 12 }), async (chars) => {
        let name: string;
        try {
          name = cleanDisplayName(chars.join(""));
        } catch {
          return;
        }
        const token = mentionToken(name);
        if (token === null) return;
        for (const text of contexts(token)) expect([name, text, await mentionsInMessage(text, ROOMY)]).toEqual([name, text, [name]]);
      }),
      { numRuns: 600 },
    );
  });
});
