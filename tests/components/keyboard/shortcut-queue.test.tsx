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

describe("typing outside any field", () => {
  /** A page with the room's composer (holding `draft`), a message log, a link, a button and a thread panel. */
  function page(draft = "") {
    document.body.innerHTML = `
      <a class="skip-link" href="#chat-main">Skip to the conversation</a>
      <main id="chat-main" tabindex="-1">
        <ul role="log"><li class="message" tabindex="0">hello</li></ul>
        <a href="/rooms/random">random</a> <button type="button">Reply</button> <div role="menuitem" tabindex="0">Edit</div>
        <textarea class="composer-input" aria-label="Message #general"></textarea>
      </main>
      <aside class="thread-panel"><ol><li class="message" tabindex="0">a reply</li></ol>
        <form class="thread-reply"><textarea aria-label="Reply"></textarea></form></aside>`;
    const composer = document.querySelector<HTMLTextAreaElement>(".composer-input")!;
    composer.value = draft;
    return { composer, reply: document.querySelector<HTMLTextAreaElement>(".thread-reply textarea")! };
  }
  afterEach(() => void (document.body.innerHTML = ""));

  it("moves the focus to the composer, after its text, for a character typed on the page, the skip link or a message", () => {
    const { unmount } = renderHook(() => useShortcutListener());
    for (const at of [() => document.body, () => document.querySelector<HTMLElement>(".skip-link")!, () => document.querySelector<HTMLElement>("main li.message")!]) {
      const { composer } = page("a draft");
      const target = at();
      target.focus();
      // Not taken from the browser: its default action then types the character into the focused box.
      expect(press("h", {}, target)).toBe(false);
      expect(document.activeElement).toBe(composer);
      expect([composer.selectionStart, composer.selectionEnd]).toEqual([7, 7]);
    }
    // Characters beyond ASCII and the BMP, and AltGr (some layouts' `@`), are characters too.
    for (const [key, init] of [["日", {}], ["👍", {}], ["@", { ctrlKey: true, altKey: true, modifierAltGraph: true }]] as const) {
      const { composer } = page();
      press(key, init);
      expect(document.activeElement).toBe(composer);
    }
    unmount();
  });

  it("writes a character typed in the thread's replies in the thread's box", () => {
    const { unmount } = renderHook(() => useShortcutListener());
    const { reply } = page();
    const inThread = document.querySelector<HTMLElement>(".thread-panel li.message")!;
    inThread.focus();
    press("o", {}, inThread);
    expect(document.activeElement).toBe(reply);
    unmount();
  });

  it("leaves keys that are not characters, characters with Ctrl, ⌘ or Alt, space, shortcuts, and what controls and fields type", () => {
    const { unmount } = renderHook(() => useShortcutListener());
    const { composer } = page();
    for (const [key, init] of [["Enter", {}], ["Dead", {}], ["Process", {}], [" ", {}], ["c", { ctrlKey: true }], ["c", { metaKey: true }], ["x", { altKey: true }], ["a", { isComposing: true }]] as const) {
      press(key, init);
      expect(document.activeElement).toBe(document.body);
    }
    for (const selector of ["main a[href='/rooms/random']", "button", "[role=menuitem]"]) {
      const control = document.querySelector<HTMLElement>(selector)!;
      control.focus();
      press("r", {}, control);
      expect(document.activeElement).toBe(control);
    }
    const reply = document.querySelector<HTMLElement>(".thread-reply textarea")!;
    reply.focus();
    press("r", {}, reply);
    expect(document.activeElement).toBe(reply);
    // A modal dialog open: the page behind it is inert.
    const dialog = document.body.appendChild(document.createElement("dialog"));
    dialog.setAttribute("open", "");
    document.body.focus();
    press("r");
    expect(document.activeElement).not.toBe(composer);
    dialog.remove();
    // A composer that cannot take text (not joined yet, or no right to write) is left alone.
    composer.disabled = true;
    press("r");
    expect(document.activeElement).not.toBe(composer);
    // Positive control: the same key once it can.
    composer.disabled = false;
    press("r");
    expect(document.activeElement).toBe(composer);
    unmount();
  });
});

describe("a field inside a web component (the emoji picker's search box, in its shadow root)", () => {
  afterEach(() => void (document.body.innerHTML = ""));

  /** A page with the composer and a custom element whose shadow root holds a search box, focused. */
  function pickerSearch() {
    document.body.innerHTML = `<main id="chat-main"><textarea class="composer-input" aria-label="Message #general"></textarea></main>`;
    const host = document.body.appendChild(document.createElement("div"));
    const search = host.attachShadow({ mode: "open" }).appendChild(document.createElement("input"));
    search.type = "search";
    search.focus();
    return search;
  }
  /** Presses `key` in the shadow root's box: the document's listeners see the host as the target. */
  const pressInside = (key: string, search: HTMLInputElement) => press(key, { composed: true }, search);

  it("keeps what is typed there: no jump to the composer, and `/` and `?` are characters, not shortcuts", () => {
    const { unmount } = renderHook(() => useShortcutListener());
    const handled: string[] = [];
    const stop = handleShortcuts((s) => handled.push(s));
    const search = pickerSearch();
    expect(pressInside("t", search)).toBe(false);
    expect(search.getRootNode()).not.toBe(document);
    expect((search.getRootNode() as ShadowRoot).activeElement).toBe(search);
    expect(document.activeElement).not.toBe(document.querySelector(".composer-input"));
    expect(pressInside("/", search)).toBe(false);
    expect(pressInside("?", search)).toBe(false);
    expect(handled).toEqual([]);
    // Positive control: Ctrl+K is a shortcut everywhere, in a shadow root too.
    expect(press("k", { ctrlKey: true, composed: true }, search)).toBe(true);
    expect(handled).toEqual(["switcher"]);
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
