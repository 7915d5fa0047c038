/** @jest-environment jsdom */
/**
 * The shortcuts' handler is a chunk fetched once the page is used or idle (shortcut-keys.tsx); the small
 * listener of the first load (shortcut-queue.ts) takes a shortcut at once and holds it until the handler
 * is here, so the first key pressed on a fresh page still does what it says.
 */
import { act, fireEvent, render, renderHook, screen } from "@testing-library/react";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { handleShortcuts, useShortcutListener } from "@/components/chat/keyboard/shortcut-queue";
import { guestSession, mockFetch } from "../helpers/fetch-mock";
import { fakeIo } from "../chat/fake-socket";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));
jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

/** Presses `key` on `target` as the browser would; returns whether the page took it (preventDefault). */
function press(key: string, init: KeyboardEventInit = {}, target: EventTarget = document.body): boolean {
  const e = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(e);
  return e.defaultPrevented;
}

describe("the shortcut listener of the first load", () => {
  it("takes shortcuts from the browser at once and hands them over, in order, when the handler comes", () => {
    const { unmount } = renderHook(() => useShortcutListener());
    expect(press("k", { ctrlKey: true })).toBe(true);
    expect(press("?")).toBe(true);
    // Not shortcuts: plain keys, and `?` or `/` typed into a field.
    expect(press("k")).toBe(false);
    const field = document.body.appendChild(document.createElement("textarea"));
    expect(press("?", {}, field)).toBe(false);
    expect(press("/", {}, field)).toBe(false);
    const handled: string[] = [];
    const stop = handleShortcuts((s) => handled.push(s));
    expect(handled).toEqual(["switcher", "help"]);
    expect(press("ArrowDown", { altKey: true })).toBe(true);
    expect(handled).toEqual(["switcher", "help", "next-room"]);
    stop();
    unmount();
    field.remove();
  });

  it("leaves every shortcut alone while a modal dialog is open: the page behind it is inert", () => {
    const { unmount } = renderHook(() => useShortcutListener());
    const handled: string[] = [];
    const stop = handleShortcuts((s) => handled.push(s));
    const dialog = document.body.appendChild(document.createElement("dialog"));
    dialog.setAttribute("open", "");
    const inside = dialog.appendChild(document.createElement("button"));
    expect(press("k", { ctrlKey: true }, inside)).toBe(false);
    expect(press("ArrowDown", { altKey: true }, inside)).toBe(false);
    expect(press("?")).toBe(false);
    expect(handled).toEqual([]);
    // Positive control: the same keys once it is closed.
    dialog.remove();
    press("k", { ctrlKey: true });
    press("ArrowDown", { altKey: true });
    expect(handled).toEqual(["switcher", "next-room"]);
    stop();
    unmount();
  });

  it("leaves `/` to a part of the page that took it first", () => {
    const { unmount } = renderHook(() => useShortcutListener());
    const handled: string[] = [];
    const stop = handleShortcuts((s) => handled.push(s));
    const own = (e: KeyboardEvent) => e.preventDefault();
    document.body.addEventListener("keydown", own);
    press("/");
    document.body.removeEventListener("keydown", own);
    expect(handled).toEqual([]);
    // Positive control: the same key, not taken, is search.
    press("/");
    expect(handled).toEqual(["search"]);
    stop();
    unmount();
  });
});

describe("a fresh room page", () => {
  it("opens the shortcut list for a `?` pressed before the shortcuts' code has loaded", async () => {
    mockFetch([{ path: "/api/session", body: guestSession }]);
    localStorage.setItem("hibiki.name", "Aiko");
    fakeIo();
    render(
      <ChatProvider>
        <ChatApp room="general" />
      </ChatProvider>,
    );
    await act(() => new Promise((r) => setTimeout(r, 0)));
    // The first event of the page: it is what makes the page fetch the handler.
    act(() => void fireEvent.keyDown(document.body, { key: "?" }));
    expect(await screen.findByRole("dialog", { name: "Keyboard shortcuts" })).toBeInTheDocument();
  });
});
