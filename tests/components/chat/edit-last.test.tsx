/** @jest-environment jsdom */
/**
 * ↑ in an empty composer edits your last message (chat-app.tsx); saving or cancelling that edit gives the
 * focus back to the composer it came from, not to the message's Edit button.
 */
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { guestSession, mockFetch } from "../helpers/fetch-mock";
import { fakeIo, type FakeSocket } from "./fake-socket";
import { message } from "./fixtures";
import { messageActionsReady } from "./message-actions-ready";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

let sockets: FakeSocket[];
beforeAll(messageActionsReady);
beforeEach(() => {
  mockFetch([{ path: "/api/session", body: guestSession }]);
  localStorage.clear();
  sockets = fakeIo();
});

const latest = () => sockets[sockets.length - 1];

async function joined() {
  localStorage.setItem("hibiki.name", "Aiko");
  render(
    <ChatProvider>
      <ChatApp room="general" />
    </ChatProvider>,
  );
  await act(() => new Promise((r) => setTimeout(r, 0)));
  const socket = latest();
  act(() => socket.open());
  act(() => socket.serve("session", { name: "Aiko", guest: true, admin: false }));
  await act(async () => socket.lastSent("join-room").reply({
    ok: true,
    data: { room: {}, messages: [message(1, { author: "Aiko", text: "mine" }), message(2, { author: "bob" })], members: [], hasMore: false, readSeq: 2 },
  }));
  await act(async () => socket.lastSent("list-rooms").reply({
    ok: true, data: { rooms: [{ name: "general", kind: "public", private: false, online: 2, unread: 0, lastSeq: 2, lastMessageId: null }] },
  }));
  return { socket, composer: screen.getByRole("textbox", { name: "Message #general" }) };
}

describe("↑ from the composer", () => {
  it("opens your last message's edit, and Esc or a save goes back to the composer", async () => {
    const { socket, composer } = await joined();
    const user = userEvent.setup();
    await waitFor(() => expect(composer).toBeEnabled());
    composer.focus();
    await user.keyboard("{ArrowUp}");
    const box = await screen.findByRole("textbox", { name: "Edit message" });
    expect(box).toHaveValue("mine");
    await waitFor(() => expect(box).toHaveFocus());
    await user.keyboard("{Escape}");
    await waitFor(() => expect(composer).toHaveFocus());

    await user.keyboard("{ArrowUp}");
    const again = await screen.findByRole("textbox", { name: "Edit message" });
    await waitFor(() => expect(again).toHaveFocus());
    await user.keyboard(" again{Enter}");
    await act(async () => socket.lastSent("edit-message").reply({ ok: true, data: { message: message(1, { author: "Aiko", text: "mine again" }) } }));
    await waitFor(() => expect(screen.queryByRole("textbox", { name: "Edit message" })).toBeNull());
    await waitFor(() => expect(composer).toHaveFocus());
  });
});
