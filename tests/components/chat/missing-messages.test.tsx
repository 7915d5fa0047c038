/** @jest-environment jsdom */
/**
 * Messages the client knows it missed and could not fetch: the list marks the hole where it is, says so
 * to screen readers, and fills it when asked (or on the next join), keeping whatever part came.
 */
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { guestSession, mockFetch } from "../helpers/fetch-mock";
import { fakeIo, type FakeSocket } from "./fake-socket";
import { message } from "./fixtures";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

let sockets: FakeSocket[];

beforeEach(() => {
  mockFetch([{ path: "/api/session", body: guestSession }]);
  localStorage.clear();
  sockets = fakeIo();
});

const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));
const MISSING = "Some messages could not be loaded.";
const LOAD = "Load missing messages";
const rateLimited = (retryAfter: number) => ({
  ok: false, error: { code: "rate_limited", message: `too many pages of messages; try again in ${retryAfter} s`, retryAfter },
});
const page = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

/** Opens #general as Aiko, joined with messages 1 and 2; returns the socket. */
async function inRoom() {
  localStorage.setItem("hibiki.name", "Aiko");
  render(
    <ChatProvider>
      <ChatApp room="general" />
    </ChatProvider>,
  );
  await settle();
  const socket = sockets[sockets.length - 1];
  act(() => socket.open());
  act(() => socket.serve("session", { name: "Aiko", guest: true, admin: false }));
  await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: page(1, 2), members: [], hasMore: false, readSeq: 2 } }));
  await settle();
  return socket;
}

/** The connection drops and comes back; the join's page starts at `from` (up to `to`). */
async function rejoin(socket: FakeSocket, from: number, to: number) {
  act(() => socket.drop());
  act(() => socket.open());
  await act(async () => socket.lastSent("join-room").reply({ ok: true, data: { room: {}, messages: page(from, to), members: [], hasMore: true, readSeq: to } }));
  await settle();
}

/** The log's items in order: a message as its text, the hole's mark as "HOLE". */
function items(): string[] {
  return within(screen.getByRole("log")).getAllByRole("listitem")
    .filter((li) => !li.classList.contains("day-divider"))
    .map((li) => (li.classList.contains("history-gap") ? "HOLE" : li.querySelector(".message-text")?.textContent ?? ""))
    .map((text) => text.trim());
}

const texts = (from: number, to: number) => page(from, to).map((m) => m.text);
const announced = () => document.querySelector(".chat-announcer")?.textContent ?? "";

describe("messages that could not be loaded", () => {
  it("marks the hole a refused fill leaves where it is, says so, and fills it from the button once the server's wait is over", async () => {
    const socket = await inRoom();
    await rejoin(socket, 8, 9);
    const fill = socket.lastSent("history");
    expect(fill.args[0]).toEqual({ room: "general", before: message(8).id, limit: 5 });
    await act(async () => fill.reply(rateLimited(30)));
    await settle();
    // Not 2 then 8 as if adjacent: the mark is between them, in words, with a way to try again.
    expect(items()).toEqual([...texts(1, 2), "HOLE", ...texts(8, 9)]);
    const log = screen.getByRole("log");
    const hole = within(log).getByText(MISSING).closest("li")!;
    expect(within(hole).getByRole("button", { name: LOAD })).toBeInTheDocument();
    // Told politely, not only shown.
    expect(announced()).toContain(MISSING);

    // By keyboard: the button is a Tab stop of its own.
    const user = userEvent.setup();
    const button = within(hole).getByRole("button", { name: LOAD });
    const asked = socket.sent("history").length;
    for (let i = 0; i < 60 && document.activeElement !== button; i++) await user.tab();
    expect(button).toHaveFocus();
    expect(button).toHaveAccessibleDescription(MISSING);
    // The server said to wait 30 s: the request waits for them, the button says it is on its way.
    jest.useFakeTimers();
    try {
      await userEvent.setup({ advanceTimers: jest.advanceTimersByTime }).keyboard("{Enter}");
      expect(socket.sent("history")).toHaveLength(asked);
      expect(within(log).getByRole("button", { name: "Loading missing messages…" })).toHaveFocus();
      await act(async () => void (await jest.advanceTimersByTimeAsync(25_000)));
      expect(socket.sent("history")).toHaveLength(asked);
      await act(async () => void (await jest.advanceTimersByTimeAsync(5_000)));
    } finally {
      jest.useRealTimers();
    }
    expect(socket.sent("history")).toHaveLength(asked + 1);
    expect(socket.lastSent("history").args[0]).toEqual({ room: "general", before: message(8).id, limit: 5 });
    // A copy of one held comes again: it is shown once.
    await act(async () => socket.lastSent("history").reply({ ok: true, data: { messages: page(2, 7), hasMore: true } }));
    await settle();
    expect(items()).toEqual(texts(1, 9));
    expect(within(log).queryByText(MISSING)).toBeNull();
    expect(announced()).toContain("The missing messages were loaded.");
    // The focus goes on to the first message that was missing.
    expect(document.getElementById(`m-${message(3).id}`)).toHaveFocus();
  });

  it("marks the hole when the fill is not answered, and fills it by itself at the next join", async () => {
    const socket = await inRoom();
    await rejoin(socket, 8, 9);
    await act(async () => socket.lastSent("history").fail());
    await settle();
    expect(items()).toEqual([...texts(1, 2), "HOLE", ...texts(8, 9)]);
    expect(within(screen.getByRole("log")).getByText(MISSING)).toBeInTheDocument();
    // The connection comes back with two more messages: the join's fill covers the old hole and the new one.
    await rejoin(socket, 10, 11);
    const fills = socket.sent("history");
    expect(fills.at(-1)!.args[0]).toEqual({ room: "general", before: message(8).id, limit: 5 });
    await act(async () => fills.at(-1)!.reply({ ok: true, data: { messages: page(3, 7), hasMore: true } }));
    await settle();
    expect(items()).toEqual(texts(1, 11));
    expect(within(screen.getByRole("log")).queryByText(MISSING)).toBeNull();
  });

  it("marks the hole when the connection drops in the middle of the fill", async () => {
    const socket = await inRoom();
    await rejoin(socket, 8, 9);
    const fill = socket.lastSent("history");
    act(() => socket.drop());
    // socket.io fails an acknowledgement still awaited when the connection drops.
    await act(async () => fill.fail());
    await settle();
    expect(items()).toEqual([...texts(1, 2), "HOLE", ...texts(8, 9)]);
  });

  it("keeps the pages a fill brought before it was refused and marks only the rest of the hole", async () => {
    const socket = await inRoom();
    // 150 messages missed (3 to 152): two pages, newest first.
    await rejoin(socket, 153, 154);
    const first = socket.lastSent("history");
    expect(first.args[0]).toEqual({ room: "general", before: message(153).id, limit: 100 });
    await act(async () => first.reply({ ok: true, data: { messages: page(53, 152), hasMore: true } }));
    const second = socket.lastSent("history");
    expect(second.args[0]).toEqual({ room: "general", before: message(53).id, limit: 50 });
    await act(async () => second.reply(rateLimited(60)));
    await settle();
    expect(items()).toEqual([...texts(1, 2), "HOLE", ...texts(53, 154)]);

    // Asked again later (the wait is over): only the rest is fetched.
    jest.spyOn(Date, "now").mockReturnValue(Date.now() + 61_000);
    await userEvent.click(screen.getByRole("button", { name: LOAD }));
    jest.mocked(Date.now).mockRestore();
    const rest = socket.lastSent("history");
    expect(rest.args[0]).toEqual({ room: "general", before: message(53).id, limit: 50 });
    await act(async () => rest.reply({ ok: true, data: { messages: page(3, 52), hasMore: true } }));
    await settle();
    expect(items()).toEqual(texts(1, 154));
    expect(within(screen.getByRole("log")).queryByText(MISSING)).toBeNull();
  });

  it("keeps the mark, and says so again, when a try from the button is refused too", async () => {
    const socket = await inRoom();
    await rejoin(socket, 8, 9);
    await act(async () => socket.lastSent("history").reply({ ok: false, error: { code: "internal", message: "something went wrong" } }));
    await settle();
    const before = announced().split(MISSING).length;
    await userEvent.click(screen.getByRole("button", { name: LOAD }));
    expect(socket.lastSent("history").args[0]).toEqual({ room: "general", before: message(8).id, limit: 5 });
    await act(async () => socket.lastSent("history").reply(rateLimited(30)));
    await settle();
    expect(items()).toEqual([...texts(1, 2), "HOLE", ...texts(8, 9)]);
    expect(screen.getByRole("button", { name: LOAD })).toBeInTheDocument();
    expect(announced().split(MISSING).length).toBe(before + 1);
  });
});
