/** @jest-environment jsdom */
import { act, render, screen, within } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { hydrateRoot } from "react-dom/client";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { mockFetch, userSession } from "../helpers/fetch-mock";
import { fakeIo, type FakeSocket } from "./fake-socket";
import { message } from "./fixtures";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

let sockets: FakeSocket[];
const latest = () => sockets[sockets.length - 1];
const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));
const page = { room: "general", messages: [message(1), message(2, { author: "bob" }), message(3)], hasMore: true };

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
});
