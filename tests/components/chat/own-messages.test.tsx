/** @jest-environment jsdom */
/**
 * Which messages are the reader's own follows the account, not the name (own-messages.ts): a renamed
 * user keeps Edit, Delete, ↑-edit and the own style on what they wrote under an earlier name, and whoever
 * takes a freed name later is not offered them for what was written under it before.
 */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { MessageList } from "@/components/chat/message-list";
import { ThreadPanel } from "@/components/chat/thread-panel";
import type { Message, MessageChanges, ThreadActions } from "@/components/chat/chat-types";
import type { Self } from "@/components/chat/own-messages";
import { chatReducer, initialChatState } from "@/components/chat/chat-reducer";
import type { ChatAction } from "@/components/chat/chat-state";
import { mockFetch, userSession } from "../helpers/fetch-mock";
import { fakeIo, type FakeSocket } from "./fake-socket";
import { message } from "./fixtures";
import { messageActionsReady } from "./message-actions-ready";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

beforeAll(messageActionsReady);

// message(n) is written at 10:0n on 2 January 2025.
const at = (minute: number) => new Date(Date.UTC(2025, 0, 2, 10, minute)).toISOString();
/** dave (10:00–10:03), then david: the account that renamed itself. */
const renamed: Self = { name: "david", names: [{ name: "dave", since: at(0), until: at(3) }, { name: "david", since: at(3) }] };
/** Another account that took the freed name "dave" at 10:05. */
const newDave: Self = { name: "dave", names: [{ name: "dave", since: at(5) }] };

const changes = (): MessageChanges => ({ edit: jest.fn(async () => null), remove: jest.fn(async () => null), react: jest.fn(async () => null) });

function list(messages: Message[], self: Self) {
  render(
    <MessageList room="general" messages={messages} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()}
      me={self.name} self={self} changes={changes()} />,
  );
  return within(screen.getByRole("log")).getAllByRole("listitem").filter((li) => li.querySelector(".message-text"));
}

const offered = (item: HTMLElement) => ({
  edit: !!within(item).queryByRole("button", { name: "Edit" }),
  delete: !!within(item).queryByRole("button", { name: "Delete" }),
  own: item.classList.contains("message-own"),
});
const mine = { edit: true, delete: true, own: true };
const notMine = { edit: false, delete: false, own: false };

describe("own messages in the list", () => {
  const history = [message(1, { author: "dave", text: "as dave" }), message(4, { author: "david", text: "as david" }), message(6, { author: "dave", text: "the new dave" })];

  it("are everything the renamed user wrote under either name, not the new holder's of the old one", () => {
    const items = list(history, renamed);
    expect(items.map(offered)).toEqual([mine, mine, notMine]);
  });

  it("are, for whoever took a freed name, only what they wrote since they took it", () => {
    const items = list(history, newDave);
    expect(items.map(offered)).toEqual([notMine, notMine, mine]);
  });

  it("count the renamed user's replies in a thread under their earlier name as theirs", async () => {
    const root = message(1, { author: "bob", text: "root", replies: { count: 1, lastAt: at(2) } });
    const reply = message(2, { author: "dave", text: "reply as dave", threadId: root.id });
    const threads: ThreadActions = { load: jest.fn(async () => ({ ok: true as const, data: { root, messages: [reply], hasMore: false } })), reply: jest.fn(async () => null) };
    render(<ThreadPanel room="general" rootId={root.id} messages={[root, reply]} threads={threads} changes={changes()} me="david" self={renamed} onClose={jest.fn()} />);
    const replies = within(await screen.findByRole("list", { name: "Replies" }));
    await waitFor(() => expect(replies.getByText("reply as dave")).toBeInTheDocument());
    expect(offered(replies.getByText("reply as dave").closest("li")!)).toEqual(mine);
  });
});

describe("own messages arriving", () => {
  it("are not news in another room when written under the reader's earlier name, but the name's new holder's are", () => {
    const received = (m: Message): ChatAction => ({ type: "received", message: m });
    const start: ChatAction[] = [
      // The socket's session names only the current name; the account's history comes from GET /api/session.
      { type: "session", session: { id: "1", name: "david", guest: false, admin: false } },
      { type: "own-names", name: "david", names: [...renamed.names!] },
      { type: "open-room", room: "general" },
    ];
    // A message of dave's, replayed after the rename (a reconnection's catch-up), is the reader's own.
    let state = [...start, received(message(2, { room: "dev", author: "dave" }))].reduce(chatReducer, initialChatState);
    expect(state.unread.dev ?? 0).toBe(0);
    // One written by "dave" after the rename is someone else's.
    state = chatReducer(state, received(message(6, { room: "dev", author: "dave" })));
    expect(state.unread.dev).toBe(1);
  });
});

describe("↑ from the composer", () => {
  let sockets: FakeSocket[];
  beforeEach(() => {
    localStorage.clear();
    sockets = fakeIo();
  });

  async function joined(name: string, self: Self, messages: Message[]) {
    // The account's name history comes with its session (GET /api/session), not with the socket's event.
    const session = userSession(name);
    mockFetch([{ path: "/api/session", body: { ...session, user: { ...session.user, names: self.names } } }]);
    render(
      <ChatProvider>
        <ChatApp room="general" />
      </ChatProvider>,
    );
    await waitFor(() => expect(sockets.length).toBeGreaterThan(0));
    const socket = sockets[sockets.length - 1];
    act(() => socket.open());
    act(() => socket.serve("session", { id: `id-${name}`, name, guest: false, admin: false }));
    await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages, members: [], hasMore: false, readSeq: messages.length } }));
    await act(async () => socket.lastSent("list-rooms").reply({
      ok: true, data: { rooms: [{ name: "general", kind: "public", private: false, online: 2, unread: 0, lastSeq: 9, lastMessageId: null }] },
    }));
    const composer = screen.getByRole("textbox", { name: "Message #general" });
    await waitFor(() => expect(composer).toBeEnabled());
    return composer;
  }

  it("edits the renamed user's last message, written under their earlier name", async () => {
    const composer = await joined("david", renamed, [message(1, { author: "dave", text: "mine as dave" }), message(2, { author: "bob" })]);
    composer.focus();
    await userEvent.keyboard("{ArrowUp}");
    expect(await screen.findByRole("textbox", { name: "Edit message" })).toHaveValue("mine as dave");
  });

  it("does not edit a message written under the name before the reader took it", async () => {
    const composer = await joined("dave", newDave, [message(1, { author: "dave", text: "the old dave's" }), message(7, { author: "bob" })]);
    composer.focus();
    await userEvent.keyboard("{ArrowUp}");
    expect(screen.queryByRole("textbox", { name: "Edit message" })).toBeNull();
    // Their own, once they have written one, is.
    await act(async () => sockets[sockets.length - 1].serve("receive-message", message(8, { author: "dave", text: "the new dave's" })));
    await waitFor(() => expect(screen.getByText("the new dave's")).toBeInTheDocument());
    composer.focus();
    await userEvent.keyboard("{ArrowUp}");
    expect(await screen.findByRole("textbox", { name: "Edit message" })).toHaveValue("the new dave's");
  });
});

describe("a rename made elsewhere", () => {
  it("asks for the account's names again when the socket comes back under the new name, and keeps the old name's messages the reader's", async () => {
    localStorage.clear();
    const sockets = fakeIo();
    const before = userSession("dave");
    let renamedYet = false;
    const { calls } = mockFetch([
      {
        path: "/api/session",
        body: () =>
          renamedYet
            ? { ...before, user: { ...before.user, name: "david", names: renamed.names } }
            : { ...before, user: { ...before.user, names: [{ name: "dave", since: at(0) }] } },
      },
    ]);
    render(
      <ChatProvider>
        <ChatApp room="general" />
      </ChatProvider>,
    );
    const sessionAsks = () => calls.filter((c) => c.path === "/api/session").length;
    await waitFor(() => expect(sockets.length).toBeGreaterThan(0));
    expect(sessionAsks()).toBe(1);
    // Renamed in another tab at 10:03: the server closed this page's socket, which comes back as david.
    renamedYet = true;
    const first = sockets[sockets.length - 1];
    act(() => first.open());
    act(() => first.serve("session", { id: before.user.id, name: "david", guest: false, admin: false }));
    await waitFor(() => expect(sessionAsks()).toBe(2));
    // The page's account is david now, with both names: a client under that name, and dave's message is the reader's.
    await waitFor(() => expect(sockets.length).toBeGreaterThan(1));
    const socket = sockets[sockets.length - 1];
    act(() => socket.open());
    act(() => socket.serve("session", { id: before.user.id, name: "david", guest: false, admin: false }));
    await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: [message(1, { author: "dave", text: "mine as dave" }), message(5, { author: "dave", text: "a new dave's" })], members: [], hasMore: false, readSeq: 5 } }));
    await waitFor(() => expect(screen.getByText("mine as dave").closest("li")).toHaveClass("message-own"));
    expect(screen.getByText("a new dave's").closest("li")).not.toHaveClass("message-own");
    expect(sessionAsks()).toBe(2);
  });
});

describe("own reactions after a rename", () => {
  const reacted = (emoji: string, users: string[]) => ({ reactions: [{ emoji, count: users.length, users }] });

  it("show as pressed when the reader reacted under an earlier name, not when the name reacted after they gave it up", () => {
    // dave reacted to bob's message of 10:01 while the reader was dave; the 👀 on bob's message of 10:04
    // came after the reader had given "dave" up (10:03): someone else's.
    render(
      <MessageList room="general" hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="david" self={renamed} changes={changes()}
        messages={[message(1, { author: "bob", ...reacted("👍", ["dave"]) }), message(4, { author: "bob", ...reacted("👀", ["dave"]) }), message(5, { author: "bob", ...reacted("🎉", ["david"]) })]} />,
    );
    expect(screen.getByRole("button", { name: "👍 1: dave" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: "👀 1: dave" })).toHaveAttribute("aria-pressed", "false");
    expect(screen.getByRole("button", { name: "🎉 1: david" })).toHaveAttribute("aria-pressed", "true");
  });

  it("are taken away at once by the renamed reader's toggle, as the server (which goes by account) does", () => {
    const start: ChatAction[] = [
      { type: "session", session: { id: "1", name: "david", guest: false, admin: false } },
      { type: "own-names", name: "david", names: [...renamed.names!] },
      { type: "open-room", room: "general" },
      { type: "joined", room: "general", data: { room: {} as never, messages: [message(1, { author: "bob", ...reacted("👍", ["bob", "dave"]) })], members: [], hasMore: false, readSeq: 1, readBefore: 1 } },
      { type: "reaction-toggled", room: "general", id: message(1).id, emoji: "👍" },
    ];
    const state = start.reduce(chatReducer, initialChatState);
    expect(state.roomViews.general.messages[0].reactions).toEqual([{ emoji: "👍", count: 1, users: ["bob"] }]);
  });

  it("are pressed on the renamed reader's page, and a press takes the reaction away there and then", async () => {
    localStorage.clear();
    const sockets = fakeIo();
    const session = userSession("david");
    mockFetch([{ path: "/api/session", body: { ...session, user: { ...session.user, names: renamed.names } } }]);
    render(
      <ChatProvider>
        <ChatApp room="general" />
      </ChatProvider>,
    );
    await waitFor(() => expect(sockets.length).toBeGreaterThan(0));
    const socket = sockets[sockets.length - 1];
    act(() => socket.open());
    act(() => socket.serve("session", { id: session.user.id, name: "david", guest: false, admin: false }));
    await act(async () => socket.lastSent("join-room").reply({
      ok: true, data: { room: {}, messages: [message(1, { author: "bob", text: "deploy done", ...reacted("👍", ["dave"]) })], members: [], hasMore: false, readSeq: 1 },
    }));
    const chip = await screen.findByRole("button", { name: "👍 1: dave" });
    expect(chip).toHaveAttribute("aria-pressed", "true");
    await userEvent.click(chip);
    await waitFor(() => expect(socket.sent("react")).toHaveLength(1));
    expect(socket.lastSent("react").args[0]).toEqual({ room: "general", id: message(1).id, emoji: "👍" });
    // Taken away, not a second reaction under the new name.
    expect(screen.queryByRole("button", { name: /^👍/ })).toBeNull();
  });
});
