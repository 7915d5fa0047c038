/** @jest-environment jsdom */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Member, RoomSummary } from "@/lib/realtime/events";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { guestSession, mockFetch, userSession } from "../helpers/fetch-mock";
import { fakeIo, type FakeSocket } from "./fake-socket";
import { message } from "./fixtures";
import { isolated } from "@/tests/components/helpers/isolated";
import { resetMentionDirectory } from "@/components/chat/markdown/mention-directory";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
const push = jest.fn();
const replace = jest.fn();
jest.mock("next/navigation", () => ({ useRouter: () => ({ push, replace }) }));

let sockets: FakeSocket[];
const latest = () => sockets[sockets.length - 1];
const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));

const summary = (name: string, over: Partial<RoomSummary> = {}): RoomSummary => ({
  name, kind: "public", private: false, online: 1, unread: 0, lastSeq: 1, lastMessageId: null, ...over,
});
const secret = summary("secret", { kind: "private", private: true });

beforeEach(() => {
  localStorage.clear();
  push.mockClear();
  replace.mockClear();
  sockets = fakeIo();
});

function renderRoom(room = "general") {
  const ui = (r: string) => (
    <ChatProvider>
      <ChatApp room={r} />
    </ChatProvider>
  );
  const utils = render(ui(room));
  return { ...utils, goTo: (r: string) => utils.rerender(ui(r)) };
}

/**
 * Connects the latest socket as `name`, lists `rooms` and answers the join of `room` (a room not known
 * to exist is joined once the list has it: room-lookup.ts).
 */
async function enter(name: string, room: string, rooms: RoomSummary[], members: Member[] = [{ name, online: true }]) {
  const socket = latest();
  act(() => socket.open());
  act(() => socket.serve("session", { name, guest: false, admin: false }));
  await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms } }));
  await act(async () => socket.lastSent("join-room").reply({
    ok: true, data: { room: {}, messages: [message(1, { room })], members, hasMore: false, readSeq: 1 },
  }));
  return socket;
}

describe("ChatProvider identity", () => {
  it("connects a signed-in user by cookie without asking for a name", async () => {
    mockFetch([{ path: "/api/session", body: userSession("aiko", true) }]);
    renderRoom();
    await settle();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(latest().connect).toHaveBeenCalled();
    await enter("aiko", "general", [summary("general")]);
    await userEvent.click(screen.getByRole("button", { name: "Account menu for aiko" }));
    // The menu's actions are fetched when it first opens.
    const adminLink = await screen.findByRole("link", { name: "Admin" });
    expect(adminLink).toHaveAttribute("href", "/admin");
    // Tab order: the items follow the menu's button (it opens above it on screen), and Esc closes it.
    const menuButton = screen.getByRole("button", { name: "Account menu for aiko" });
    expect(menuButton.compareDocumentPosition(adminLink) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    adminLink.focus();
    await userEvent.keyboard("{Escape}");
    expect(menuButton).toHaveAttribute("aria-expanded", "false");
    expect(menuButton).toHaveFocus();
    // A press elsewhere closes it too, and so does the focus going elsewhere (an outside trial: it stayed
    // open behind the search panel after a click in the messages); a press inside it does not.
    await userEvent.click(menuButton);
    expect(menuButton).toHaveAttribute("aria-expanded", "true");
    await userEvent.click(screen.getByRole("link", { name: "Admin" }).closest("div")!);
    expect(menuButton).toHaveAttribute("aria-expanded", "true");
    await userEvent.click(screen.getByRole("log"));
    expect(menuButton).toHaveAttribute("aria-expanded", "false");
    await userEvent.click(menuButton);
    expect(menuButton).toHaveAttribute("aria-expanded", "true");
    screen.getByRole("textbox", { name: "Message #general" }).focus();
    await waitFor(() => expect(menuButton).toHaveAttribute("aria-expanded", "false"));
  });

  it("sends a visitor to /signin when the server takes no guests", async () => {
    mockFetch([{ path: "/api/session", body: { user: null, setupRequired: false, guestAccess: false } }]);
    window.history.replaceState(null, "", "/rooms/general");
    renderRoom();
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/signin?next=%2Frooms%2Fgeneral"));
    expect(sockets).toHaveLength(0);
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("sends everyone to /setup on a first run", async () => {
    mockFetch([{ path: "/api/session", body: { user: null, setupRequired: true, guestAccess: true } }]);
    renderRoom();
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/setup"));
    expect(sockets).toHaveLength(0);
  });

  it("goes to /signin when the server refuses the connection as unauthorized", async () => {
    mockFetch([{ path: "/api/session", body: userSession() }]);
    renderRoom();
    await settle();
    act(() => {
      latest().active = false;
      latest().serve("connect_error", new Error("unauthorized"));
    });
    expect(replace).toHaveBeenCalledWith(expect.stringMatching(/^\/signin/));
  });

  it("asks again after the server closed the connection (signed out elsewhere, deactivated) and goes to /signin when refused", async () => {
    mockFetch([{ path: "/api/session", body: userSession() }]);
    renderRoom();
    await settle();
    const socket = latest();
    act(() => socket.open());
    expect(socket.connect).toHaveBeenCalledTimes(1);
    act(() => {
      // What socket.io-client does on "io server disconnect": it stops, and would stay stopped.
      socket.active = false;
      socket.drop("io server disconnect");
    });
    await waitFor(() => expect(socket.connect).toHaveBeenCalledTimes(2));
    act(() => {
      socket.active = false;
      socket.serve("connect_error", new Error("unauthorized"));
    });
    // The sign-in page is told the session ended (it says so), and comes back here.
    expect(replace).toHaveBeenCalledWith("/signin?next=%2Frooms%2Fgeneral&ended=1");
  });

  // With guest access on, asking again after the close came back as a guest under the account's name and
  // was refused as a taken name, leaving the tab on the room (a second outside trial): the server's word
  // sends it to the sign-in page at once, and nothing asks again.
  it.each(["account_deactivated", "guest_access_off", "signed_out"])(
    "goes to the sign-in page, saying why, as soon as the server says the session ended (%s), and does not ask again",
    async (reason) => {
      mockFetch([{ path: "/api/session", body: userSession() }]);
      renderRoom();
      await settle();
      const socket = latest();
      act(() => socket.open());
      expect(socket.connect).toHaveBeenCalledTimes(1);
      act(() => socket.serve("session-ended", { reason }));
      expect(replace).toHaveBeenCalledWith(`/signin?next=%2Frooms%2Fgeneral&ended=${reason}`);
      act(() => {
        socket.active = false;
        socket.drop("io server disconnect");
      });
      await act(() => new Promise((r) => setTimeout(r, 1_000)));
      expect(socket.connect).toHaveBeenCalledTimes(1);
    },
  );

  it("signs out through the account menu", async () => {
    const { calls } = mockFetch([
      { path: "/api/session", body: userSession() },
      { method: "DELETE", path: "/api/session", status: 204 },
    ]);
    const user = userEvent.setup();
    renderRoom();
    await settle();
    await enter("aiko", "general", [summary("general")]);
    await user.click(screen.getByRole("button", { name: "Account menu for aiko" }));
    // The menu's actions are fetched when it first opens: wait for them before looking for what it leaves out.
    const signOut = await screen.findByRole("button", { name: "Sign out" });
    expect(screen.queryByRole("link", { name: "Admin" })).toBeNull();
    await user.click(signOut);
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/signin"));
    expect(calls.some((c) => c.method === "DELETE" && c.path === "/api/session")).toBe(true);
  });

  it("ends this browser's push subscription on signing out, so the next person here is not subscribed", async () => {
    mockFetch([
      { path: "/api/session", body: userSession() },
      { method: "DELETE", path: "/api/session", status: 204 },
    ]);
    // The browser's push machinery as far as the page uses it, holding aiko's subscription.
    const unsubscribe = jest.fn(async () => true);
    const registration = { pushManager: { getSubscription: jest.fn(async () => ({ endpoint: "https://push.example/aiko", unsubscribe })) } };
    Object.defineProperty(navigator, "serviceWorker", { configurable: true, value: { getRegistration: jest.fn(async () => registration) } });
    const w = window as unknown as { PushManager?: unknown; Notification?: unknown };
    w.PushManager = function PushManager() {};
    w.Notification = { permission: "granted" };
    try {
      const user = userEvent.setup();
      renderRoom();
      await settle();
      await enter("aiko", "general", [summary("general")]);
      await user.click(screen.getByRole("button", { name: "Account menu for aiko" }));
      await user.click(await screen.findByRole("button", { name: "Sign out" }));
      await waitFor(() => expect(replace).toHaveBeenCalledWith("/signin"));
      expect(unsubscribe).toHaveBeenCalledTimes(1);
    } finally {
      delete w.PushManager;
      delete w.Notification;
      delete (navigator as unknown as { serviceWorker?: unknown }).serviceWorker;
    }
  });

  it("offers guests neither private rooms nor direct messages", async () => {
    mockFetch([{ path: "/api/session", body: guestSession }]);
    localStorage.setItem("hibiki.name", "visitor");
    const user = userEvent.setup();
    renderRoom();
    await settle();
    await user.click(screen.getByRole("button", { name: "New room" }));
    // The form is fetched when first opened: wait for it before looking for what it leaves out.
    await screen.findByRole("textbox", { name: "Room name" });
    expect(screen.queryByRole("checkbox", { name: /private/i })).toBeNull();
    expect(screen.queryByRole("button", { name: "New message" })).toBeNull();
  });
});

describe("rooms for signed-in users", () => {
  beforeEach(() => {
    mockFetch([{ path: "/api/session", body: userSession() }]);
  });

  it("creates a private room", async () => {
    const user = userEvent.setup();
    renderRoom();
    await settle();
    const socket = await enter("aiko", "general", [summary("general")]);
    await user.click(screen.getByRole("button", { name: "New room" }));
    await user.type(await screen.findByRole("textbox", { name: "Room name" }), "plans");
    await user.click(screen.getByRole("checkbox", { name: /private/i }));
    await user.click(screen.getByRole("button", { name: "Create or join" }));
    expect(socket.lastSent("create-room").args[0]).toEqual({ name: "plans", private: true });
    await act(async () => socket.lastSent("create-room").reply({ ok: true, data: { room: summary("plans", { kind: "private", private: true }) } }));
    expect(push).toHaveBeenCalledWith("/rooms/plans");
  });

  it("opens a private room of one's own asked for again (\"Create or join\"), and says a name is taken for a room one is not in, or a public one", async () => {
    const user = userEvent.setup();
    renderRoom();
    await settle();
    const socket = await enter("aiko", "general", [summary("general"), secret]);
    const ask = async (name: string) => {
      await user.click(screen.getByRole("button", { name: "New room" }));
      const box = await screen.findByRole("textbox", { name: "Room name" });
      await user.clear(box);
      await user.type(box, name);
      const box2 = screen.getByRole("checkbox", { name: /private/i }) as HTMLInputElement;
      if (!box2.checked) await user.click(box2);
      await user.click(screen.getByRole("button", { name: "Create or join" }));
      await act(async () => socket.lastSent("create-room").reply({ ok: false, error: { code: "conflict", message: "name taken", reason: "name_taken" } }));
    };
    await ask("secret");
    expect(push).toHaveBeenCalledWith("/rooms/secret");
    expect(screen.queryByRole("alert")).toBeNull();
    // In another case or width, or with a leading #, it is the same room of one's own.
    for (const spelling of ["Secret", "ＳＥＣＲＥＴ", "#secret"]) {
      push.mockClear();
      await ask(spelling);
      expect([spelling, push.mock.calls]).toEqual([spelling, [["/rooms/secret"]]]);
    }
    // Someone else's private room (not in the sidebar): its name is taken, and nothing more is said.
    push.mockClear();
    await ask("hidden");
    expect(push).not.toHaveBeenCalled();
    expect(await screen.findByRole("alert")).toHaveTextContent("That name, or one that looks the same, is already taken.");
    // A public room of that name (in the sidebar, anyone's to read): a private room asked for is never
    // swapped for it, or what is written next would be public.
    push.mockClear();
    const box = screen.getByRole("textbox", { name: "Room name" });
    await user.clear(box);
    await user.type(box, "general");
    expect(screen.getByRole("checkbox", { name: /private/i })).toBeChecked();
    await user.click(screen.getByRole("button", { name: "Create or join" }));
    expect(socket.lastSent("create-room").args[0]).toEqual({ name: "general", private: true });
    await act(async () => socket.lastSent("create-room").reply({ ok: false, error: { code: "conflict", message: "name taken", reason: "name_taken" } }));
    expect(push).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("That name, or one that looks the same, is already taken."));
    expect(screen.getByRole("textbox", { name: "Room name" })).toHaveValue("general");
  });

  it("closes New room asked for the room already open, and puts the focus in its message box, not on the page", async () => {
    const user = userEvent.setup();
    renderRoom();
    await settle();
    const socket = await enter("aiko", "general", [summary("general")]);
    const composer = await screen.findByRole("textbox", { name: "Message #general" });
    await waitFor(() => expect(composer).toBeEnabled());
    await user.click(screen.getByRole("button", { name: "New room" }));
    await user.type(await screen.findByRole("textbox", { name: "Room name" }), "general{Enter}");
    await act(async () => socket.lastSent("create-room").reply({ ok: false, error: { code: "conflict", message: "name taken", reason: "name_taken" } }));
    // Nothing to go to: the form closes, and the focus that was in it goes to the room's message box.
    expect(push).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByRole("textbox", { name: "Room name" })).toBeNull());
    expect(screen.getByRole("button", { name: "New room" })).toHaveAttribute("aria-expanded", "false");
    await waitFor(() => expect(composer).toHaveFocus());
  });

  it("follows a #room link in a message within the app (Enter on it), and the next page's skip link has the focus", async () => {
    const ui = (r: string) => (
      <ChatProvider>
        <ChatApp key={r} room={r} />
      </ChatProvider>
    );
    const { rerender } = render(ui("general"));
    await settle();
    const socket = latest();
    act(() => socket.open());
    act(() => socket.serve("session", { name: "aiko", guest: false, admin: false }));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [summary("general"), summary("random")] } }));
    await act(async () => socket.lastSent("join-room").reply({
      ok: true, data: { room: {}, messages: [message(1, { room: "general", text: "see #random" })], members: [], hasMore: false, readSeq: 1 },
    }));
    const link = await screen.findByRole("link", { name: "#random" }, { timeout: 3000 });
    // Made the current message's control (Tab from the message reaches it), then Enter on it.
    link.closest("li")!.focus();
    link.focus();
    const followed = await userEvent.keyboard("{Enter}").then(() => push.mock.calls.map((c) => c[0]));
    // Within the app (no page load, which drops the focus to the new document's start).
    expect(followed).toEqual(["/rooms/random"]);
    rerender(ui("random"));
    await waitFor(() => expect(screen.getByRole("link", { name: "Skip to the conversation" })).toHaveFocus());
  });

  it("opens a direct message by name, suggesting the people whose name starts with what is typed, and goes to it", async () => {
    const { calls } = mockFetch([
      { path: "/api/session", body: userSession() },
      { path: "/api/users?q=", body: { users: [{ name: "mika", kind: "user" }, { name: "Miyu", kind: "user" }, { name: "ren", kind: "user" }] } },
      { path: "/api/users?q=mi", body: { users: [{ name: "mika", kind: "user" }, { name: "Miyu", kind: "user" }] } },
      { path: /^\/api\/users\?q=/, body: { users: [] } },
    ]);
    const user = userEvent.setup();
    renderRoom();
    await settle();
    const socket = await enter("aiko", "general", [summary("general")]);
    await user.click(screen.getByRole("button", { name: "New message" }));
    // The name box is a combobox: its suggestions are the names the server gives for the start typed.
    const box = await screen.findByRole("combobox", { name: "Their name" });
    const suggested = () => [...document.getElementById(box.getAttribute("list")!)!.querySelectorAll("option")].map((o) => o.value);
    await waitFor(() => expect(suggested()).toEqual(["mika", "Miyu", "ren"]));
    await user.type(box, "mi");
    await waitFor(() => expect(suggested()).toEqual(["mika", "Miyu"]));
    expect(calls.filter((c) => c.path.startsWith("/api/users")).at(-1)?.path).toBe("/api/users?q=mi");
    await user.clear(box);
    await user.type(box, "nobody{Enter}");
    await act(async () => socket.lastSent("open-dm").reply({ ok: false, error: { code: "not_found", message: "no such user", reason: "no_such_account" } }));
    expect(screen.getByRole("alert")).toHaveTextContent("There is no such account.");
    await waitFor(() => expect(suggested()).toEqual([]));
    await user.clear(box);
    await user.type(box, "mika{Enter}");
    expect(socket.lastSent("open-dm").args[0]).toEqual({ name: "mika" });
    await act(async () => socket.lastSent("open-dm").reply({
      ok: true, data: { room: summary("dm:1:2", { kind: "dm", private: true, title: "mika" }) },
    }));
    expect(push).toHaveBeenCalledWith("/rooms/dm:1:2");
  });

  it("shows a DM by the other person's name in the header", async () => {
    renderRoom("dm:1:2");
    await settle();
    await enter("aiko", "dm:1:2", [summary("general"), summary("dm:1:2", { kind: "dm", private: true, title: "mika" })]);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent(/^mika$/);
    expect(screen.getByRole("textbox", { name: "Message mika" })).toBeInTheDocument();
  });

  it("adds and removes members of a private room, showing refusals", async () => {
    // Whom a mention in the room notifies changes with its members: the page's mention highlights are told.
    const directory = resetMentionDirectory(async () => []);
    const recheck = jest.spyOn(directory, "recheck");
    const forget = jest.spyOn(directory, "forget");
    const user = userEvent.setup();
    renderRoom("secret");
    await settle();
    const socket = await enter("aiko", "secret", [summary("general"), secret], [{ name: "aiko", online: true }, { name: "bob", online: false }]);
    await user.click(screen.getByRole("button", { name: /^Members/ }));
    const panel = screen.getByRole("complementary", { name: "Members" });

    // The panel's contents are a chunk fetched when it is first opened.
    await user.type(await within(panel).findByRole("combobox", { name: "Name of the person to add" }), "guest1");
    await user.click(within(panel).getByRole("button", { name: "Add member" }));
    expect(socket.lastSent("add-member").args[0]).toEqual({ room: "secret", name: "guest1" });
    await act(async () => socket.lastSent("add-member").reply({ ok: false, error: { code: "forbidden", message: "guests cannot join private rooms", reason: "guests_excluded" } }));
    expect(within(panel).getByRole("alert")).toHaveTextContent("Guests can't be in private rooms or direct messages.");

    await user.clear(within(panel).getByRole("combobox", { name: "Name of the person to add" }));
    await user.type(within(panel).getByRole("combobox", { name: "Name of the person to add" }), "mika");
    await user.click(within(panel).getByRole("button", { name: "Add member" }));
    await act(async () => socket.lastSent("add-member").reply({ ok: true, data: {} }));
    expect(within(panel).getByText("mika")).toBeInTheDocument();
    await waitFor(() => expect(recheck).toHaveBeenCalledWith(["mika"]));
    expect(within(panel).getByRole("combobox", { name: "Name of the person to add" })).toHaveValue("");
    expect(within(panel).queryByRole("alert")).toBeNull();

    await user.click(within(panel).getByRole("button", { name: "Remove bob from the room" }));
    await user.click(within(within(panel).getByRole("alertdialog")).getByRole("button", { name: "Remove" }));
    expect(socket.lastSent("remove-member").args[0]).toEqual({ room: "secret", name: "bob" });
    await act(async () => socket.lastSent("remove-member").reply({ ok: true, data: {} }));
    expect(within(panel).queryByText("bob")).toBeNull();
    await waitFor(() => expect(forget).toHaveBeenCalledWith(["bob"], "secret"));
    // Refused changes change nobody's highlights.
    expect(recheck).toHaveBeenCalledTimes(1);
    expect(forget).toHaveBeenCalledTimes(1);
  });

  it("never offers a bot after @: not a bot member of a private room, not one just added, not one that joined a public room before the server's suggestions came", async () => {
    const user = userEvent.setup();
    const options = () => screen.queryAllByRole("option").map((o) => o.textContent);
    const { goTo } = renderRoom("secret");
    await settle();
    const socket = await enter("aiko", "secret", [summary("general"), secret], [
      { name: "aiko", online: true }, { name: "alfred", online: false }, { name: "alertbot", online: false, bot: true },
    ]);
    const composer = () => screen.getByRole("textbox", { name: /^Message/ });
    await user.type(composer(), "@al");
    expect(options()).toEqual(["@alfred"]);
    await user.clear(composer());
    // A bot added here: the server's answer says it is one.
    await user.click(screen.getByRole("button", { name: /^Members/ }));
    const panel = screen.getByRole("complementary", { name: "Members" });
    await user.type(await within(panel).findByRole("combobox", { name: "Name of the person to add" }), "almabot");
    await user.click(within(panel).getByRole("button", { name: "Add member" }));
    await act(async () => socket.lastSent("add-member").reply({ ok: true, data: { bot: true } }));
    expect(within(panel).getByText("almabot")).toBeInTheDocument();
    await user.click(within(panel).getByRole("button", { name: "Close members" }));
    await user.type(composer(), "@al");
    expect(options()).toEqual(["@alfred"]);

    // A public room: who came in is offered at once, the server's suggestions not here yet (none come).
    goTo("general");
    await settle();
    await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: [], members: [{ name: "aiko", online: true }], hasMore: false, readSeq: 0 } }));
    act(() => socket.serve("user-joined", "alertbot has joined the room.", { room: "general", name: "alertbot", bot: true }));
    act(() => socket.serve("user-joined", "alfred has joined the room.", { room: "general", name: "alfred" }));
    await user.type(composer(), "@al");
    expect(options()).toEqual(["@alfred"]);
  });

  it("has no membership controls in a public room", async () => {
    const user = userEvent.setup();
    renderRoom();
    await settle();
    await enter("aiko", "general", [summary("general")], [{ name: "aiko", online: true }, { name: "bob", online: true }]);
    await user.click(screen.getByRole("button", { name: /^Members/ }));
    const panel = screen.getByRole("complementary", { name: "Members" });
    expect(await within(panel).findByText("bob")).toBeInTheDocument();
    expect(within(panel).queryByRole("button", { name: /Remove/ })).toBeNull();
    expect(within(panel).queryByRole("form", { name: "Add member" })).toBeNull();
  });

  it("leaves a room the user was removed from and says so", async () => {
    const { goTo } = renderRoom("secret");
    await settle();
    const socket = await enter("aiko", "secret", [summary("general"), secret]);
    act(() => socket.serve("rooms-changed"));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [summary("general")] } }));
    // The move and the notice are a chunk fetched when a room is lost (lost-room.tsx).
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/rooms/general"));
    goTo("general");
    expect(await screen.findByRole("alert")).toHaveTextContent(isolated`You no longer have access to ${"secret"}.`);
    // The focus the lost room's controls had goes to the notice's Dismiss, not to the page's skip link.
    const dismiss = screen.getByRole("button", { name: "Dismiss" });
    await waitFor(() => expect(dismiss).toHaveFocus());
    await userEvent.keyboard("{Enter}");
    expect(screen.queryByText(/no longer have access/)).toBeNull();
    // Answered from the keyboard: the conversation goes on in the composer.
    await waitFor(() => expect(screen.getByRole("textbox", { name: "Message #general" })).toHaveFocus());
  });

  it("leaves the focus where it is when it was on a control the move kept (the rooms list's)", async () => {
    const { goTo } = renderRoom("secret");
    await settle();
    const socket = await enter("aiko", "secret", [summary("general"), secret]);
    const newRoom = screen.getByRole("button", { name: "New room" });
    act(() => newRoom.focus());
    act(() => socket.serve("rooms-changed"));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [summary("general")] } }));
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/rooms/general"));
    goTo("general");
    expect(await screen.findByRole("alert")).toHaveTextContent(isolated`You no longer have access to ${"secret"}.`);
    expect(newRoom).toHaveFocus();
  });

  it("says \"You left\" for a room the user left themselves, not that they lost access", async () => {
    const user = userEvent.setup();
    const { goTo } = renderRoom("secret");
    await settle();
    const socket = await enter("aiko", "secret", [summary("general"), secret], [{ name: "aiko", online: true }, { name: "bob", online: true }]);
    await user.click(screen.getByRole("button", { name: /^Members/ }));
    await user.click(await screen.findByRole("button", { name: "Leave this room" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Leave" }));
    expect(socket.lastSent("remove-member").args[0]).toEqual({ room: "secret", name: "aiko" });
    await act(async () => socket.lastSent("remove-member").reply({ ok: true, data: {} }));
    act(() => socket.serve("rooms-changed"));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [summary("general")] } }));
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/rooms/general"));
    goTo("general");
    expect(await screen.findByRole("alert")).toHaveTextContent(isolated`You left ${"secret"}.`);
    expect(screen.queryByText(/no longer have access/)).toBeNull();
  });

  /**
   * aiko in public room "plans" leaves it from the members panel (Leave room, confirmed); once the server
   * lists it as left (still listed: a public room), the page moves to general and says "You left".
   */
  async function leavePlans() {
    const user = userEvent.setup();
    const { goTo } = renderRoom("plans");
    await settle();
    const socket = await enter("aiko", "plans", [summary("general"), summary("plans")], [{ name: "aiko", online: true }, { name: "bob", online: true }]);
    await user.click(screen.getByRole("button", { name: /^Members/ }));
    await user.click(await screen.findByRole("button", { name: "Leave room" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Leave room" }));
    expect(socket.lastSent("remove-member").args[0]).toEqual({ room: "plans", name: "aiko" });
    await act(async () => socket.lastSent("remove-member").reply({ ok: true, data: {} }));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [summary("general"), summary("plans", { left: true })] } }));
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/rooms/general"));
    goTo("general");
    expect(await screen.findByRole("alert")).toHaveTextContent(isolated`You left ${"plans"}.`);
    return { socket, goTo };
  }

  it("leaves a public room from the members panel: once listed as left, the page moves on and says \"You left\"", async () => {
    await leavePlans();
    await waitFor(() => expect(screen.getByRole("button", { name: "Dismiss" })).toHaveFocus());
  });

  it("stays in a public room left, opened again while the notice of leaving it is still up", async () => {
    // The address changes first (a click in Rooms you left, Back, a typed address), the socket client's
    // open-room after: the notice of the loss must not take that for the page still being in the room.
    const { socket, goTo } = await leavePlans();
    replace.mockClear();

    goTo("plans");
    await settle();
    expect(socket.lastSent("join-room").args[0]).toBe("plans");
    await act(async () => socket.lastSent("join-room").reply({
      ok: true, data: { room: {}, messages: [], members: [{ name: "aiko", online: true }, { name: "bob", online: true }], hasMore: false, readSeq: 0 },
    }));
    await settle();
    expect(replace).not.toHaveBeenCalled();
    expect(screen.queryByText(/You left/)).toBeNull();
    expect(screen.getByRole("textbox", { name: "Message #plans" })).toBeEnabled();
  });

  it("goes to another room not left, not to general, after leaving general", async () => {
    const user = userEvent.setup();
    renderRoom("general");
    await settle();
    const socket = await enter("aiko", "general", [summary("general"), summary("plans", { left: true }), summary("random")]);
    await user.click(screen.getByRole("button", { name: /^Members/ }));
    await user.click(await screen.findByRole("button", { name: "Leave room" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Leave room" }));
    await act(async () => socket.lastSent("remove-member").reply({ ok: true, data: {} }));
    await act(async () =>
      socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [summary("general", { left: true }), summary("plans", { left: true }), summary("random")] } }),
    );
    await waitFor(() => expect(replace).toHaveBeenCalledWith("/rooms/random"));
    expect(replace).not.toHaveBeenCalledWith("/rooms/general");
  });

  it("asks a room opened by an address no room had, and made from the page's offer, for its notification level once joined, and shows the choice on that first visit", async () => {
    // As the server answers: no such room until it is made.
    let made = false;
    const { calls } = mockFetch([
      { path: "/api/session", body: userSession() },
      { path: "/api/rooms/newname/notifications", status: () => (made ? 200 : 404), body: () => (made ? { level: "mentions" } : { error: { code: "not_found", message: "no such room" } }) },
    ]);
    renderRoom("newname");
    await settle();
    const socket = latest();
    act(() => socket.open());
    act(() => socket.serve("session", { name: "aiko", guest: false, admin: false }));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [summary("general")] } }));
    await userEvent.click(await screen.findByRole("button", { name: isolated`Create room “${"newname"}”` }));
    // Time for the level's chunk to load and ask, were it asked before the join.
    await settle();
    made = true;
    await act(async () => socket.lastSent("create-room").reply({ ok: true, data: { room: summary("newname") } }));
    await act(async () => socket.lastSent("join-room").reply({
      ok: true, data: { room: {}, messages: [], members: [{ name: "aiko", online: true }], hasMore: false, readSeq: 0 },
    }));
    const select = await screen.findByRole("combobox", { name: "Notifications for this room" });
    expect(select).toHaveValue("mentions");
    const asked = calls.filter((c) => c.path === "/api/rooms/newname/notifications");
    expect(asked).toHaveLength(1);
  });

  it("does not treat a room opened by address but not yet listed as lost", async () => {
    // Its page rendered by the server (so it exists), before this tab's list has it.
    render(
      <ChatProvider>
        <ChatApp room="new-room" firstPage={{ room: "new-room", kind: "public", messages: [], hasMore: false }} />
      </ChatProvider>,
    );
    await settle();
    const socket = await enter("aiko", "new-room", [summary("general")]);
    act(() => socket.serve("rooms-changed"));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [summary("general")] } }));
    // Time for a lost room's chunk (lost-room.tsx) to load and act, were the room taken for lost.
    await settle();
    expect(replace).not.toHaveBeenCalled();
    expect(screen.queryByText(/no longer have access/)).toBeNull();
  });
});
