/** @jest-environment jsdom */
/**
 * A guest whose name an admin bans while they are in the chat (or who comes back under it) is asked for
 * another name, saying why, not sent to a sign-in page that speaks of an account they never had (an
 * outside trial: the page said "An admin deactivated your account", and back in the room it hung on
 * "You are not allowed to do this.").
 */
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { guestSession, mockFetch } from "../helpers/fetch-mock";
import { fakeIo, type FakeSocket } from "./fake-socket";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
const replace = jest.fn();
jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace }) }));

let sockets: FakeSocket[];
beforeAll(() => loadLang("ja"));
beforeEach(() => {
  mockFetch([{ path: "/api/session", body: guestSession }]);
  localStorage.clear();
  localStorage.setItem("hibiki.name", "Aiko");
  replace.mockClear();
  sockets = fakeIo();
});

const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));
const latest = () => sockets[sockets.length - 1];

function renderChat(lang: "en" | "ja" = "en") {
  render(
    <LangProvider lang={lang}>
      <ChatProvider>
        <ChatApp room="general" />
      </ChatProvider>
    </LangProvider>,
  );
}

it.each([["en"], ["ja"]] as const)("asks a guest banned while connected (%s) for another name, and connects under it", async (lang) => {
  renderChat(lang);
  await settle();
  const socket = latest();
  act(() => socket.open());
  act(() => socket.serve("session", { name: "Aiko", guest: true, admin: false }));
  act(() => socket.serve("session-ended", { reason: "account_deactivated" }));
  await settle();
  expect(replace).not.toHaveBeenCalled();
  const dialog = await screen.findByRole("dialog");
  expect(within(dialog).getByRole("alert")).toHaveTextContent(lang === "en" ? "An admin banned this name. Choose another name to go on as a guest." : "この名前は管理者に禁止されています。");
  // No way to dismiss it back into a banned name.
  expect(screen.queryByRole("button", { name: /Cancel|キャンセル/ })).toBeNull();
  const field = within(dialog).getByRole("textbox");
  await userEvent.clear(field);
  await userEvent.type(field, "Aiko2{Enter}");
  await settle();
  expect(latest()).not.toBe(socket);
  expect(dialog).not.toBeInTheDocument();
});

it("asks for another name when the banned name is refused at the handshake (name_banned)", async () => {
  renderChat();
  await settle();
  const socket = latest();
  act(() => {
    socket.active = false;
    socket.serve("connect_error", Object.assign(new Error("this name is banned"), { data: { code: "forbidden", message: "this name is banned", reason: "name_banned", field: "name" } }));
  });
  await settle();
  expect(await screen.findByRole("dialog")).toBeInTheDocument();
  expect(screen.getByRole("alert")).toHaveTextContent("An admin banned this name.");
  expect(replace).not.toHaveBeenCalled();
});
