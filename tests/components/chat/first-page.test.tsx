/** @jest-environment jsdom */
import { act, render, screen, within } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { hydrateRoot } from "react-dom/client";
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
const page: RoomFirstPage = { room: "general", kind: "public", messages: [message(1), message(2, { author: "bob" }), message(3)], hasMore: true };

beforeEach(() => {
  localStorage.clear();
  sockets = fakeIo();
});

const ui = (firstPage = page) => (
  <ChatProvider initialSession={userSession("aiko")}>
    <ChatApp room="general" firstPage={firstPage} />
  </ChatProvider>
);
const log = () => screen.getByRole("log", { name: "Messages in general" });

describe("a room rendered with its first page", () => {
  it("shows the server's messages before the socket connects, without asking who the user is", async () => {
    const { calls } = mockFetch([]);
    render(ui());
    await settle();
    expect(within(log()).getByText("hello 3")).toBeInTheDocument();
    expect(within(log()).getByText("hello 1")).toBeInTheDocument();
    expect(latest().connected).toBe(false);
    expect(calls.filter((c) => c.path === "/api/session")).toEqual([]);
    // More history exists: the way to it is offered, not the room's beginning.
    expect(screen.getByRole("button", { name: "Load older messages" })).toBeInTheDocument();
  });

  it("keeps each message once when the join brings the same page and more", async () => {
    mockFetch([]);
    render(ui());
    await settle();
    const socket = latest();
    act(() => socket.open());
    act(() => socket.serve("session", { name: "aiko", guest: false, admin: false }));
    await act(async () => socket.lastSent("join-room").reply({
      ok: true, data: { room: {}, messages: [message(2, { author: "bob" }), message(3), message(4)], members: [], hasMore: true, readSeq: 4, lastChange: 0 },
    }));
    expect(within(log()).getAllByText("hello 3")).toHaveLength(1);
    expect(within(log()).getByText("hello 1")).toBeInTheDocument();
    expect(within(log()).getByText("hello 4")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Message #general" })).toBeEnabled();
  });

  it("hydrates the server's markup without a mismatch (times in the server's clock until hydrated)", async () => {
    mockFetch([]);
    const container = document.createElement("div");
    container.innerHTML = renderToString(ui());
    document.body.appendChild(container);
    expect(container.textContent).toContain("hello 3");
    const errors: unknown[] = [];
    await act(async () => {
      hydrateRoot(container, ui(), { onRecoverableError: (err) => errors.push(err) });
    });
    await settle();
    expect(errors).toEqual([]);
    expect(container.textContent).toContain("hello 3");
  });

  it("says a private room is private from the server's markup on, before the room list has come", async () => {
    mockFetch([]);
    const leads: RoomFirstPage = { room: "leads", kind: "private", messages: [message(1, { room: "leads" })], hasMore: false };
    const markup = renderToString(
      <ChatProvider initialSession={userSession("aiko")}>
        <ChatApp room="leads" firstPage={leads} />
      </ChatProvider>,
    );
    expect(markup).toContain("It is private: only its members can read it or find its messages.");
    // The sidebar, which has only this room so far, says so too (not a public room's "#").
    expect(markup).toContain("leads, private");
    // A DM is named by the other person from the first paint, not by its address.
    const dm = renderToString(
      <ChatProvider initialSession={userSession("aiko")}>
        <ChatApp room="dm:1:2" firstPage={{ room: "dm:1:2", kind: "dm", title: "bob", messages: [], hasMore: false }} />
      </ChatProvider>,
    );
    expect(dm).toContain('<bdi class="room-title-text">bob</bdi>');
    expect(dm).toContain("bob");
    expect(dm).toContain('aria-label="Message bob"');
    expect(dm).not.toMatch(/>[^<]*dm:1:2/);
    // A public room's says nothing of the kind.
    expect(renderToString(ui({ ...page, hasMore: false }))).not.toContain("It is private");
  });
});
