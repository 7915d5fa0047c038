/** @jest-environment jsdom */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { openMessageOnScreen } from "@/components/chat/room-path";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { guestSession, mockFetch } from "../helpers/fetch-mock";
import { fakeIo, type FakeSocket } from "./fake-socket";
import { message } from "./fixtures";
import { isolated } from "../helpers/isolated";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
const push = jest.fn();
jest.mock("next/navigation", () => ({ useRouter: () => ({ push, replace: jest.fn() }) }));

let sockets: FakeSocket[];

beforeEach(() => {
  mockFetch([{ path: "/api/session", body: guestSession }]);
  localStorage.clear();
  push.mockClear();
  sockets = fakeIo();
});

const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));
const latest = () => sockets[sockets.length - 1];

function renderRoom(room = "general") {
  return render(
    <ChatProvider>
      <ChatApp room={room} />
    </ChatProvider>,
  );
}

async function joinAs(socket: FakeSocket, name: string) {
  act(() => socket.open());
  act(() => socket.serve("session", { name, guest: true, admin: false }));
  const members = [{ name, online: true }, { name: "bob", online: true }];
  await act(async () => socket.lastSent("join-room").reply({
    ok: true, data: { room: {}, messages: [message(1, { author: "bob" })], members, hasMore: false, readSeq: 1 },
  }));
  await act(async () => socket.lastSent("list-rooms").reply({
    ok: true, data: { rooms: [{ name: "general", kind: "public", private: false, online: 2, unread: 0, lastSeq: 1, lastMessageId: null }] },
  }));
}

/**
 * Renders the room opened at `#m-<target>` (as a message link or a search result in another room does)
 * and answers its join with `messages`; returns the socket. The address is put back by the caller.
 */
async function openAt(target: string, messages: ReturnType<typeof message>[]) {
  localStorage.setItem("hibiki.name", "Aiko");
  window.history.replaceState(null, "", `/rooms/general#m-${target}`);
  renderRoom();
  await settle();
  const socket = latest();
  act(() => socket.open());
  const last = messages.at(-1)!;
  await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages, members: [], hasMore: true, readSeq: last.seq } }));
  await settle();
  return socket;
}

describe("ChatApp", () => {
  it("puts the focus on the skip link, the page's first stop, after a move to another room took the focused control away", async () => {
    localStorage.setItem("hibiki.name", "Aiko");
    const page = (room: string) => (
      <ChatProvider>
        <ChatApp key={room} room={room} />
      </ChatProvider>
    );
    const { rerender } = render(page("general"));
    await settle();
    // The first page of the document leaves the focus where the browser puts it (Tab starts at the skip link).
    expect(document.activeElement).toBe(document.body);
    const skip = () => screen.getByRole("link", { name: "Skip to the conversation" });
    // The first Tab stop of the page is the skip link, before the rooms and the header's controls.
    await userEvent.setup().tab();
    expect(skip()).toHaveFocus();
    act(() => skip().blur());
    rerender(page("dev"));
    // As on a new page: nothing (no header control) comes before it, and it leads to the conversation.
    expect(document.activeElement).toBe(skip());
    expect(document.activeElement).toHaveAttribute("href", "#chat-main");
  });

  it("puts the focus in the new room's message box after a move where there is a fine pointer (mouse, touchpad), and on the skip link on a touch screen", async () => {
    // From an outside trial: on the skip link, Japanese typed through an IME right after Alt+↓ was lost
    // (a composition has no key event to move it to the composer).
    const media = (fine: boolean) => (query: string) => ({ matches: fine && query === "(pointer: fine)", media: query, addEventListener() {}, removeEventListener() {} });
    localStorage.setItem("hibiki.name", "Aiko");
    const page = (room: string) => (
      <ChatProvider>
        <ChatApp key={room} room={room} />
      </ChatProvider>
    );
    try {
      Object.defineProperty(window, "matchMedia", { configurable: true, value: media(true) });
      const { rerender } = render(page("general"));
      await settle();
      await joinAs(latest(), "aiko");
      await waitFor(() => expect(screen.getByRole("textbox", { name: "Message #general" })).toBeEnabled());
      rerender(page("dev"));
      await waitFor(() => expect(screen.getByRole("textbox", { name: "Message #dev" })).toHaveFocus());
      Object.defineProperty(window, "matchMedia", { configurable: true, value: media(false) });
      rerender(page("random"));
      await waitFor(() => expect(screen.getByRole("link", { name: "Skip to the conversation" })).toHaveFocus());
    } finally {
      delete (window as { matchMedia?: unknown }).matchMedia;
    }
  });

  it("asks a first-time visitor for a name, remembers it and connects with it", async () => {
    const user = userEvent.setup();
    renderRoom();
    const dialog = await screen.findByRole("dialog", { name: "What should we call you?" });
    expect(sockets).toHaveLength(0);
    await user.type(within(dialog).getByRole("textbox", { name: "Display name" }), "  Aiko {Enter}");
    await settle();
    expect(localStorage.getItem("hibiki.name")).toBe("Aiko");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(latest().auth()).toEqual({ name: "Aiko", lastSeen: {} });
    expect(latest().connect).toHaveBeenCalled();
    // The keyboard goes on in the conversation, not from the top of the page.
    expect(document.getElementById("chat-main")).toHaveFocus();
  });

  it("asks again, showing the server's reason, when the name is refused", async () => {
    localStorage.setItem("hibiki.name", "bob");
    const user = userEvent.setup();
    renderRoom();
    await settle();
    act(() => {
      latest().active = false;
      latest().serve("connect_error", new Error("name is already taken"));
    });
    const dialog = screen.getByRole("dialog", { name: "What should we call you?" });
    expect(within(dialog).getByRole("alert")).toHaveTextContent("name is already taken");
    const input = within(dialog).getByRole("textbox", { name: "Display name" });
    await user.clear(input);
    await user.type(input, "bobby{Enter}");
    await settle();
    expect(latest().auth()).toMatchObject({ name: "bobby" });
  });

  it("counts against the server's longest message text from the session event, not a fixed 4,000", async () => {
    localStorage.setItem("hibiki.name", "Aiko");
    renderRoom();
    await settle();
    const socket = latest();
    act(() => socket.open());
    act(() => socket.serve("session", { name: "Aiko", guest: true, admin: false, messageMaxChars: 20 }));
    await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: [], members: [], hasMore: false, readSeq: 0 } }));
    const box = await screen.findByRole("textbox", { name: /Message/ });
    await waitFor(() => expect(box).toBeEnabled());
    await userEvent.type(box, "twenty-five characters!!");
    expect(await screen.findByText("4 characters over the limit")).toBeInTheDocument();
    await userEvent.keyboard("{Enter}");
    expect(socket.sent("send-message-to-room")).toEqual([]);
  });

  it("shows the room, its messages and members, and sends what the user writes", async () => {
    localStorage.setItem("hibiki.name", "Aiko");
    const user = userEvent.setup();
    renderRoom();
    await settle();
    await joinAs(latest(), "Aiko");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("general");
    expect(screen.getByText("Connected")).toBeInTheDocument();
    expect(within(screen.getByRole("log")).getByText("hello 1")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Members 2 here" }));
    expect(await within(screen.getByRole("complementary", { name: "Members" })).findByText("bob")).toBeInTheDocument();
    await user.type(screen.getByRole("textbox", { name: "Message #general" }), "hi bob{Enter}");
    expect(latest().lastSent("send-message-to-room").args[0]).toMatchObject({ room: "general", message: "hi bob" });
    await waitFor(() => expect(within(screen.getByRole("log")).getByText("hi bob").closest("li")).toHaveTextContent("Sending…"));
  });

  it("opens the room at the message a copied link names (#m-<id>): loads older pages until it is there and marks it", async () => {
    try {
      const socket = await openAt(message(1).id, [message(5)]);
      // Not in the newest page: the page around it is asked for, as for a search result.
      expect(socket.lastSent("history").args[0]).toEqual({ room: "general", around: message(1).id, limit: 50 });
      await act(async () => socket.lastSent("history").reply({ ok: true, data: { messages: [1, 2, 3, 4].map((n) => message(n)), hasMore: false, hasNewer: true } }));
      await settle();
      const target = within(screen.getByRole("log")).getByText("hello 1").closest("li")!;
      expect(target).toHaveAttribute("aria-current", "true");
    } finally {
      window.history.replaceState(null, "", "/");
    }
  });

  it("opens at a message a toast asks for (openMessageOnScreen) in the room on screen, not for another room", async () => {
    localStorage.setItem("hibiki.name", "Aiko");
    renderRoom();
    await settle();
    await joinAs(latest(), "Aiko");
    const item = () => within(screen.getByRole("log")).getByText("hello 1").closest("li")!;
    expect(item()).not.toHaveAttribute("aria-current");
    act(() => openMessageOnScreen("random", message(1).id));
    await settle();
    expect(item()).not.toHaveAttribute("aria-current");
    act(() => openMessageOnScreen("general", message(1).id));
    await settle();
    expect(item()).toHaveAttribute("aria-current", "true");
  });

  it("opens a message far back with one request for the page around it, and fills the hole up to the newest messages on demand", async () => {
    const far = message(100, { text: "the kraken wakes" });
    // Said 30 s after message 101, by the same author: only the hole keeps it out of 101's group.
    const newest = message(3000, { createdAt: new Date(Date.UTC(2025, 0, 2, 10, 101, 30)).toISOString() });
    try {
      const socket = await openAt(far.id, [newest, message(3001, { createdAt: newest.createdAt })]);
      const asked = socket.sent("history");
      expect(asked).toHaveLength(1);
      expect(asked[0].args[0]).toEqual({ room: "general", around: far.id, limit: 50 });
      await act(async () => asked[0].reply({ ok: true, data: { messages: [message(99), far, message(101)], hasMore: true, hasNewer: true } }));
      await settle();
      // No paging back: the message is there, marked, with a break before the newest messages.
      expect(socket.sent("history")).toHaveLength(1);
      const log = screen.getByRole("log");
      expect(within(log).getByText("the kraken wakes").closest("li")).toHaveAttribute("aria-current", "true");
      // The page in use (a click on the message): the list's keys are fetched, and once there they give the
      // found message the focus.
      await userEvent.click(within(log).getByText("the kraken wakes"));
      await act(async () => void (await import("@/components/chat/message-keys")));
      await settle();
      expect(within(log).getByText("the kraken wakes").closest("li")).toHaveFocus();
      const items = within(log).getAllByRole("listitem").map((li) => li.textContent ?? "");
      const gapAt = items.findIndex((t) => t.includes("Show newer messages"));
      expect(gapAt).toBeGreaterThan(items.findIndex((t) => t.includes("hello 101")));
      expect(gapAt).toBeLessThan(items.findIndex((t) => t.includes("hello 3000")));
      // Across the hole the messages are not consecutive: the first after it starts a group (its author shown).
      expect(within(log).getByText("hello 3000").closest("li")).not.toHaveClass("message-continued");
      // The hole is filled from its lower edge; the button keeps the focus while it loads and after.
      const more = within(log).getByRole("button", { name: "Show newer messages" });
      await userEvent.click(more);
      expect(socket.lastSent("history").args[0]).toEqual({ room: "general", around: message(101).id, limit: 100 });
      expect(more).toHaveFocus();
      await act(async () => socket.lastSent("history").reply({
        ok: true, data: { messages: [message(101), message(102), message(103)], hasMore: true, hasNewer: true },
      }));
      await settle();
      expect(within(log).getByRole("button", { name: "Show newer messages" })).toHaveFocus();
      await userEvent.keyboard("{Enter}");
      expect(socket.lastSent("history").args[0]).toEqual({ room: "general", around: message(103).id, limit: 100 });
      // A page that reaches the newest held closes it; the focus goes to the first message that filled it.
      await act(async () => socket.lastSent("history").reply({
        ok: true, data: { messages: [message(103), message(104), newest], hasMore: true, hasNewer: true },
      }));
      await settle();
      expect(within(log).queryByRole("button", { name: "Show newer messages" })).toBeNull();
      expect(within(log).getByText("hello 102")).toBeInTheDocument();
      expect(document.getElementById(`m-${message(104).id}`)).toHaveFocus();
    } finally {
      window.history.replaceState(null, "", "/");
    }
  });

  it("says so when the message a link names is gone", async () => {
    try {
      const socket = await openAt(message(7).id, [message(50)]);
      await act(async () => socket.lastSent("history").reply({ ok: false, error: { code: "not_found", message: "no such message in this room" } }));
      expect(await screen.findByText(isolated`That message is no longer in ${"#general"}.`)).toHaveAttribute("role", "status");
    } finally {
      window.history.replaceState(null, "", "/");
    }
  });

  it("holds sending with the reason while the connection is down, leaving the text field to write in", async () => {
    localStorage.setItem("hibiki.name", "Aiko");
    renderRoom();
    await settle();
    await joinAs(latest(), "Aiko");
    const input = screen.getByRole("textbox", { name: "Message #general" });
    await waitFor(() => expect(input).toBeEnabled());
    await userEvent.type(input, "half a ");
    act(() => latest().drop("transport close"));
    expect(input).toBeEnabled();
    expect(input).toHaveFocus();
    expect(input).toHaveAccessibleDescription("The connection was lost. Reconnecting…");
    expect(screen.getByRole("button", { name: "Send message" })).toBeDisabled();
    await userEvent.type(input, "sentence{Enter}");
    expect(input).toHaveValue("half a sentence");
    expect(latest().sent("send-message-to-room")).toEqual([]);
  });

  it.each(["the room's page", "the message's ack"])("takes text and sends it while the room is still opening, %s coming first: nothing typed or sent right after a move is lost", async (first) => {
    localStorage.setItem("hibiki.name", "Aiko");
    renderRoom();
    await settle();
    act(() => latest().open());
    const input = await screen.findByRole("textbox", { name: "Message #general" });
    // Until the server says who this is, the field waits.
    expect(input).toBeDisabled();
    act(() => latest().serve("session", { name: "Aiko", guest: true, admin: false }));
    // The join is not answered yet: the field takes text, and Enter sends it to this room.
    expect(latest().sent("join-room")).toHaveLength(1);
    expect(input).toBeEnabled();
    await userEvent.type(input, "written while opening{Enter}");
    expect(latest().lastSent("send-message-to-room").args[0]).toMatchObject({ room: "general", message: "written while opening" });
    expect(input).toHaveValue("");
    const { clientId } = latest().lastSent("send-message-to-room").args[0] as { clientId: string };
    const joined = () => act(async () => latest().lastSent("join-room").reply({
      ok: true, data: { room: {}, messages: [message(1, { author: "bob" })], members: [{ name: "Aiko", online: true }], hasMore: false, readSeq: 1 },
    }));
    const acked = () => act(async () => latest().lastSent("send-message-to-room").reply({
      ok: true, data: { message: message(2, { author: "Aiko", text: "written while opening", clientId }) },
    }));
    if (first === "the message's ack") await acked();
    await joined();
    const log = await screen.findByRole("log", { name: /general/ });
    expect(within(log).getByText("written while opening")).toBeInTheDocument();
    if (first === "the room's page") await acked();
    expect(within(log).getAllByText("written while opening")).toHaveLength(1);
    expect(within(log).getByText("hello 1")).toBeInTheDocument();
  });

  it("locks the text field of a room that refused the join, with the reason", async () => {
    localStorage.setItem("hibiki.name", "Aiko");
    renderRoom();
    await settle();
    act(() => latest().open());
    await act(async () => latest().lastSent("join-room").reply({ ok: false, error: { code: "forbidden", message: "not a member" } }));
    const input = await screen.findByRole("textbox", { name: "Message #general" });
    expect(input).toBeDisabled();
    expect(input).toHaveAccessibleDescription("You can't post in this room.");
  });

  it("ends a typist's hint as soon as their message arrives, and only theirs, only in that room", async () => {
    localStorage.setItem("hibiki.name", "Aiko");
    renderRoom();
    await settle();
    await joinAs(latest(), "Aiko");
    const hint = () => screen.getAllByRole("status").find((el) => el.classList.contains("typing-indicator"))!;
    act(() => {
      latest().serve("typing", { room: "general", author: "bob" });
      latest().serve("typing", { room: "general", author: "carol" });
      latest().serve("typing", { room: "random", author: "bob" });
    });
    expect(hint()).toHaveTextContent(isolated`${"bob"} and ${"carol"} are typing…`);
    // Bob's message elsewhere ends his hint there, not here.
    act(() => latest().serve("receive-message", message(9, { room: "random", author: "bob", text: "over there" })));
    expect(hint()).toHaveTextContent(isolated`${"bob"} and ${"carol"} are typing…`);
    act(() => latest().serve("receive-message", message(2, { author: "bob", text: "done typing" })));
    expect(within(screen.getByRole("log")).getByText("done typing")).toBeInTheDocument();
    expect(hint()).toHaveTextContent(isolated`${"carol"} is typing…`);
    expect(hint()).not.toHaveTextContent("bob");
    act(() => latest().serve("receive-message", message(3, { author: "carol", text: "me too" })));
    expect(hint()).not.toHaveTextContent("typing");
  });

  it("shows messages that arrive out of seq order in seq order", async () => {
    localStorage.setItem("hibiki.name", "Aiko");
    renderRoom();
    await settle();
    await joinAs(latest(), "Aiko");
    // Two instances deliver independently: seq 3 may overtake seq 2.
    act(() => latest().serve("receive-message", message(3, { author: "bob" })));
    act(() => latest().serve("receive-message", message(2, { author: "carol" })));
    const texts = within(screen.getByRole("log")).getAllByText(/^hello \d$/).map((el) => el.textContent);
    expect(texts).toEqual(["hello 1", "hello 2", "hello 3"]);
  });

  /** A room as list-rooms lists it: public, read to its one message, unless `more` says otherwise. */
  const listed = (name: string, more: object = {}) => ({ name, kind: "public", private: false, online: 1, unread: 0, mentions: 0, lastSeq: 1, lastMessageId: null, ...more });

  /** Aiko (`who`) connected, in general with one message, the sidebar listing `rooms`; her socket. */
  async function inGeneralWith(who: { guest: boolean }, rooms: object[]) {
    localStorage.setItem("hibiki.name", "Aiko");
    renderRoom();
    await settle();
    const socket = latest();
    act(() => socket.open());
    act(() => socket.serve("session", { name: "Aiko", guest: who.guest, admin: false }));
    await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: [message(1)], members: [], hasMore: false, readSeq: 1 } }));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms } }));
    return socket;
  }

  it("says on the phone's menu button when other rooms have unread messages or mentions, live, leaving out muted rooms and the open one", async () => {
    const socket = await inGeneralWith({ guest: true }, [listed("general", { unread: 4 }), listed("dev"), listed("quiet", { unread: 3, level: "none" })]);
    const menu = () => screen.getByRole("button", { name: /^Open rooms menu/ });
    const badge = () => menu().querySelector(".menu-badge");
    // Unread messages in the open room and in a muted one do not call.
    expect(menu()).toHaveAccessibleName("Open rooms menu");
    expect(badge()).toBeNull();
    // A message in another room does, at once.
    act(() => socket.serve("room-activity", { room: "dev", lastSeq: 2, lastMessageId: "m2", author: "bob" }));
    expect(menu()).toHaveAccessibleName("Open rooms menu (1 room with unread messages)");
    expect(badge()).not.toBeNull();
    expect(badge()).not.toHaveTextContent("@");
    // A mention, even in the muted room, is marked apart.
    act(() => socket.serve("room-activity", { room: "quiet", lastSeq: 2, lastMessageId: "m3", author: "bob" }));
    act(() => socket.serve("room-mention", { room: "quiet", id: "m3" }));
    expect(menu()).toHaveAccessibleName("Open rooms menu (2 rooms with unread messages, with mentions)");
    expect(badge()).toHaveTextContent("@");
  });

  it("does not show the reader's own message in another room as unread (sent there once its files were up, or from another tab), only someone else's", async () => {
    const socket = await inGeneralWith({ guest: false }, [listed("general"), listed("dev")]);
    const dev = () => screen.getByRole("link", { name: /^dev/ });
    const menu = () => screen.getByRole("button", { name: /^Open rooms menu/ });
    // The server stored Aiko's message in dev, where this tab is not: her read marker moved with it.
    act(() => socket.serve("room-activity", { room: "dev", lastSeq: 2, lastMessageId: "m2", author: "Aiko" }));
    expect(dev()).toHaveAccessibleName("dev, 1 here");
    expect(dev().querySelector(".unread-badge")).toBeNull();
    expect(menu()).toHaveAccessibleName("Open rooms menu");
    act(() => socket.serve("room-activity", { room: "dev", lastSeq: 3, lastMessageId: "m3", author: "bob" }));
    expect(dev()).toHaveAccessibleName("dev, 1 unread, 1 here");
    expect(dev().querySelector(".unread-badge")).toHaveTextContent("1");
    expect(menu()).toHaveAccessibleName("Open rooms menu (1 room with unread messages)");
  });

  it("does not say a thread has new replies for the reader's own reply, only for someone else's after it", async () => {
    localStorage.setItem("hibiki.name", "Aiko");
    renderRoom();
    await settle();
    const socket = latest();
    act(() => socket.open());
    act(() => socket.serve("session", { name: "Aiko", guest: false, admin: false }));
    // bob wrote 2 while Aiko was elsewhere: the room opens with a New line after 1 (the join found her marker there).
    await act(async () => socket.lastSent("join-room").reply({
      ok: true, data: { room: {}, messages: [message(1, { author: "bob" }), message(2, { author: "bob" })], members: [], hasMore: false, readSeq: 2, readBefore: 1 },
    }));
    await act(async () => socket.lastSent("list-rooms").reply({
      ok: true, data: { rooms: [{ name: "general", kind: "public", private: false, online: 1, unread: 0, mentions: 0, lastSeq: 2, readSeq: 2, lastMessageId: message(2).id }] },
    }));
    expect(screen.getByText("New")).toBeInTheDocument();
    // A reply to 1 arrives as a message of the room, then its root with its new `replies`.
    const reply = (seq: number, author: string, count: number) => {
      act(() => socket.serve("receive-message", message(seq, { author, threadId: message(1).id })));
      act(() => socket.serve("message-updated", message(1, {
        author: "bob", replies: { count, lastAt: message(seq).createdAt, lastSeq: seq }, changeId: String(100 + seq).padStart(16, "0"), changeSeq: count,
      })));
    };
    const thread = () => screen.getByRole("button", { name: /^\d+ repl/ });
    reply(3, "Aiko", 1);
    expect(thread()).toHaveTextContent(/^1 reply$/);
    reply(4, "Aiko", 2);
    expect(thread()).toHaveTextContent(/^2 replies$/);
    reply(5, "bob", 3);
    expect(thread()).toHaveTextContent(/^3 replies · new$/);
  });

  it("tells the page's level views (header, list, badge) to read the levels again when the server says one was chosen elsewhere", async () => {
    localStorage.setItem("hibiki.name", "Aiko");
    renderRoom();
    await settle();
    const socket = latest();
    await joinAs(socket, "Aiko");
    const heard = jest.fn();
    window.addEventListener("hibiki:levels-changed", heard);
    try {
      act(() => socket.serve("levels-changed"));
      expect(heard).toHaveBeenCalledTimes(1);
    } finally {
      window.removeEventListener("hibiki:levels-changed", heard);
    }
  });

  it("opens the phone menu with a labelled button", async () => {
    localStorage.setItem("hibiki.name", "Aiko");
    const user = userEvent.setup();
    renderRoom();
    await settle();
    const menu = screen.getByRole("button", { name: "Open rooms menu" });
    expect(menu).toHaveAttribute("aria-expanded", "false");
    await user.click(menu);
    expect(menu).toHaveAttribute("aria-expanded", "true");
    // The drawer is modal: the room behind it is inert while it is open.
    const main = document.getElementById("chat-main")!;
    expect(main).toHaveAttribute("inert");
    // Esc in the drawer closes it and gives the focus back to the button that opened it, once the room
    // is no longer inert (jsdom focuses inert elements; a browser does not, and the focus would drop to
    // the document).
    const inertWhenFocused: boolean[] = [];
    menu.addEventListener("focus", () => inertWhenFocused.push(main.hasAttribute("inert")));
    screen.getByRole("button", { name: "Close rooms menu" }).focus();
    await user.keyboard("{Escape}");
    expect(menu).toHaveAttribute("aria-expanded", "false");
    expect(menu).toHaveFocus();
    expect(main).not.toHaveAttribute("inert");
    // So does its close button.
    await user.click(menu);
    await user.click(screen.getByRole("button", { name: "Close rooms menu" }));
    expect(menu).toHaveFocus();
    expect(inertWhenFocused).toEqual([false, false]);
    // So does choosing the room already open (nothing to go to; the link goes with the drawer).
    await user.click(menu);
    const sidebar = screen.getByRole("navigation", { name: /rooms/i });
    const here = within(sidebar).getAllByRole("link").find((a) => a.getAttribute("aria-current") === "page")!;
    here.focus();
    await user.keyboard("{Enter}");
    expect(menu).toHaveAttribute("aria-expanded", "false");
    expect(menu).toHaveFocus();
    expect(inertWhenFocused).toEqual([false, false, false]);
  });
});

/** A room page whose members panel was opened with a click on the header's toggle. */
async function openMembers() {
  localStorage.setItem("hibiki.name", "Aiko");
  const user = userEvent.setup();
  renderRoom();
  await settle();
  const toggle = document.querySelector<HTMLButtonElement>(".members-toggle")!;
  await user.click(toggle);
  expect(toggle).toHaveAttribute("aria-expanded", "true");
  return { user, toggle };
}

describe("ChatApp members panel", () => {
  it("closes with its own button (the phone's panel covers the header's toggle) and gives the focus back to the toggle", async () => {
    const { user, toggle } = await openMembers();
    expect(document.getElementById("chat-members")).not.toHaveAttribute("hidden");
    await user.click(screen.getByRole("button", { name: "Close members" }));
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(document.getElementById("chat-members")).toHaveAttribute("hidden");
    expect(toggle).toHaveFocus();
  });
});

describe("ChatApp members panel, opened", () => {
  /** The stylesheet's rule for wide screens: the panel sits beside the conversation and has no close button. */
  function wideScreen() {
    const style = document.head.appendChild(document.createElement("style"));
    style.textContent = ".members-close { display: none; }";
    return () => style.remove();
  }

  it("takes the focus in where it covers the page (phones: its close button shows), as the rooms drawer does", async () => {
    await openMembers();
    expect(screen.getByRole("button", { name: "Close members" })).toHaveFocus();
  });

  it("leaves the focus on its toggle beside the conversation (wide screens: no close button)", async () => {
    const narrowAgain = wideScreen();
    try {
      const { toggle } = await openMembers();
      expect(toggle).toHaveFocus();
    } finally {
      narrowAgain();
    }
  });

  it("makes the room behind it inert where it covers the page (phones), as the rooms drawer does, until it closes", async () => {
    const { user, toggle } = await openMembers();
    const main = document.getElementById("chat-main")!;
    expect(main).toHaveAttribute("inert");
    // The focus goes back to the toggle once the room is no longer inert (a browser does not focus an
    // inert element; jsdom does, hence the record).
    const inertWhenFocused: boolean[] = [];
    toggle.addEventListener("focus", () => inertWhenFocused.push(main.hasAttribute("inert")));
    await user.click(screen.getByRole("button", { name: "Close members" }));
    expect(toggle).toHaveFocus();
    expect(main).not.toHaveAttribute("inert");
    // Esc from inside it does the same.
    await user.click(toggle);
    expect(main).toHaveAttribute("inert");
    expect(screen.getByRole("button", { name: "Close members" })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(toggle).toHaveFocus();
    expect(main).not.toHaveAttribute("inert");
    expect(inertWhenFocused).toEqual([false, false]);
  });

  it("leaves the room within reach beside the conversation (wide screens), and follows the window turning narrow and wide again", async () => {
    let narrowAgain = wideScreen();
    try {
      const { toggle } = await openMembers();
      const main = document.getElementById("chat-main")!;
      expect(main).not.toHaveAttribute("inert");
      expect(toggle).toHaveFocus();
      // A phone turned upright: the panel now covers the page, and the focus would be lost behind it.
      narrowAgain();
      act(() => void window.dispatchEvent(new Event("resize")));
      expect(main).toHaveAttribute("inert");
      expect(screen.getByRole("button", { name: "Close members" })).toHaveFocus();
      // Turned back: the panel sits beside the conversation again, and the focus, on the close button
      // now hidden, goes to the toggle rather than to the page.
      narrowAgain = wideScreen();
      act(() => void window.dispatchEvent(new Event("resize")));
      expect(main).not.toHaveAttribute("inert");
      expect(toggle).toHaveFocus();
    } finally {
      narrowAgain();
    }
  });

  it.each([
    ["the close button, now hidden", (close: HTMLElement) => close.focus(), "toggle"],
    ["nothing (the browser dropped it to the page)", (close: HTMLElement) => close.blur(), "toggle"],
    ["a field of the panel, still shown", (_close: HTMLElement, field: HTMLElement) => field.focus(), "field"],
  ] as const)("on turning wide with the focus on %s, puts it on a control that is shown", async (_what, place, expected) => {
    const { toggle } = await openMembers();
    const close = screen.getByRole("button", { name: "Close members" });
    const field = document.getElementById("chat-members")!.appendChild(document.createElement("input"));
    // A browser does not focus an inert element (jsdom does): the room must be inert no more by then.
    const main = document.getElementById("chat-main")!;
    const inertWhenFocused: boolean[] = [];
    toggle.addEventListener("focus", () => inertWhenFocused.push(main.hasAttribute("inert")));
    const narrowAgain = wideScreen();
    try {
      place(close, field);
      act(() => void window.dispatchEvent(new Event("resize")));
      expect(expected === "field" ? field : toggle).toHaveFocus();
      expect(inertWhenFocused).toEqual(expected === "field" ? [] : [false]);
    } finally {
      narrowAgain();
      field.remove();
    }
  });

});

describe("ChatApp announcements (one polite region for the page)", () => {
  /** The sentences the page's announcer has said so far, in order. */
  const announced = () => [...document.querySelectorAll(".chat-announcer p")].map((p) => p.textContent);

  async function open(messages = [message(1, { author: "bob" })]) {
    localStorage.setItem("hibiki.name", "Aiko");
    renderRoom();
    await settle();
    const socket = latest();
    act(() => socket.open());
    act(() => socket.serve("session", { name: "Aiko", guest: true, admin: false }));
    await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages, members: [], hasMore: false, readSeq: 1 } }));
    const room = (name: string, unread = 0) => ({ name, kind: "public", private: false, online: 1, unread, lastSeq: 1, lastMessageId: null });
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [room("general"), room("dev"), room("ops")] } }));
    const region = document.querySelector(".chat-announcer")!;
    expect(region).toHaveAttribute("aria-live", "polite");
    expect(region).toHaveAttribute("aria-relevant", "additions");
    expect(region).toHaveClass("visually-hidden");
    return socket;
  }

  it("says there is no unread room when Shift+Alt+↓ or ↑ finds none, each time, and goes nowhere", async () => {
    await open();
    expect(announced()).toEqual([]);
    await userEvent.keyboard("{Shift>}{Alt>}{ArrowDown}{/Alt}{/Shift}");
    expect(announced()).toEqual(["No unread rooms"]);
    await userEvent.keyboard("{Shift>}{Alt>}{ArrowUp}{/Alt}{/Shift}");
    expect(announced()).toEqual(["No unread rooms", "No unread rooms"]);
    expect(push).not.toHaveBeenCalled();
    // Alt+↓ alone goes to the next room, and says nothing.
    await userEvent.keyboard("{Alt>}{ArrowDown}{/Alt}");
    expect(push).toHaveBeenCalledWith("/rooms/ops");
    expect(announced()).toHaveLength(2);
  });

  it("announces a reaction added or taken away once the server has it, and not a refused one", async () => {
    const user = userEvent.setup();
    const socket = await open([message(1, { author: "bob", reactions: [{ emoji: "👍", count: 1, users: ["bob"] }] })]);
    const chip = () => screen.getByRole("button", { name: /^👍 / });
    await user.click(chip());
    expect(chip()).toHaveAttribute("aria-pressed", "true");
    expect(announced()).toEqual([]);
    await act(async () => socket.lastSent("react").reply({ ok: true, data: {} }));
    expect(announced()).toEqual([isolated`Reacted with ${"👍"}`]);
    await user.click(chip());
    await act(async () => socket.lastSent("react").reply({ ok: true, data: {} }));
    expect(announced()).toEqual([isolated`Reacted with ${"👍"}`, isolated`Removed ${"👍"}`]);
    await user.click(chip());
    await act(async () => socket.lastSent("react").reply({ ok: false, error: { code: "forbidden", message: "Reactions are off here." } }));
    expect(await screen.findByRole("alert")).toHaveTextContent(isolated`Not changed: ${"You are not allowed to do this."}`);
    expect(announced()).toHaveLength(2);
  });
});

describe("ChatApp in the UI's language: refusals and what a shortcut found", () => {
  beforeAll(() => loadLang("ja"));
  const announced = () => [...document.querySelectorAll(".chat-announcer p")].map((p) => p.textContent);
  const room = (name: string) => ({ name, kind: "public", private: false, online: 1, unread: 0, lastSeq: 1, lastMessageId: null });

  /** The chat in `lang`, in #general, joined (or its join refused with `joinRefusal`) among `rooms`. */
  async function openIn(lang: "en" | "ja", { rooms = ["general"], messages = [message(1, { author: "bob" })], joinRefusal }: { rooms?: string[]; messages?: ReturnType<typeof message>[]; joinRefusal?: object } = {}) {
    localStorage.setItem("hibiki.name", "Aiko");
    render(
      <LangProvider lang={lang}>
        <ChatProvider>
          <ChatApp room="general" />
        </ChatProvider>
      </LangProvider>,
    );
    await settle();
    const socket = latest();
    act(() => socket.open());
    act(() => socket.serve("session", { name: "Aiko", guest: true, admin: false }));
    await act(async () => socket.lastSent("join-room").reply(joinRefusal ? { ok: false, error: joinRefusal } : { ok: true, data: { room: {}, messages, members: [], hasMore: false, readSeq: 1 } }));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: rooms.map(room) } }));
    return socket;
  }

  it.each([
    ["en", "No other rooms", "No unread rooms"],
    ["ja", "ほかのルームはありません", "未読のルームはありません"],
  ] as const)("says there is no other room when Alt+↓ or ↑ finds none (one room), each time, and goes nowhere (%s)", async (lang, noOther, noUnread) => {
    await openIn(lang);
    expect(announced()).toEqual([]);
    await userEvent.keyboard("{Alt>}{ArrowDown}{/Alt}");
    expect(announced()).toEqual([noOther]);
    await userEvent.keyboard("{Alt>}{ArrowUp}{/Alt}");
    expect(announced()).toEqual([noOther, noOther]);
    // Shift+Alt still says what it looked for.
    await userEvent.keyboard("{Shift>}{Alt>}{ArrowDown}{/Alt}{/Shift}");
    expect(announced()).toEqual([noOther, noOther, noUnread]);
    expect(push).not.toHaveBeenCalled();
  });

  it("says why the server refused the display name by the refusal's reason, in Japanese, not in its English", async () => {
    localStorage.setItem("hibiki.name", "とても長い名前");
    render(
      <LangProvider lang="ja">
        <ChatProvider>
          <ChatApp room="general" />
        </ChatProvider>
      </LangProvider>,
    );
    await settle();
    const refusal = Object.assign(new Error("name must be at most 32 characters"), {
      data: { code: "bad_request", message: "name must be at most 32 characters", reason: "name_too_long", field: "name", limit: 32 },
    });
    act(() => {
      latest().active = false;
      latest().serve("connect_error", refusal);
    });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("32 文字");
    expect(alert).not.toHaveTextContent("must be at most");
  });

  it("says why a message was not sent by the server's reason, in Japanese, not in the server's English", async () => {
    const socket = await openIn("ja");
    await userEvent.type(screen.getByRole("textbox", { name: /へのメッセージ/ }), "長い話{Enter}");
    const refusal = { code: "too_large", message: "message must be at most 10 characters", reason: "text_too_long", limit: 10 };
    await act(async () => socket.lastSent("send-message-to-room").reply({ ok: false, error: refusal }));
    const item = within(screen.getByRole("log")).getByText("長い話").closest("li")!;
    await waitFor(() => expect(item).toHaveTextContent(isolated`送信できませんでした: ${"テキストは 10 文字以内にしてください。"}`));
    expect(item).not.toHaveTextContent("message must be");
    // An alert, so the person who pressed Enter hears why it did not go.
    expect(within(item).getByRole("alert")).toHaveTextContent("送信できませんでした");
    expect(within(item).getByRole("button", { name: "再送信" })).toBeInTheDocument();
  });

  it("says why a reaction was not taken, in Japanese: the server's refusal by its code, or that no answer came", async () => {
    const user = userEvent.setup();
    const socket = await openIn("ja", { messages: [message(1, { author: "bob", reactions: [{ emoji: "👍", count: 1, users: ["bob"] }] })] });
    const chip = () => screen.getByRole("button", { name: /^👍 \d/ });
    await user.click(chip());
    await act(async () => socket.lastSent("react").reply({ ok: false, error: { code: "not_found", message: "that message was deleted" } }));
    expect(await screen.findByRole("alert")).toHaveTextContent(isolated`変更できませんでした: ${"見つかりません。削除された可能性があります。"}`);
    await user.click(chip());
    await act(async () => socket.lastSent("react").fail());
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent(isolated`変更できませんでした: ${"サーバーから応答がありませんでした。もう一度お試しください。"}`));
    expect(announced()).toEqual([]);
  });

  it("says why the room could not be opened, in Japanese", async () => {
    await openIn("ja", { joinRefusal: { code: "not_found", message: 'no room named "general"' } });
    const alert = await screen.findByRole("alert");
    await waitFor(() => expect(alert).toHaveTextContent("見つかりません。削除された可能性があります。"));
    expect(alert).not.toHaveTextContent("no room named");
  });
});
