/** @jest-environment jsdom */
import { render, waitFor } from "@testing-library/react";
import { MessageList, type MessageListProps } from "@/components/chat/message-list";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { message } from "./fixtures";
import { isolated } from "@/tests/components/helpers/isolated";

// The Japanese dictionary is a chunk of its own (fetched when the UI first speaks Japanese).
beforeAll(() => loadLang("ja"));

/**
 * What a screen reader hears about the conversation: the visible log is not live, and a separate polite
 * region receives one sentence per new message from someone else.
 */
function setup(over: Partial<MessageListProps> = {}, lang: "en" | "ja" = "en") {
  let props: MessageListProps = {
    room: "general",
    messages: [message(1), message(2, { author: "bob", text: "hi alice" })],
    me: "carol",
    hasMore: true,
    loadingOlder: false,
    onLoadOlder: jest.fn(),
    onRetry: jest.fn(),
    ...over,
  };
  const ui = () => (
    <LangProvider lang={lang}>
      <MessageList {...props} />
    </LangProvider>
  );
  const utils = render(ui());
  const update = (change: Partial<MessageListProps>) => {
    props = { ...props, ...change };
    utils.rerender(ui());
  };
  const region = () => utils.container.querySelector<HTMLElement>(".message-announcer")!;
  /** The sentences added to the live region so far, in order. */
  const spoken = () => [...region().querySelectorAll("p")].map((p) => p.textContent);
  /** Waits until the region holds exactly `sentences` (a sentence is made once the text is plain). */
  const said = (sentences: string[]) => waitFor(() => expect(spoken()).toEqual(sentences));
  return { ...utils, update, region, spoken, said, props: () => props };
}

describe("new-message announcements", () => {
  it("keeps the message log itself silent and offers a polite, visually hidden region instead", () => {
    const { getByRole, region } = setup();
    expect(getByRole("log", { name: "Messages in general" })).toHaveAttribute("aria-live", "off");
    expect(region()).toHaveAttribute("aria-live", "polite");
    expect(region()).toHaveAttribute("aria-relevant", "additions");
    expect(region()).toHaveClass("visually-hidden");
  });

  it("does not announce the history shown on load", () => {
    const { spoken } = setup();
    expect(spoken()).toEqual([]);
  });

  it("announces a new message once: who, in which room, and the text, isolated as t() does", async () => {
    const { update, said, spoken, props } = setup();
    update({ messages: [...props().messages, message(3, { author: "dave", text: "lunch?" })] });
    // Plain text needs no parser: said at once.
    expect(spoken()).toEqual([isolated`${"dave"} in ${"#general"}: ${"lunch?"}`]);
    // The same list again, and a change to that message (an edit), add nothing; a new one is added.
    update({ messages: [...props().messages] });
    update({ messages: [...props().messages.slice(0, 2), message(3, { author: "dave", text: "lunch at 1?", editedAt: "2025-01-02T10:04:00Z" })] });
    update({ messages: [...props().messages, message(4, { author: "bob", text: "yes" })] });
    await said([isolated`${"dave"} in ${"#general"}: ${"lunch?"}`, isolated`${"bob"} in ${"#general"}: ${"yes"}`]);
  });

  it("speaks a message's text as a reader sees it, without its Markdown syntax, in order", async () => {
    const { update, said, spoken, props } = setup();
    update({ messages: [...props().messages, message(3, { author: "bob", text: "**ship** it: see [the `deploy` notes](https://example.com/n)" })] });
    update({ messages: [...props().messages, message(4, { author: "dave", text: "ok" })] });
    // The first Markdown in this file: the parser is still loading, and the plain message waits behind it.
    expect(spoken()).toEqual([]);
    await said([
      isolated`${"bob"} in ${"#general"}: ${"ship it: see the deploy notes"}`,
      isolated`${"dave"} in ${"#general"}: ${"ok"}`,
    ]);
    // Once loaded, Markdown is said at once.
    update({ messages: [...props().messages, message(5, { author: "bob", text: "_done_" })] });
    expect(spoken().at(-1)).toBe(isolated`${"bob"} in ${"#general"}: ${"done"}`);
  });

  it("does not name the room of a direct message (it is the other person)", async () => {
    const { update, said, props } = setup({ room: "dm:1:2", label: "bob", direct: true, messages: [message(1, { room: "dm:1:2" })] });
    update({ messages: [...props().messages, message(2, { room: "dm:1:2", author: "bob", text: "hi" })] });
    await said([isolated`${"bob"}: ${"hi"}`]);
  });

  it("does not announce the reader's own messages (they just wrote them)", async () => {
    const { update, said, props } = setup();
    update({ messages: [...props().messages, message(3, { author: "carol", text: "mine" })] });
    // Positive control: the next message from someone else is the only sentence.
    update({ messages: [...props().messages, message(4, { author: "bob", text: "theirs" })] });
    await said([isolated`${"bob"} in ${"#general"}: ${"theirs"}`]);
  });

  it("does not announce older messages loaded in front (history paging)", async () => {
    const { update, said, props } = setup({ messages: [message(5), message(6)] });
    update({ loadingOlder: true });
    update({ messages: [message(3), message(4), ...props().messages], loadingOlder: false });
    // Positive control: a new message after the paging is the only sentence.
    update({ messages: [...props().messages, message(7, { text: "after paging" })] });
    await said([isolated`${"alice"} in ${"#general"}: ${"after paging"}`]);
  });

  it("does not re-announce anything on a room switch, and starts the new room silent", async () => {
    const { update, said, props } = setup();
    update({ messages: [...props().messages, message(3, { text: "in general" })] });
    await said([isolated`${"alice"} in ${"#general"}: ${"in general"}`]);
    update({ room: "random", label: "#random", messages: [message(10, { room: "random" }), message(11, { room: "random" })] });
    await said([]);
    update({ room: "general", label: "#general", messages: [message(1), message(2), message(3, { text: "in general" })] });
    update({ messages: [...props().messages, message(4, { text: "back in general" })] });
    await said([isolated`${"alice"} in ${"#general"}: ${"back in general"}`]);
  });

  it("sums up a burst (a reconnect catching up) in one sentence", async () => {
    const { update, said, props } = setup();
    update({ messages: [...props().messages, ...[3, 4, 5, 6, 7].map((n) => message(n, { author: "bob" }))] });
    await said([isolated`5 new messages in ${"#general"}`]);
  });

  it("names files sent without text, and speaks Japanese in Japanese", async () => {
    const file = { id: "a".repeat(22), name: "plan.pdf", type: "application/pdf", size: 10, url: "/api/files/x/plan.pdf" };
    const { update, said, props } = setup({}, "ja");
    update({ messages: [...props().messages, message(3, { author: "bob", text: "", attachments: [file] })] });
    update({ messages: [...props().messages, message(4, { author: "bob", text: "どうぞ" })] });
    await said([isolated`${"bob"}がファイルを 1 件送りました`, isolated`${"bob"}（${"#general"}）：${"どうぞ"}`]);
  });
});
