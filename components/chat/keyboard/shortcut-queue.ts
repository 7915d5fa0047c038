"use client";
/**
 * The shortcuts' key listener, the part of them in the page's first load: it recognises a shortcut
 * (shortcutFor), takes the key from the browser at once (so Ctrl+K does not reach the address bar, nor
 * `/` the browser's quick find) and hands it to the handler (shortcut-keys.tsx), a chunk of its own
 * fetched once the page is used or idle (use-deferred-ready.ts). A shortcut pressed before the handler
 * is here waits for it, so a key typed while its chunk loads is not lost.
 */
import { useEffect } from "react";
import { shortcutFor, type Shortcut } from "./shortcuts";

let handler: ((shortcut: Shortcut) => void) | null = null;
const waiting: Shortcut[] = [];

const modalOpen = () => document.querySelector("dialog[open]") !== null;

/** Listens for the shortcuts while the calling component is mounted (see the module comment). */
export function useShortcutListener(): void {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const shortcut = shortcutFor(e);
      // `/` is left to whatever took it first (a field of its own, a dialog). None acts while a modal
      // dialog is open (every <dialog> here is one: ModalDialog): the page behind it is inert.
      if (!shortcut || (shortcut === "search" && e.defaultPrevented) || modalOpen()) return;
      e.preventDefault();
      if (handler) handler(shortcut);
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
