"use client";
/**
 * Whether the person has used this page yet: true from their first pointer, touch, wheel or key event, or
 * focus moving into the page (a keyboard or screen-reader user's Tab). Parts that only matter once
 * someone acts, like each message's actions row, render from then on, so their code is fetched then and
 * not with the page's first load. The server and the hydrating client both render `false`.
 */
import { useSyncExternalStore } from "react";

const EVENTS = ["pointerdown", "pointermove", "touchstart", "wheel", "keydown", "focusin"] as const;
let interacted = false;
const listeners = new Set<() => void>();

function onFirstUse(): void {
  if (interacted) return;
  interacted = true;
  for (const type of EVENTS) window.removeEventListener(type, onFirstUse, true);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  if (!interacted && listeners.size === 0) {
    for (const type of EVENTS) window.addEventListener(type, onFirstUse, { capture: true, passive: true });
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True once the person has interacted with the page (see the module comment); re-renders on that change. */
export function useInteracted(): boolean {
  return useSyncExternalStore(subscribe, () => interacted, () => false);
}
