"use client";
/**
 * Whether the parts of the page that nobody needs to see it can render now: true from the person's first
 * pointer, touch, wheel, key or click event, or focus moving into the page (a keyboard or screen-reader
 * user's Tab), and at the latest once the browser is first idle after the load (requestIdleCallback), so
 * a screen reader's browse mode, which sends the page no events, finds them too. Each message's actions
 * row renders from then on, so its code is fetched then, off the page's critical path (its first load
 * and hydration). The server and the hydrating client both render `false`.
 */
import { useSyncExternalStore } from "react";

const EVENTS = ["pointerdown", "pointermove", "touchstart", "wheel", "keydown", "click", "focusin"] as const;
/** Longest wait for an idle moment (ms) before rendering the deferred parts anyway. */
const IDLE_TIMEOUT_MS = 2000;
let ready = false;
let scheduled = false;
const listeners = new Set<() => void>();

function markReady(): void {
  if (ready) return;
  ready = true;
  for (const type of EVENTS) window.removeEventListener(type, markReady, true);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  if (!ready && !scheduled) {
    scheduled = true;
    for (const type of EVENTS) window.addEventListener(type, markReady, { capture: true, passive: true });
    if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(markReady, { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(markReady, IDLE_TIMEOUT_MS);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True once the deferred parts may render (see the module comment); re-renders on that change. */
export function useDeferredReady(): boolean {
  return useSyncExternalStore(subscribe, () => ready, () => false);
}
