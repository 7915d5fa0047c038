/** @jest-environment jsdom */
import { lastOwnMessage } from "@/components/chat/message-rows";
import { act, fireEvent, render, renderHook, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { MessageList } from "@/components/chat/message-list";
import { useChat } from "@/components/chat/use-chat";
import type { MessageChanges, Refusal } from "@/components/chat/chat-types";
import { chatReducer, initialChatState } from "@/components/chat/chat-reducer";
import { Composer } from "@/components/chat/composer";
import { ThreadPanel } from "@/components/chat/thread-panel";
import type { ThreadActions } from "@/components/chat/chat-types";
import { fakeIo, type FakeSocket } from "./fake-socket";
import { message } from "./fixtures";
import { messageActionsReady } from "./message-actions-ready";
import { isolated } from "../helpers/isolated";
import { isolate } from "@/lib/text/isolate";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));

function changes(over: Partial<MessageChanges> = {}): MessageChanges {
  return {
    edit: jest.fn(async () => null),
    remove: jest.fn(async () => null),
    react: jest.fn(async () => null),
    ...over,
  };
}

function list(messages = [message(1, { author: "me" }), message(2, { author: "bob" })], c = changes(), admin = false) {
  render(<MessageList room="general" messages={messages} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={c} admin={admin} />);
  const items = within(screen.getByRole("log")).getAllByRole("listitem").filter((li) => li.querySelector(".message-text, .message-edit"));
  return { c, items };
}


// Each message's actions render once the page has been used, from a chunk of their own.
beforeAll(messageActionsReady);

describe("a message's changes in the list", () => {
  it("marks an edited message '(edited)' and shows a deleted one as 'message deleted' without its text", () => {
    const { items } = list([message(1, { text: "fixed typo", editedAt: "2025-01-02T10:05:00.000Z" }), message(2, { text: "", deleted: true })]);
    expect(items[0]).toHaveTextContent("fixed typo");
    expect(items[0]).toHaveTextContent("(edited)");
    expect(items[1]).toHaveTextContent("message deleted");
    expect(items[1]).not.toHaveTextContent("(edited)");
    // A tombstone offers no actions.
    expect(within(items[1]).queryByRole("group", { name: "Message actions" })).toBeNull();
  });

  it("shows reactions with counts, pressed when the reader reacted, and toggles one on click", async () => {
    const reactions = [{ emoji: "👍", count: 2, users: ["bob", "me"] }, { emoji: "🎉", count: 1, users: ["bob"] }];
    const { c, items } = list([message(1, { author: "bob", reactions })]);
    const thumbs = within(items[0]).getByRole("button", { name: "👍 2: bob, me" });
    expect(thumbs).toHaveAttribute("aria-pressed", "true");
    expect(within(items[0]).getByRole("button", { name: "🎉 1: bob" })).toHaveAttribute("aria-pressed", "false");
    // Who reacted shows on pointing at the chip (its tooltip), the names isolated.
    // Each name isolated within the list (two right-to-left names keep their order).
    expect(thumbs).toHaveAttribute("title", isolated`${`${isolate("bob")}, ${isolate("me")}`} reacted with ${"👍"}`);
    await userEvent.click(thumbs);
    expect(c.react).toHaveBeenCalledWith(message(1, { author: "bob", reactions }), "👍");
  });

  it("offers Edit and Delete only on the reader's own messages (Delete on every message for an admin)", () => {
    const { items } = list();
    expect(within(items[0]).getByRole("button", { name: "Edit" })).toBeInTheDocument();
    expect(within(items[0]).getByRole("button", { name: "Delete" })).toBeInTheDocument();
    expect(within(items[1]).queryByRole("button", { name: "Edit" })).toBeNull();
    expect(within(items[1]).queryByRole("button", { name: "Delete" })).toBeNull();
    expect(within(items[1]).getByRole("button", { name: "React 👍" })).toBeInTheDocument();
  });

  it("lets an admin delete someone else's message", () => {
    const { items } = list(undefined, changes(), true);
    expect(within(items[1]).getByRole("button", { name: "Delete" })).toBeInTheDocument();
    expect(within(items[1]).queryByRole("button", { name: "Edit" })).toBeNull();
  });

  it("asks once before deleting; Cancel deletes nothing", async () => {
    const { c, items } = list();
    await userEvent.click(within(items[0]).getByRole("button", { name: "Delete" }));
    const ask = within(items[0]).getByRole("alertdialog", { name: "Delete this message?" });
    await userEvent.click(within(ask).getByRole("button", { name: "Cancel" }));
    expect(c.remove).not.toHaveBeenCalled();
    await userEvent.click(within(items[0]).getByRole("button", { name: "Delete" }));
    await userEvent.click(within(within(items[0]).getByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    expect(c.remove).toHaveBeenCalledTimes(1);
    expect(c.remove).toHaveBeenCalledWith(message(1, { author: "me" }));
  });

  it("puts the question's focus on Cancel, so Enter answers no and deletes nothing", async () => {
    const { c, items } = list();
    await userEvent.click(within(items[0]).getByRole("button", { name: "Delete" }));
    const ask = within(items[0]).getByRole("alertdialog", { name: "Delete this message?" });
    expect(within(ask).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await userEvent.keyboard("{Enter}");
    expect(within(items[0]).queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(within(items[0]).getByRole("button", { name: "Delete" })).toHaveFocus());
    expect(c.remove).not.toHaveBeenCalled();
  });

  it("keeps the keyboard in place: the question takes the focus, Esc answers no and focus goes back to Delete; leaving an edit goes back to Edit", async () => {
    const { c, items } = list();
    await userEvent.click(within(items[0]).getByRole("button", { name: "Delete" }));
    expect(within(items[0]).getByRole("alertdialog", { name: "Delete this message?" })).toContainElement(document.activeElement as HTMLElement);
    await userEvent.keyboard("{Escape}");
    expect(within(items[0]).queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(within(items[0]).getByRole("button", { name: "Delete" })).toHaveFocus());
    expect(c.remove).not.toHaveBeenCalled();

    await userEvent.click(within(items[0]).getByRole("button", { name: "Edit" }));
    await userEvent.type(within(items[0]).getByRole("textbox", { name: "Edit message" }), "{Escape}");
    await waitFor(() => expect(within(items[0]).getByRole("button", { name: "Edit" })).toHaveFocus());
  });

  it("keeps the focus on a message once deleted (what is left of it), not on the page", async () => {
    function Room() {
      const [messages, setMessages] = useState([message(1, { author: "me" }), message(2, { author: "bob" })]);
      const [c] = useState(() =>
        changes({
          remove: jest.fn(async (m) => {
            setMessages((list) => list.map((x) => (x.id === m.id ? { ...x, text: "", deleted: true } : x)));
            return null;
          }),
        }),
      );
      return <MessageList room="general" messages={messages} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={c} />;
    }
    render(<Room />);
    const mine = within(screen.getByRole("log")).getAllByRole("listitem").find((li) => li.textContent?.includes("hello 1"))!;
    await userEvent.click(within(mine).getByRole("button", { name: "Delete" }));
    await userEvent.click(within(within(mine).getByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(mine).toHaveTextContent("message deleted"));
    await waitFor(() => expect(mine).toHaveFocus());
  });

  it("edits in place: Enter saves, Esc cancels, a refusal is shown and the form stays", async () => {
    const refuse = changes({ edit: jest.fn(async () => ({ code: "too_large", message: "message must be at most 4000 characters", reason: "text_too_long", limit: 4000 })) });
    const { items } = list(undefined, refuse);
    await userEvent.click(within(items[0]).getByRole("button", { name: "Edit" }));
    const box = within(items[0]).getByRole("textbox", { name: "Edit message" });
    expect(box).toHaveValue("hello 1");
    await userEvent.clear(box);
    await userEvent.type(box, "hello there{Enter}");
    expect(refuse.edit).toHaveBeenCalledWith(message(1, { author: "me" }), "hello there");
    expect(await within(items[0]).findByRole("alert")).toHaveTextContent(isolated`Not changed: ${"The text can be at most 4000 characters long."}`);
    await userEvent.type(box, "{Escape}");
    expect(within(items[0]).queryByRole("textbox", { name: "Edit message" })).toBeNull();
    expect(items[0]).toHaveTextContent("hello 1");
  });
});

describe("changes in the chat state", () => {
  const joined = () =>
    chatReducer(chatReducer(initialChatState, { type: "open-room", room: "general" }), {
      type: "joined",
      room: "general",
      data: { room: { name: "general", kind: "public", private: false, online: 1, unread: 0, lastSeq: 2, lastMessageId: message(2).id }, messages: [message(1), message(2)], members: [], hasMore: false, readSeq: 2, readBefore: 2 },
    });

  it("turns a deleted message into a tombstone in place and replaces reactions", () => {
    let state = chatReducer(joined(), { type: "message-deleted", room: "general", id: message(1).id });
    state = chatReducer(state, { type: "reactions-updated", room: "general", id: message(2).id, reactions: [{ emoji: "👀", count: 1, users: ["bob"] }] });
    const [first, second] = state.roomViews.general.messages;
    expect(first).toEqual({ id: message(1).id, seq: 1, room: "general", author: "alice", createdAt: message(1).createdAt, text: "", deleted: true });
    expect(second.reactions).toEqual([{ emoji: "👀", count: 1, users: ["bob"] }]);
  });

  it("keeps a deleted message's clientId and author kind, as the server's tombstone does: its row keeps its key (and the focus on it)", () => {
    const state = chatReducer(
      chatReducer(joined(), { type: "received", message: message(3, { author: "kenji", clientId: "k3", authorKind: "guest" }) }),
      { type: "message-deleted", room: "general", id: message(3).id },
    );
    expect(state.roomViews.general.messages.at(-1)).toEqual({
      id: message(3).id, seq: 3, room: "general", author: "kenji", createdAt: message(3).createdAt, text: "", deleted: true, clientId: "k3", authorKind: "guest",
    });
  });

  it("takes counts and names from the server, and keeps the reader's own reaction shown where the server names only the first 20", () => {
    const first20 = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    const crowd = (count: number) => [{ emoji: "👍", count, users: first20 }, { emoji: "🎉", count: 1, users: ["bob"] }];
    let state = chatReducer(joined(), { type: "session", session: { name: "me", guest: true, admin: false } });
    const thumbs = () => state.roomViews.general.messages[1].reactions?.[0];
    const update = (reactions: ReturnType<typeof crowd>, toggle?: { emoji: string; user: string; added: boolean; count: number }) =>
      (state = chatReducer(state, { type: "reactions-updated", room: "general", id: message(2).id, reactions, toggle }));
    update(crowd(30), { emoji: "👍", user: "me", added: true, count: 30 });
    expect(thumbs()).toEqual({ emoji: "👍", count: 30, users: [...first20, "me"] });
    // Someone else's toggle: the server's list does not name the reader, who still reacted.
    update(crowd(31), { emoji: "👍", user: "zed", added: true, count: 31 });
    expect(thumbs()).toEqual({ emoji: "👍", count: 31, users: [...first20, "me"] });
    expect(state.roomViews.general.messages[1].reactions?.[1]).toEqual({ emoji: "🎉", count: 1, users: ["bob"] });
    // The reader takes theirs away (on another tab): no longer shown as theirs.
    update(crowd(30), { emoji: "👍", user: "me", added: false, count: 30 });
    expect(thumbs()).toEqual({ emoji: "👍", count: 30, users: first20 });
    // A list that names everyone is taken as it is.
    update([{ emoji: "👍", count: 2, users: ["bob", "zed"] }]);
    expect(thumbs()).toEqual({ emoji: "👍", count: 2, users: ["bob", "zed"] });
  });

  it("labels a reaction whose names are cut short with how many more reacted", () => {
    const users = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    const { items } = list([message(1, { author: "bob", reactions: [{ emoji: "👍", count: 25, users }] })]);
    const chip = within(items[0]).getByRole("button", { name: `👍 25: ${users.join(", ")} and 5 more` });
    expect(chip).toHaveAttribute("aria-pressed", "false");
    expect(chip).toHaveAttribute("title", isolated`${users.map(isolate).join(", ")} and ${"5"} more reacted with ${"👍"}`);
  });
});

describe("ChatClient changes", () => {
  let sockets: FakeSocket[];
  beforeEach(() => {
    jest.useFakeTimers();
    sockets = fakeIo();
  });
  afterEach(() => jest.useRealTimers());
  const flush = () => act(async () => void (await jest.advanceTimersByTimeAsync(0)));

  async function connected() {
    const hook = renderHook(() => useChat("me"));
    await flush();
    const socket = sockets.find((s) => s.connect.mock.calls.length > 0)!;
    act(() => socket.open());
    act(() => socket.serve("session", { name: "me", guest: true, admin: false }));
    act(() => hook.result.current.actions.openRoom("general"));
    await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: [message(1), message(2)], members: [], hasMore: false, readSeq: 0 } }));
    return { hook, socket, view: () => hook.result.current.state.roomViews.general };
  }

  it("shows a reaction at once and rolls it back with the server's refusal", async () => {
    const { hook, socket, view } = await connected();
    let result: Promise<Refusal | null> = Promise.resolve(null);
    act(() => {
      result = hook.result.current.actions.changes.react(message(1), "👍");
    });
    expect(view().messages[0].reactions).toEqual([{ emoji: "👍", count: 1, users: ["me"] }]);
    const refusal = { code: "too_large", message: "a message may carry at most 20 different emoji", reason: "reactions_too_many", limit: 20 };
    await act(async () => socket.lastSent("react").reply({ ok: false, error: refusal }));
    // The refusal as the server gave it, to be put in words when shown.
    expect(await result).toEqual(refusal);
    expect(view().messages[0]).toEqual(message(1));
  });

  it("shows an edit and a deletion at once and puts the message back when the server refuses", async () => {
    const { hook, socket, view } = await connected();
    let edited: Promise<Refusal | null> = Promise.resolve(null);
    act(() => {
      edited = hook.result.current.actions.changes.edit(message(1), "changed");
    });
    expect(view().messages[0]).toMatchObject({ text: "changed", editedAt: expect.any(String) });
    await act(async () => socket.lastSent("edit-message").reply({ ok: false, error: { code: "forbidden", message: "only the author may edit a message" } }));
    expect(await edited).toEqual({ code: "forbidden", message: "only the author may edit a message" });
    expect(view().messages[0]).toEqual(message(1));
    let removed: Promise<Refusal | null> = Promise.resolve(null);
    act(() => {
      removed = hook.result.current.actions.changes.remove(message(2));
    });
    expect(view().messages[1]).toMatchObject({ deleted: true, text: "" });
    await act(async () => socket.lastSent("delete-message").reply({ ok: false, error: { code: "forbidden", message: "no" } }));
    expect(await removed).toEqual({ code: "forbidden", message: "no" });
    expect(view().messages[1]).toEqual(message(2));
  });

  it("sends the greatest message id or change id seen as lastSeen, so changes seen live are not replayed", async () => {
    const { socket } = await connected();
    const changeId = "0000000000000009";
    act(() => socket.serve("reactions-updated", { room: "general", id: message(1).id, reactions: [], changeId, changeSeq: 3 }));
    expect(socket.auth()).toEqual({ name: "me", lastSeen: { general: changeId } });
    act(() => socket.serve("message-deleted", { room: "general", id: message(2).id, seq: 2, changeId: "0000000000000011", changeSeq: 4 }));
    expect(socket.auth()).toEqual({ name: "me", lastSeen: { general: "0000000000000011" } });
  });
});

describe("Up-arrow edits your last message", () => {
  it("calls onEditLast from an empty composer only (a draft keeps the arrow for moving the caret)", async () => {
    const onEditLast = jest.fn();
    render(<Composer room="general" onSend={jest.fn()} onEditLast={onEditLast} />);
    const box = screen.getByRole("textbox");
    await userEvent.type(box, "{ArrowUp}");
    expect(onEditLast).toHaveBeenCalledTimes(1);
    await userEvent.type(box, "draft{ArrowUp}");
    expect(onEditLast).toHaveBeenCalledTimes(1);
  });

  it("picks the newest own message of the room itself, not a thread reply the room's list does not show", () => {
    const root = message(1, { author: "me" });
    const reply = message(2, { author: "me", threadId: root.id });
    expect(lastOwnMessage([root, reply], { name: "me" })).toBe(root);
    expect(lastOwnMessage([root, reply, message(3, { author: "bob" })], { name: "me" })).toBe(root);
    expect(lastOwnMessage([reply], { name: "me" })).toBeUndefined();
  });

  it("opens the edit form with the caret after the text, so what is typed goes on from there", async () => {
    render(<MessageList room="general" messages={[message(1, { author: "me" })]} hasMore={false} loadingOlder={false}
      onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={changes()} editingId={message(1).id} onEditing={jest.fn()} />);
    const box = screen.getByRole("textbox", { name: "Edit message" }) as HTMLTextAreaElement;
    expect(box).toHaveFocus();
    expect([box.selectionStart, box.selectionEnd]).toEqual(["hello 1".length, "hello 1".length]);
  });

  it("does not save an edit on the Enter that ends an input method's composition", async () => {
    const c = changes();
    render(<MessageList room="general" messages={[message(1, { author: "me" })]} hasMore={false} loadingOlder={false}
      onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={c} editingId={message(1).id} onEditing={jest.fn()} />);
    const box = screen.getByRole("textbox", { name: "Edit message" });
    fireEvent.keyDown(box, { key: "Enter", isComposing: true });
    fireEvent.keyDown(box, { key: "Enter", keyCode: 229 });
    expect(c.edit).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: "Enter" });
    expect(c.edit).toHaveBeenCalledTimes(1);
  });

  it("opens the edit form of the message the page picked, and Esc hands it back", async () => {
    const onEditing = jest.fn();
    render(<MessageList room="general" messages={[message(1, { author: "me" }), message(2, { author: "me" })]} hasMore={false} loadingOlder={false}
      onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={changes()} editingId={message(2).id} onEditing={onEditing} />);
    const box = screen.getByRole("textbox", { name: "Edit message" });
    expect(box).toHaveValue("hello 2");
    expect(box).toHaveFocus();
    await userEvent.type(box, "{Escape}");
    expect(onEditing).toHaveBeenCalledWith(null);
  });
});

describe("reply threads in the UI", () => {
  it("keeps replies out of the room's list and shows '2 replies' on the root, which opens the thread", async () => {
    const onOpenThread = jest.fn();
    const root = message(1, { replies: { count: 2, lastAt: message(3).createdAt } });
    render(<MessageList room="general" messages={[root, message(2, { threadId: root.id, text: "reply a" }), message(3, { threadId: root.id, text: "reply b" })]}
      hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={changes()} onOpenThread={onOpenThread} />);
    const log = screen.getByRole("log");
    expect(log).not.toHaveTextContent("reply a");
    await userEvent.click(within(log).getByRole("button", { name: /^\W?2\W? replies$/ }));
    expect(onOpenThread).toHaveBeenCalledWith(root.id);
  });

  it("says '1 reply' for a thread of one", () => {
    const root = message(1, { replies: { count: 1, lastAt: message(2).createdAt } });
    render(<MessageList room="general" messages={[root]} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={changes()} onOpenThread={jest.fn()} />);
    expect(within(screen.getByRole("log")).getByRole("button", { name: /^\W?1\W? reply$/ })).toBeInTheDocument();
  });

  it("shows the root and its replies (loaded and live), and sends a reply; a refusal is shown", async () => {
    const root = message(1, { text: "the plan" });
    const threads: ThreadActions = {
      load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [message(2, { threadId: root.id, text: "older reply" })], hasMore: false } })),
      reply: jest.fn(async () => null),
    };
    const { rerender } = render(<ThreadPanel room="general" rootId={root.id} messages={[]} threads={threads} onClose={jest.fn()} />);
    const panel = screen.getByRole("complementary", { name: "Thread" });
    expect(await within(panel).findByText(/older reply/)).toBeInTheDocument();
    expect(panel).toHaveTextContent("the plan");
    rerender(<ThreadPanel room="general" rootId={root.id} messages={[root, message(5, { threadId: root.id, text: "live reply" })]} threads={threads} onClose={jest.fn()} />);
    const replies = within(panel).getByRole("list", { name: "Replies" });
    expect(within(replies).getAllByRole("listitem").map((li) => li.textContent)).toEqual([expect.stringContaining("older reply"), expect.stringContaining("live reply")]);
    await userEvent.type(within(panel).getByRole("textbox", { name: "Reply in thread" }), "me too{Enter}");
    expect(threads.reply).toHaveBeenCalledWith("general", root.id, "me too", undefined, expect.any(String));
    (threads.reply as jest.Mock).mockResolvedValueOnce("no such message to reply to in this room");
    await userEvent.type(within(panel).getByRole("textbox", { name: "Reply in thread" }), "again{Enter}");
    expect(await within(panel).findByRole("alert")).toHaveTextContent(/no such message to reply to/);
  });
});
