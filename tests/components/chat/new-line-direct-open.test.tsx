/** @jest-environment jsdom */
/**
 * The "New" line of a room opened by a page load at its address (a new tab, a reload, a bookmark, the
 * page after signing in), with and without the server-rendered first page: the join marks the room read,
 * so the room list asked for beside it counts nothing unread there; the join's answer says where the
 * reader's unread messages started (`readBefore`), and the line goes there, as for a room opened from
 * the sidebar (an outside trial: no line at all on a page load).
 */
import { act, render, screen, within } from "@testing-library/react";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { mockFetch, userSession } from "../helpers/fetch-mock";
import { fakeIo, type FakeSocket } from "./fake-socket";
import { message } from "./fixtures";
import type { RoomFirstPage } from "@/lib/pages/page-data";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

let sockets: FakeSocket[];
const latest = () => sockets[sockets.length - 1];
const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));

beforeEach(() => {
  localStorage.clear();
  mockFetch([]);
  sockets = fakeIo();
});

// aiko had read up to her own 2; bob wrote 3 and 4 since.
const inRandom = (n: number, author: string) => message(n, { author, room: "random" });
const messages = [inRandom(1, "bob"), inRandom(2, "aiko"), inRandom(3, "bob"), inRandom(4, "bob")];
const firstPage: RoomFirstPage = { room: "random", kind: "public", messages, hasMore: false };
const listed = (readSeq: number) => ({ name: "random", kind: "public", private: false, online: 1, unread: 4 - readSeq, mentions: 0, lastSeq: 4, readSeq, lastMessageId: message(4).id });
const general = { name: "general", kind: "public", private: false, online: 1, unread: 0, mentions: 0, lastSeq: 1, readSeq: 1, lastMessageId: message(1).id };

/** What the log shows, in order: each message's text, "NEW" for the New line. */
const rows = () => within(screen.getByRole("log", { name: "Messages in random" })).getAllByRole("listitem")
  .filter((li) => li.classList.contains("new-divider") || li.querySelector(".message-text"))
  .map((li) => (li.classList.contains("new-divider") ? "NEW" : li.querySelector(".message-text")?.textContent));

/**
 * Loads the page at /rooms/random (server-rendered or not) and answers its join and its list in `order`,
 * as the server does: a list read after the join counts the room read. A room not rendered by the server
 * is looked up in the list before it is joined (room-lookup.ts), so its list comes first.
 */
async function loadRandom(seeded: boolean, readBefore: number, order: "join-first" | "list-first" = seeded ? "join-first" : "list-first"): Promise<FakeSocket> {
  render(
    <ChatProvider initialSession={userSession("aiko")}>
      <ChatApp room="random" firstPage={seeded ? firstPage : undefined} />
    </ChatProvider>,
  );
  await settle();
  const socket = latest();
  act(() => socket.open());
  act(() => socket.serve("session", { name: "aiko", guest: false, admin: false }));
  const join = () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages, members: [], hasMore: false, readSeq: 4, readBefore, lastChange: 0 } });
  const list = () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [general, listed(order === "join-first" ? 4 : readBefore)] } });
  await act(async () => (order === "join-first" ? join() : list()));
  await act(async () => (order === "join-first" ? list() : join()));
  await settle();
  return socket;
}

describe("the New line of a room opened by loading its address", () => {
  it.each([true, false])("shows one line before the first unread message (server-rendered first page: %s)", async (seeded) => {
    await loadRandom(seeded, 2);
    expect(rows()).toEqual(["hello 1", "hello 2", "NEW", "hello 3", "hello 4"]);
  });

  it("shows it when the list is answered before the join too", async () => {
    await loadRandom(true, 2, "list-first");
    expect(rows()).toEqual(["hello 1", "hello 2", "NEW", "hello 3", "hello 4"]);
  });

  it("shows it for a server-rendered page whose list is answered after the join (the trial's case), when other lists follow", async () => {
    const socket = await loadRandom(true, 2, "join-first");
    await act(async () => socket.serve("rooms-changed"));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [general, listed(4)] } }));
    expect(rows()).toEqual(["hello 1", "hello 2", "NEW", "hello 3", "hello 4"]);
  });

  it("shows no line when nothing was unread, nor for the reader's own message that came later", async () => {
    const socket = await loadRandom(true, 4);
    expect(rows()).not.toContain("NEW");
    act(() => socket.serve("receive-message", inRandom(5, "aiko")));
    expect(rows()).toEqual(["hello 1", "hello 2", "hello 3", "hello 4", "hello 5"]);
  });

  it("keeps the line where it was across a reconnect's join", async () => {
    const socket = await loadRandom(false, 2);
    act(() => socket.drop());
    act(() => socket.open());
    // Read to its end by the first join: the second finds the marker at the end.
    await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages, members: [], hasMore: false, readSeq: 4, readBefore: 4, lastChange: 0 } }));
    await settle();
    expect(rows()).toEqual(["hello 1", "hello 2", "NEW", "hello 3", "hello 4"]);
  });
});
