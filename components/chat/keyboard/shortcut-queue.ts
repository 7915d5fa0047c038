"use client";
/**
 * The shortcuts' key listener, the part of them in the page's first load: it recognises a shortcut
 * (shortcutFor), takes the key from the browser at once (so Ctrl+K does not reach the address bar, nor
 * `/` the browser's quick find) and hands it to the handler (shortcut-keys.tsx), a chunk of its own
 * fetched once the page is used or idle (use-deferred-ready.ts). A shortcut pressed before the handler
 * is here waits for it, so a key typed while its chunk loads is not lost. A character typed where
 * nothing takes characters (typesIntoComposer) is written in the composer instead.
 */
import { useEffect, useRef } from "react";
import { shortcutFor, typesIntoComposer, type Shortcut } from "./shortcuts";

let handler: ((shortcut: Shortcut) => void) | null = null;
const waiting: Shortcut[] = [];

const modalOpen = () => document.querySelector("dialog[open]") !== null;

/**
 * The message box nearest `target`: the thread's reply box for what is in the thread panel (its replies),
 * the room's composer otherwise; null when it cannot take text now (a room that refused the join, no right
 * to write: disabled or read-only). Where a character typed outside any field goes, and the focus whose
 * element a render took out of a message list (message-focus.tsx) when no message is left to take it.
 */
export function composerFor(target: Element): HTMLTextAreaElement | null {
  const box = target.closest(".thread-panel")?.querySelector<HTMLTextAreaElement>(".thread-reply textarea")
    ?? document.querySelector<HTMLTextAreaElement>("#chat-main .composer-input");
  return box && !box.disabled && !box.readOnly ? box : null;
}

const pick = ({ key, ctrlKey, metaKey, altKey, shiftKey }: KeyboardEvent) => ({ key, ctrlKey, metaKey, altKey, shiftKey });

/**
 * Listens for the shortcuts, and for characters typed outside any field, while the calling component is
 * mounted (see the module comment). `openSearch`: what `/` does, from the page's first load, so it acts at
 * once: `/` waiting for the handler's chunk left a gap in which the next keys went to the composer or were
 * lost (an outside trial: `/` 0.8 s after the load, then "abc…" 200 ms apart, gave the search box "c…").
 * Without it (no reader known yet), `/` waits for the handler as the other shortcuts do.
 */
export function useShortcutListener(openSearch?: () => void): void {
  const search = useRef(openSearch);
  search.current = openSearch;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      // The element the key really went to: a field inside a web component's shadow root (the emoji
      // picker's search box) reaches this listener retargeted to its host, which is no field.
      const target = e.composedPath?.()[0] ?? e.target;
      const shortcut = shortcutFor({ ...pick(e), target });
      // A character typed where nothing takes characters goes to the composer, after what is there: the
      // focus moves before the browser inserts the character, so the character lands in the box.
      if (!shortcut && !e.defaultPrevented && !modalOpen() && typesIntoComposer({ ...pick(e), target, altGraph: e.getModifierState?.("AltGraph"), isComposing: e.isComposing })) {
        // Which panel it was typed in: the light DOM's element (a shadow root's host), which is in it.
        const box = composerFor(e.target as Element);
        if (box) {
          box.focus();
          box.setSelectionRange(box.value.length, box.value.length);
        }
        return;
      }
      // `/` is left to whatever took it first (a field of its own, a dialog). None acts while a modal
      // dialog is open (every <dialog> here is one: ModalDialog): the page behind it is inert.
      if (!shortcut || (shortcut === "search" && e.defaultPrevented) || modalOpen()) return;
      e.preventDefault();
      if (shortcut === "search" && search.current) search.current();
      else if (handler) handler(shortcut);
      else waiting.push(shortcut);
    }
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      waiting.length = 0;
    };
  }, []);
}

/**
 * For the handler: gives it the shortcuts pressed while it was loading, then each one as it comes, until
 * the returned function is called.
 */
export function handleShortcuts(handle: (shortcut: Shortcut) => void): () => void {
  handler = handle;
  for (const shortcut of waiting.splice(0)) handle(shortcut);
  return () => {
    if (handler === handle) handler = null;
  };
}
