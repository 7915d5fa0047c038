/** @jest-environment jsdom */
/**
 * A character typed on a message box's own button (Send, Attach, a file's Remove) goes into that box:
 * an outside trial pressed Tab in the composer, landed on Send, and typed "see you": the letters were
 * lost and the space sent the half-written draft. Other buttons, links, fields and widgets keep their keys.
 */
import { renderHook } from "@testing-library/react";
import { useShortcutListener } from "@/components/chat/keyboard/shortcut-queue";
import { typesIntoComposer } from "@/components/chat/keyboard/shortcuts";

/** Presses `key` on `target` as the browser would. */
function press(key: string, target: Element): void {
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
}

function page() {
  document.body.innerHTML = `
    <main id="chat-main">
      <form class="composer"><div class="composer-box">
        <button type="button" class="attach-button" aria-label="Attach files">+</button>
        <textarea class="composer-input" aria-label="Message #general"></textarea>
        <button type="submit" class="send-button" aria-label="Send message">›</button>
      </div><ul><li><button type="button" aria-label="Remove a.png">×</button></li></ul></form>
      <div class="message-actions"><button type="button" aria-label="React 👍">👍</button></div>
    </main>
    <aside class="thread-panel"><form class="thread-reply"><div class="thread-reply-box">
      <textarea aria-label="Reply in thread"></textarea><button type="submit">Reply</button>
    </div></form></aside>`;
  const get = (selector: string) => document.querySelector<HTMLElement>(selector)!;
  return {
    composer: get(".composer-input") as HTMLTextAreaElement,
    send: get(".send-button"),
    attach: get(".attach-button"),
    remove: get("form.composer li button"),
    react: get(".message-actions button"),
    reply: get(".thread-reply textarea") as HTMLTextAreaElement,
    replyButton: get(".thread-reply button"),
  };
}

/** A plain key press, as typesIntoComposer reads it. */
const keyOn = (key: string, target: Element) => ({ key, target, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false });

describe("a character typed on a message box's own button", () => {
  afterEach(() => (document.body.innerHTML = ""));

  it("goes to that box: the composer's Send, Attach and Remove; the reply box's Reply", () => {
    const p = page();
    for (const el of [p.send, p.attach, p.remove, p.replyButton]) expect(typesIntoComposer(keyOn("s", el))).toBe(true);
    // Space and Enter still press the button; shortcuts stay shortcuts.
    for (const key of [" ", "Enter", "/", "?"]) expect(typesIntoComposer(keyOn(key, p.send))).toBe(false);
    // Other buttons keep their keys (a message's actions), as fields do.
    expect(typesIntoComposer(keyOn("s", p.react))).toBe(false);
    expect(typesIntoComposer(keyOn("s", p.composer))).toBe(false);
  });

  it("moves the focus to the box, the thread's in its panel, where the character lands", () => {
    const p = page();
    const { unmount } = renderHook(() => useShortcutListener());
    p.composer.value = "draft text";
    p.send.focus();
    press("s", p.send);
    expect(document.activeElement).toBe(p.composer);
    expect([p.composer.selectionStart, p.composer.value.length]).toEqual([10, 10]);
    p.replyButton.focus();
    press("y", p.replyButton);
    expect(document.activeElement).toBe(p.reply);
    // Positive control: a message's action button keeps the focus.
    p.react.focus();
    press("s", p.react);
    expect(document.activeElement).toBe(p.react);
    unmount();
  });
});
