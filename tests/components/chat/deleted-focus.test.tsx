/** @jest-environment jsdom */
/**
 * Someone else deletes the message a reader's focus is on (the message itself, one of its reaction chips
 * or actions, its "More reactions…" picker): the focus stays on that message's row, now its tombstone
 * ("message deleted"), never on the page (an outside trial: it fell to BODY, and ↑ did nothing after).
 * A row taken away altogether gives the focus to the next row, else the previous one, else the message box.
 */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MessageList } from "@/components/chat/message-list";
import { chatReducer, initialChatState } from "@/components/chat/chat-reducer";
import type { ChatState } from "@/components/chat/chat-types";
import type { Message } from "@/lib/realtime/events";
import { message } from "./fixtures";
import { messageActionsReady } from "./message-actions-ready";

beforeAll(messageActionsReady);

const changes = () => ({ edit: jest.fn(async () => null), remove: jest.fn(async () => null), react: jest.fn(async () => null) });
// Messages as another person's client sent them (each with its clientId), with a reaction each.
const sent = [1, 2, 3].map((n) => message(n, { author: n === 2 ? "kenji" : "alice", clientId: `k${n}`, reactions: [{ emoji: "❤️", count: 1, users: ["alice"] }] }));

function joined(messages: Message[]): ChatState {
  return chatReducer(chatReducer(initialChatState, { type: "open-room", room: "general" }), {
    type: "joined",
    room: "general",
    data: { room: { name: "general", kind: "public", private: false, online: 1, unread: 0, lastSeq: 3, lastMessageId: message(3).id }, messages, members: [], hasMore: false, readSeq: 3, readBefore: 3 },
  });
}

async function setup() {
  const user = userEvent.setup();
  const edits = changes();
  let state = joined(sent);
  const page = (messages: Message[]) => (
    // As the chat lays them out: the list and the room's composer in #chat-main.
    <main id="chat-main">
      <MessageList room="general" messages={messages} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()}
        me="bob" changes={edits} />
      <textarea className="composer-input" aria-label="Message #general" />
    </main>
  );
  const { rerender } = render(page(state.roomViews.general.messages));
  const log = screen.getByRole("log", { name: "Messages in general" });
  await within(log).findAllByRole("group", { name: "Message actions" });
  /** Message `n` deleted by its author, as the server tells the reader. */
  const deleteMessage = async (n: number) => {
    state = chatReducer(state, { type: "message-deleted", room: "general", id: message(n).id, seq: n });
    await act(async () => rerender(page(state.roomViews.general.messages)));
  };
  /** The list as the server sends it again without the messages `gone` (as after a reload of the room). */
  const without = async (...gone: number[]) => {
    await act(async () => rerender(page(state.roomViews.general.messages.filter((m) => !gone.includes(m.seq)))));
  };
  const item = (n: number) => log.querySelector<HTMLElement>(`#m-${message(n).id}`)!;
  return { user, log, item, deleteMessage, without };
}

describe("focus on a message someone else deletes", () => {
  it("stays on the message, now its tombstone, named as deleted; ↑ goes on from there", async () => {
    const { user, item, deleteMessage } = await setup();
    act(() => item(2).focus());
    await deleteMessage(2);
    expect(document.activeElement).not.toBe(document.body);
    expect(document.activeElement).toBe(item(2));
    expect(item(2)).toHaveAccessibleName(expect.stringContaining("message deleted"));
    await user.keyboard("{ArrowUp}");
    expect(document.activeElement).toBe(item(1));
  });

  it("goes from its reaction chip to the message's tombstone", async () => {
    const { user, item, deleteMessage } = await setup();
    act(() => within(item(2)).getByRole("button", { name: /❤️/, pressed: false }).focus());
    await deleteMessage(2);
    expect(document.activeElement).toBe(item(2));
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(item(3));
  });

  it("goes from its actions' emoji picker to the message's tombstone", async () => {
    const { user, item, deleteMessage } = await setup();
    act(() => item(2).focus());
    await user.click(within(item(2)).getByRole("button", { name: "More reactions…" }));
    await waitFor(() => expect(within(item(2)).getByRole("button", { name: "More reactions…" })).toHaveAttribute("aria-expanded", "true"));
    // The picker (emoji-picker-element, not loaded here) holds the focus in its search box: its host stands for it.
    const picker = await waitFor(() => {
      const host = item(2).querySelector<HTMLElement>(".emoji-picker");
      expect(host).not.toBeNull();
      return host!;
    });
    picker.tabIndex = -1;
    act(() => picker.focus());
    expect(document.activeElement).toBe(picker);
    await deleteMessage(2);
    expect(document.activeElement).toBe(item(2));
    expect(within(item(2)).queryByRole("button")).toBeNull();
  });

  it("goes to the next message when the row is gone, else the previous one, else the message box", async () => {
    const { item, without } = await setup();
    act(() => within(item(2)).getByRole("button", { name: "Copy link" }).focus());
    await without(2);
    await waitFor(() => expect(document.activeElement).toBe(item(3)));
    await without(2, 3);
    await waitFor(() => expect(document.activeElement).toBe(item(1)));
    await without(1, 2, 3);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("textbox", { name: "Message #general" })));
  });
});
