/** @jest-environment jsdom */
/**
 * What notifies is what is highlighted: the server's mentionsInMessage finds exactly the names the
 * message renderer marks as mentions (with every name known), for hand-picked texts and random ones
 * made of Markdown's code, link, quote, list and HTML syntax around `@` names.
 */
import { render } from "@testing-library/react";
import fc from "fast-check";
import MessageMarkdown from "@/components/chat/markdown/message-markdown";
import { resetMentionDirectory } from "@/components/chat/markdown/mention-directory";
import { mentionsInMessage } from "@/lib/notifications/message-mentions";

jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

// The people the texts name, each someone a mention notifies, as the server would confirm. (A name the
// random texts run on into, such as `bob_` or `boba`, is nobody: neither highlighted nor notified.)
const PEOPLE = new Set(["bob", "carol", "dave", "ゆき", "田中", "ボブ"]);
beforeAll(() => resetMentionDirectory(async (names) => names.filter((n) => PEOPLE.has(n))).confirm(PEOPLE));
const notifies = async (text: string) => (await mentionsInMessage(text)).filter((name) => PEOPLE.has(name));

/** The names the renderer marks (`@` or `＠` taken off), distinct, in order. */
function highlighted(text: string): string[] {
  const { container, unmount } = render(<MessageMarkdown text={text} me="nobody-here" />);
  const names = [...container.querySelectorAll(".mention")].map((el) => (el.textContent ?? "").slice(1));
  unmount();
  return [...new Set(names)];
}

it.each([
  "please run `@田中 --help` in the shell",
  "```\nping @ボブ from script\n```",
  "log:\n\n    12:00 @bob connected",
  "[@bob](https://example.com/u/bob) and @carol",
  "![@bob](https://example.com/bob.png)",
  "<b>@bob</b> <span title='@carol'>",
  "**@bob** > @carol",
  "> @bob said\n\n- @carol\n  - @dave",
  "see https://example.com/@bob",
  "\uFF20ゆき さん、`@bob` ではなく",
])("marks as mentions exactly what notifies in %j", async (text) => {
  expect(highlighted(text)).toEqual(await mentionsInMessage(text));
  expect(highlighted(text)).toEqual(await notifies(text));
});

it("marks as mentions exactly what notifies, for random Markdown around mentions", async () => {
  const pieces = fc.constantFrom("@bob", "@carol", "＠ゆき", " ", "\n", "`", "```\n", "    ", "> ", "- ", "**", "_", "[", "](https://x.test)", "<b>", "</b>", "https://x.test/", "a", "会議", ".", "#");
  await fc.assert(
    fc.asyncProperty(fc.array(pieces, { maxLength: 16 }).map((a) => a.join("")), async (text) => {
      expect([text, highlighted(text)]).toEqual([text, await notifies(text)]);
    }),
    { numRuns: 300 },
  );
});
