/** @jest-environment jsdom */
import { render } from "@testing-library/react";
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
  return { ...utils, update, region, spoken, props: () => props };
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

  it("announces a new message once, with author and text isolated as t() does", () => {
    const { update, spoken, props } = setup();
    update({ messages: [...props().messages, message(3, { author: "dave", text: "lunch?" })] });
    expect(spoken()).toEqual([isolated`${"dave"}: ${"lunch?"}`]);
    // The same list again, and a change to that message (an edit), add nothing.
    update({ messages: [...props().messages] });
    update({ messages: [...props().messages.slice(0, 2), message(3, { author: "dave", text: "lunch at 1?", editedAt: "2025-01-02T10:04:00Z" })] });
    expect(spoken()).toEqual([isolated`${"dave"}: ${"lunch?"}`]);
  });

  it("does not announce the reader's own messages (they just wrote them)", () => {
    const { update, spoken, props } = setup();
    update({ messages: [...props().messages, message(3, { author: "carol", text: "mine" })] });
    expect(spoken()).toEqual([]);
    update({ messages: [...props().messages, message(4, { author: "bob", text: "theirs" })] });
    expect(spoken()).toEqual([isolated`${"bob"}: ${"theirs"}`]);
  });

  it("does not announce older messages loaded in front (history paging)", () => {
    const { update, spoken, props } = setup({ messages: [message(5), message(6)] });
    update({ loadingOlder: true });
    update({ messages: [message(3), message(4), ...props().messages], loadingOlder: false });
    expect(spoken()).toEqual([]);
    // Positive control: a new message after the paging is still announced.
    update({ messages: [...props().messages, message(7, { text: "after paging" })] });
    expect(spoken()).toEqual([isolated`${"alice"}: ${"after paging"}`]);
  });

  it("does not re-announce anything on a room switch, and starts the new room silent", () => {
    const { update, spoken, props } = setup();
    update({ messages: [...props().messages, message(3, { text: "in general" })] });
    expect(spoken()).toHaveLength(1);
    update({ room: "random", label: "#random", messages: [message(10, { room: "random" }), message(11, { room: "random" })] });
    expect(spoken()).toEqual([]);
    update({ room: "general", label: "#general", messages: [message(1), message(2), message(3, { text: "in general" })] });
    expect(spoken()).toEqual([]);
    update({ messages: [...props().messages, message(4, { text: "back in general" })] });
    expect(spoken()).toEqual([isolated`${"alice"}: ${"back in general"}`]);
  });

  it("sums up a burst (a reconnect catching up) in one sentence", () => {
    const { update, spoken, props } = setup();
    update({ messages: [...props().messages, ...[3, 4, 5, 6, 7].map((n) => message(n, { author: "bob" }))] });
    expect(spoken()).toEqual([isolated`5 new messages in ${"#general"}`]);
  });

  it("names files sent without text, and speaks Japanese in Japanese", () => {
    const file = { id: "a".repeat(22), name: "plan.pdf", type: "application/pdf", size: 10, url: "/api/files/x/plan.pdf" };
    const { update, spoken, props } = setup({}, "ja");
    update({ messages: [...props().messages, message(3, { author: "bob", text: "", attachments: [file] })] });
    update({ messages: [...props().messages, message(4, { author: "bob", text: "どうぞ" })] });
    expect(spoken()).toEqual([isolated`${"bob"}がファイルを 1 件送りました`, isolated`${"bob"}：${"どうぞ"}`]);
  });
});
