/** @jest-environment jsdom */
/**
 * A room opened by its address (a typo, an old bookmark, a `#name` link) that is not in the reader's
 * room list: the page says no room has that name and offers to create it, and joins nothing meanwhile
 * (`join-room` with a name no room has makes a public room, there for everyone).
 */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import type { RoomFirstPage } from "@/lib/pages/page-data";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { guestSession, mockFetch, userSession } from "../helpers/fetch-mock";
import { isolated } from "../helpers/isolated";
import { fakeIo, type FakeSocket } from "./fake-socket";
import { message } from "./fixtures";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
const push = jest.fn();
const replace = jest.fn();
jest.mock("next/navigation", () => ({ useRouter: () => ({ push, replace }) }));

let sockets: FakeSocket[];

beforeAll(() => loadLang("ja"));

beforeEach(() => {
  mockFetch([{ path: "/api/session", body: guestSession }]);
  localStorage.clear();
  localStorage.setItem("hibiki.name", "Aiko");
  push.mockClear();
  replace.mockClear();
  sockets = fakeIo();
});

const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));
const latest = () => sockets[sockets.length - 1];

/** A room as list-rooms lists it (public unless `kind` says otherwise). */
const listed = (name: string, kind: "public" | "private" | "dm" = "public") => ({
  name, kind, private: kind !== "public", online: 0, unread: 0, lastSeq: 0, lastMessageId: null,
});
const joined = (room: string) => ({ ok: true, data: { room: {}, messages: [message(1, { room })], members: [], hasMore: false, readSeq: 1 } });
const noSuchRoom = (room: string) => screen.queryByRole("heading", { name: isolated`No room named “${room}”` });

/** `taken`: the server found the name held by a room the reader may not read, as it rendered the page. */
const page = (room: string, lang: "en" | "ja" = "en", taken?: boolean) => (
  <LangProvider lang={lang}>
    <ChatProvider>
      <ChatApp key={room} room={room} taken={taken} />
    </ChatProvider>
  </LangProvider>
);

/** The chat opened at `/rooms/<room>`, connected as the guest Aiko (or, `guest` false, her account); the room list not answered yet. */
async function openAt(room: string, lang: "en" | "ja" = "en", taken?: boolean, guest = true) {
  const view = render(page(room, lang, taken));
  await settle();
  const socket = latest();
  act(() => socket.open());
  act(() => socket.serve("session", { name: "Aiko", guest, admin: false }));
  return { socket, ...view };
}

async function answerList(socket: FakeSocket, rooms: ReturnType<typeof listed>[]) {
  await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms } }));
  await settle();
}

describe("a room opened by an address no room has", () => {
  it("says no room has that name, may be private, offers to create it and a room to go to, and joins nothing", async () => {
    const { socket } = await openAt("genral");
    await answerList(socket, [listed("general"), listed("random")]);
    const heading = await screen.findByRole("heading", { name: isolated`No room named “${"genral"}”` });
    // The focus was nowhere in particular (a page just opened): it is on the heading, which is read.
    expect(heading).toHaveFocus();
    const main = screen.getByRole("main");
    expect(main).toHaveTextContent("It may not exist yet, or it may be a private room you are not a member of.");
    expect(within(main).getByRole("button", { name: isolated`Create room “${"genral"}”` })).toBeInTheDocument();
    expect(within(main).getByRole("link", { name: isolated`Go to ${"#general"}` })).toHaveAttribute("href", "/rooms/general");
    // Tab goes from the heading to Create.
    await userEvent.tab();
    expect(within(main).getByRole("button", { name: /^Create room/ })).toHaveFocus();
    // Nothing was joined, and the name is not among the reader's rooms; no composer writes to it.
    expect(socket.sent("join-room")).toEqual([]);
    const rooms = screen.getByRole("navigation", { name: "Rooms" });
    expect(within(rooms).queryByRole("link", { name: /genral/ })).toBeNull();
    expect(screen.queryByRole("textbox", { name: /^Message/ })).toBeNull();
    // `/` will not bring the reader back here.
    expect(localStorage.getItem("hibiki.lastRoom")).toBeNull();
    // A room that is not there has no members to list.
    expect(screen.queryByRole("button", { name: /^Members/ })).toBeNull();
    // Nor does the page's header present it as a room: no "#genral" title, no "Connected" beside it.
    const header = main.querySelector("header")!;
    expect(within(header).getByRole("heading", { level: 1 })).toHaveTextContent(/^Room not found$/);
    expect(header).not.toHaveTextContent("genral");
    expect(within(header).queryByText("Connected")).toBeNull();
    expect(document.title).not.toMatch(/genral/);
  });

  it.each([
    ["x".repeat(70), "Names can be at most 64 characters long."],
    ["ghost\u200b", "Names can't contain invisible or control characters, or marks drawn as lines over, under or through the letters."],
    ["DM:1:2", "That name is reserved."],
  ])("offers no Create for %j, which no room could be named, and says why", async (name, why) => {
    const { socket } = await openAt(name);
    await answerList(socket, [listed("general")]);
    await screen.findByRole("heading", { name: /^No room named/ });
    const main = screen.getByRole("main");
    expect(await within(main).findByText(why)).toBeInTheDocument();
    expect(within(main).queryByRole("button", { name: /^Create room/ })).toBeNull();
    expect(within(main).getByRole("link", { name: isolated`Go to ${"#general"}` })).toBeInTheDocument();
    expect(socket.sent("join-room")).toEqual([]);
    expect(socket.sent("create-room")).toEqual([]);
  });

  it("creates the room with Create, as New room does, and opens it in place", async () => {
    const user = userEvent.setup();
    const { socket } = await openAt("design");
    await answerList(socket, [listed("general")]);
    await user.click(await screen.findByRole("button", { name: isolated`Create room “${"design"}”` }));
    expect(socket.lastSent("create-room").args[0]).toEqual({ name: "design" });
    expect(socket.sent("join-room")).toEqual([]);
    await act(async () => socket.lastSent("create-room").reply({ ok: true, data: { room: listed("design") } }));
    // Made: now it is joined, at this address (no move), and the room shows.
    expect(socket.lastSent("join-room").args[0]).toBe("design");
    await act(async () => socket.lastSent("join-room").reply(joined("design")));
    await settle();
    expect(noSuchRoom("design")).toBeNull();
    // The Create button went with the prompt: the focus is on the new room's message box, not lost.
    const box = await screen.findByRole("textbox", { name: "Message #design" });
    await waitFor(() => expect(box).toHaveFocus());
    expect(push).not.toHaveBeenCalled();
  });

  it.each([
    ["ops", "a private room of others"],
    ["0ps", "a name that looks like a room's (ops)"],
  ])("says %j, which Create finds taken (%s), cannot be opened and who can let the reader in; joins nothing, offers Create no more", async (name) => {
    const user = userEvent.setup();
    const { socket } = await openAt(name, "en", undefined, false);
    await answerList(socket, [listed("general")]);
    const create = await screen.findByRole("button", { name: isolated`Create room “${name}”` });
    create.focus();
    await user.keyboard("{Enter}");
    await act(async () => socket.lastSent("create-room").reply({ ok: false, error: { code: "conflict", message: "taken", reason: "name_taken" } }));
    const main = screen.getByRole("main");
    // Said in place of "No room named …", the heading taking the focus from the Create button that went.
    const heading = await within(main).findByRole("heading", { name: isolated`You can't open “${name}”` });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(noSuchRoom(name)).toBeNull();
    expect(within(main).getByRole("alert")).toHaveTextContent("If it is private, ask one of its members to add you.");
    expect(within(main).queryByRole("button", { name: /^Create room/ })).toBeNull();
    expect(within(main).getByRole("link", { name: isolated`Go to ${"#general"}` })).toBeInTheDocument();
    // Nothing joined (it would only be refused), no message box nor Retry for a room the reader is not in.
    expect(socket.sent("join-room")).toEqual([]);
    expect(screen.queryByRole("textbox", { name: /^Message/ })).toBeNull();
    expect(within(main).queryByRole("button", { name: "Retry" })).toBeNull();
    expect(push).not.toHaveBeenCalled();
    // The page's header and the tab say so too, not "Room not found" over a room said to exist.
    expect(within(main.querySelector("header")!).getByRole("heading", { level: 1 })).toHaveTextContent(/^Room unavailable$/);
    expect(document.title).toMatch(/^Room unavailable/);
  });

  // From an outside trial: the page offered "Create room" for a private room of others, and Create then
  // failed saying the room exists. The server, rendering the page, says the name is held: no Create.
  it.each([["en"], ["ja"]] as const)("says at once (%s) that a room whose name the server found held cannot be opened, and offers no Create", async (lang) => {
    const { socket } = await openAt("ops", lang, true, false);
    await answerList(socket, [listed("general")]);
    const main = screen.getByRole("main");
    const heading = await within(main).findByRole("heading", { name: lang === "en" ? isolated`You can't open “${"ops"}”` : isolated`「${"ops"}」は開けません` });
    expect(heading).toHaveFocus();
    expect(main).toHaveTextContent(lang === "en" ? "already exists, and you are not one of its members. If it is private, ask one of its members to add you." : "メンバーに追加してもらってください。");
    expect(within(main).queryByRole("button", { name: /^Create room|を作成$/ })).toBeNull();
    expect(within(main).getByRole("link", { name: lang === "en" ? isolated`Go to ${"#general"}` : /general/ })).toBeInTheDocument();
    expect(socket.sent("create-room")).toEqual([]);
    expect(socket.sent("join-room")).toEqual([]);
    expect(within(main.querySelector("header")!).getByRole("heading", { level: 1 })).toHaveTextContent(lang === "en" ? /^Room unavailable$/ : /./);
  });

  // From an outside trial: a guest was told to ask a member to add them, which nobody can (guests_excluded).
  it.each([["en"], ["ja"]] as const)("tells a guest (%s) whose Create found the name taken that guests cannot open it, not to ask a member", async (lang) => {
    const { socket } = await openAt("ops", lang);
    await answerList(socket, [listed("general")]);
    await userEvent.click(await screen.findByRole("button", { name: lang === "en" ? isolated`Create room “${"ops"}”` : isolated`ルーム「${"ops"}」を作成` }));
    await act(async () => socket.lastSent("create-room").reply({ ok: false, error: { code: "conflict", message: "taken", reason: "name_taken" } }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(lang === "en" ? "guests cannot open it. Choose another name, or sign in with an account." : "ゲストは開けません");
    expect(alert).not.toHaveTextContent(lang === "en" ? /ask one of its members/ : /メンバーに追加/);
  });

  it("still opens a room the server found held once the reader's list has it (added meanwhile)", async () => {
    const { socket } = await openAt("ops", "en", true);
    await answerList(socket, [listed("general"), listed("ops", "private")]);
    expect(socket.lastSent("join-room").args[0]).toBe("ops");
    expect(screen.queryByRole("heading", { name: /You can't open/ })).toBeNull();
  });

  it("says the same in Japanese", async () => {
    const { socket } = await openAt("ops", "ja", undefined, false);
    await answerList(socket, [listed("general")]);
    await userEvent.click(await screen.findByRole("button", { name: isolated`ルーム「${"ops"}」を作成` }));
    await act(async () => socket.lastSent("create-room").reply({ ok: false, error: { code: "conflict", message: "taken", reason: "name_taken" } }));
    expect(await screen.findByRole("heading", { name: isolated`「${"ops"}」は開けません` })).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("メンバーに追加してもらってください。");
  });

  it("waits for a room list that comes late, showing the room loading (no prompt), and joins a room it lists", async () => {
    const { socket } = await openAt("random");
    // Connected, the room list asked for and not answered: nothing is decided yet.
    expect(socket.sent("list-rooms")).toHaveLength(1);
    await settle();
    expect(within(screen.getByRole("main")).getByText("Loading messages…")).toBeInTheDocument();
    expect(noSuchRoom("random")).toBeNull();
    expect(socket.sent("join-room")).toEqual([]);
    await answerList(socket, [listed("general"), listed("random")]);
    expect(socket.lastSent("join-room").args[0]).toBe("random");
    await act(async () => socket.lastSent("join-room").reply(joined("random")));
    expect(await screen.findByRole("textbox", { name: "Message #random" })).toBeInTheDocument();
    expect(noSuchRoom("random")).toBeNull();
  });

  it("asks for the list again before calling a room not found when the list held is older than the page (a room made a moment ago)", async () => {
    const { socket, rerender } = await openAt("general");
    await act(async () => socket.lastSent("join-room").reply(joined("general")));
    await answerList(socket, [listed("general")]);
    const lists = socket.sent("list-rooms").length;
    // Someone made "fresh" since; this tab's list does not have it.
    rerender(page("fresh"));
    await settle();
    expect(socket.sent("list-rooms")).toHaveLength(lists + 1);
    expect(noSuchRoom("fresh")).toBeNull();
    expect(socket.sent("join-room").map((e) => e.args[0])).toEqual(["general"]);
    await answerList(socket, [listed("general"), listed("fresh")]);
    expect(socket.lastSent("join-room").args[0]).toBe("fresh");

    // A name the new list lacks too is not found.
    rerender(page("nowhere"));
    await settle();
    await answerList(socket, [listed("general"), listed("fresh")]);
    expect(await screen.findByRole("heading", { name: isolated`No room named “${"nowhere"}”` })).toBeInTheDocument();
    expect(socket.sent("join-room").map((e) => e.args[0])).toEqual(["general", "fresh"]);
  });

  it("opens a room that appears in a later list (made by someone else) in place of the prompt", async () => {
    const { socket } = await openAt("later");
    await answerList(socket, [listed("general")]);
    await screen.findByRole("heading", { name: isolated`No room named “${"later"}”` });
    act(() => socket.serve("rooms-changed"));
    await answerList(socket, [listed("general"), listed("later")]);
    expect(socket.lastSent("join-room").args[0]).toBe("later");
    await act(async () => socket.lastSent("join-room").reply(joined("later")));
    expect(await screen.findByRole("textbox", { name: "Message #later" })).toBeInTheDocument();
    expect(noSuchRoom("later")).toBeNull();
  });

  it.each([
    ["ＧＥＮＥＲＡＬ", "/rooms/general"],
    ["Random", "/rooms/random"],
    ["#random", "/rooms/random"],
  ])("goes to the listed room %s means (another case or width, or a # before it), without the prompt or a join of that name", async (asked, address) => {
    const { socket } = await openAt(asked);
    await answerList(socket, [listed("general"), listed("random")]);
    await waitFor(() => expect(replace).toHaveBeenCalledWith(address));
    expect(noSuchRoom(asked)).toBeNull();
    expect(socket.sent("join-room")).toEqual([]);
  });

  it("opens a private room of the reader's, which their list has, without the prompt", async () => {
    const { socket } = await openAt("crew");
    // A private room the reader is a member of is in their list: it opens.
    await answerList(socket, [listed("general"), listed("crew", "private")]);
    expect(socket.lastSent("join-room").args[0]).toBe("crew");
  });

  it("joins a DM by its address at once: a join never makes one", async () => {
    const { socket } = await openAt("dm:1:2");
    expect(socket.lastSent("join-room").args[0]).toBe("dm:1:2");
    // Refused (another pair's DM, or none): nobody can be added to a DM, so that is not what is said.
    await act(async () => socket.lastSent("join-room").reply({ ok: false, error: { code: "forbidden", message: "not a member" } }));
    const alert = await within(screen.getByRole("main")).findByRole("alert");
    expect(alert).toHaveTextContent("This is a direct message between other people, or none at all: only its two members can open it.");
    expect(alert).not.toHaveTextContent(/add you/);
    // Not its raw address, and no Try again that cannot help (an outside trial: "#dm:1:3 could not be opened", Try again).
    expect(alert).toHaveTextContent("This conversation could not be opened.");
    expect(alert).not.toHaveTextContent("dm:1:2");
    expect(within(alert).queryByRole("button")).toBeNull();
  });

  it.each([
    ["en", "This conversation has no messages yet.", isolated`To start it, choose “${"New message"}” in the sidebar and enter the person's name.`],
    ["ja", "この会話にはまだメッセージがありません。", isolated`始めるには、サイドバーの「${"新しいメッセージ"}」を選んで相手の名前を入力してください。`],
  ] as const)("says the reader's own DM address that has no room yet has no messages yet, and how to start it (%s)", async (lang, said, how) => {
    const { socket } = await openAt("dm:1:2", lang);
    // The server answers one's own DM that nobody has opened yet `not_found`: nothing was removed.
    await act(async () => socket.lastSent("join-room").reply({ ok: false, error: { code: "not_found", message: "no room named \"dm:1:2\"" } }));
    const alert = await within(screen.getByRole("main")).findByRole("alert");
    expect(alert).toHaveTextContent(said);
    expect(alert).toHaveTextContent(how);
    expect(alert).not.toHaveTextContent(/removed|削除/);
  });

  it("joins at once a room whose page the server rendered for the reader (it exists and is theirs), before any list", async () => {
    mockFetch([]);
    const firstPage: RoomFirstPage = { room: "crew", kind: "public", messages: [message(1, { room: "crew" })], hasMore: false };
    render(
      <ChatProvider initialSession={userSession("aiko")}>
        <ChatApp room="crew" firstPage={firstPage} />
      </ChatProvider>,
    );
    await settle();
    const socket = latest();
    act(() => socket.open());
    expect(socket.lastSent("join-room").args[0]).toBe("crew");
  });

  it("says it in Japanese, the name isolated", async () => {
    const { socket } = await openAt("ざつだん", "ja");
    await answerList(socket, [listed("general")]);
    expect(await screen.findByRole("heading", { name: isolated`「${"ざつだん"}」という名前のルームはありません` })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent(/^ルームが見つかりません$/);
    expect(screen.getByRole("button", { name: isolated`ルーム「${"ざつだん"}」を作成` })).toBeInTheDocument();
    expect(screen.getByRole("main")).toHaveTextContent("まだ作られていないか、あなたがメンバーではない非公開ルームの可能性があります。");
  });
});
