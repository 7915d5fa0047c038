"use client";
/**
 * The long-press detector of a list of messages (see touch-actions.tsx), one of the page's idle parts
 * (idle-parts.ts): use-long-press on touch, its handlers bound to the list's element, and the open message marked on its element
 * (`data-actions-open`, which messages.css reads) until a touch elsewhere.
 */
import { useEffect, useRef, useState, type RefObject, type TouchEvent as ReactTouchEvent } from "react";
import { LongPressEventType, useLongPress, type LongPressReactEvents } from "use-long-press";
import { revealActions } from "./reveal-actions";

/** How long a finger rests on a message before its actions show (ms); the usual touch long press. */
const LONG_PRESS_MS = 500;
/** A finger that moves this far (px) is scrolling, not pressing. */
const LONG_PRESS_SLOP = 10;
const OPTIONS = { detect: LongPressEventType.Touch, threshold: LONG_PRESS_MS, cancelOnMovement: LONG_PRESS_SLOP } as const;
/**
 * A click this soon (ms) after the finger of a long press lifts is that press's, not a choice: the actions
 * it opened may lie under the finger by then (the row pushed the message up, or was scrolled into sight).
 */
const LIFT_CLICK_MS = 400;

type Handler = (e: ReactTouchEvent) => void;
type TouchHandlers = { onTouchStart?: Handler; onTouchMove?: Handler; onTouchEnd?: Handler };
const EVENTS = { touchstart: "onTouchStart", touchmove: "onTouchMove", touchend: "onTouchEnd" } as const;

/** The `data-touch-key` of the message `target` is in, if any. */
const touchKey = (target: EventTarget | null) => (target as Element | null)?.closest?.("[data-touch-key]")?.getAttribute("data-touch-key") ?? null;

export default function LongPressDetector({ area }: { area: RefObject<HTMLElement | null> }) {
  const [openKey, setOpenKey] = useState<string | null>(null);
  const pressing = useRef(false);
  const bind = useLongPress((e: LongPressReactEvents) => {
    pressing.current = true;
    setOpenKey(touchKey(e.target));
  }, OPTIONS);
  // The handlers of the latest render's binding (use-long-press reads a DOM TouchEvent as it reads React's).
  const handlers = useRef<TouchHandlers>({});
  useEffect(() => {
    handlers.current = bind() as TouchHandlers;
  });

  useEffect(() => {
    const el = area.current;
    if (!el) return;
    const listeners = Object.entries(EVENTS).map(([type, name]) => {
      const listener = (e: Event) => handlers.current[name]?.(e as unknown as ReactTouchEvent);
      el.addEventListener(type, listener, { passive: true });
      return () => el.removeEventListener(type, listener);
    });
    el.setAttribute("data-long-press", "on");
    // The lift of a long press may come with a click where the finger is: swallowed, so the press that
    // opened the actions does not also press one of them.
    let liftedAt = -Infinity;
    const lifted = () => {
      if (pressing.current) liftedAt = performance.now();
      pressing.current = false;
    };
    const click = (e: MouseEvent) => {
      if (performance.now() - liftedAt > LIFT_CLICK_MS) return;
      liftedAt = -Infinity;
      e.preventDefault();
      e.stopPropagation();
    };
    document.addEventListener("touchend", lifted, true);
    document.addEventListener("click", click, true);
    return () => {
      listeners.forEach((remove) => remove());
      document.removeEventListener("touchend", lifted, true);
      document.removeEventListener("click", click, true);
      el.removeAttribute("data-long-press");
    };
  }, [area]);

  useEffect(() => {
    if (openKey === null) return;
    const item = [...(area.current?.querySelectorAll("[data-touch-key]") ?? [])].find((el) => el.getAttribute("data-touch-key") === openKey);
    item?.setAttribute("data-actions-open", "");
    revealActions(item);
    const away = (e: Event) => {
      if (touchKey(e.target) !== openKey) setOpenKey(null);
    };
    document.addEventListener("touchstart", away);
    return () => {
      item?.removeAttribute("data-actions-open");
      document.removeEventListener("touchstart", away);
    };
  }, [area, openKey]);
  return null;
}
