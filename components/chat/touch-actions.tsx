"use client";
/**
 * Long press on a touch screen opens a message's actions (there is no hover), and a touch elsewhere closes
 * them; a mouse shows them on hover, a keyboard on focus (CSS). One detector (use-long-press) serves a whole
 * list of messages: the list's element gets the touch handlers (`areaProps`), a long press finds its
 * message by the `data-touch-key` the message item carries, and items read whether they are the open one
 * with `useTouchOpen(key)`. The detector is fetched with the page's deferred parts (use-deferred-ready.ts);
 * until it is here a touch is only a tap. `data-long-press="on"` on the area says it is.
 */
import { createContext, lazy, Suspense, use, useCallback, useEffect, useRef, useState, type ReactNode, type RefObject, type TouchEvent } from "react";
import { useDeferredReady } from "./use-deferred-ready";

/** The touch handlers use-long-press binds (detect: touch). */
export type TouchHandlers = {
  onTouchStart?(e: TouchEvent): void;
  onTouchMove?(e: TouchEvent): void;
  onTouchEnd?(e: TouchEvent): void;
};

const LongPressDetector = lazy(() => import("./long-press-detector"));
const OpenKey = createContext<string | null>(null);

/** Whether the message with key `key` has its actions open after a long press. */
export function useTouchOpen(key: string): boolean {
  return use(OpenKey) === key;
}

/**
 * For one list of messages: `areaProps` for the element around it, and `wrap(children)` to render it with
 * (it provides the open key and mounts the detector once the deferred parts may render).
 */
export function useTouchActions() {
  const ready = useDeferredReady();
  const [openKey, setOpenKey] = useState<string | null>(null);
  const [bound, setBound] = useState(false);
  const onBound = useCallback(() => setBound(true), []);
  const handlers: RefObject<TouchHandlers> = useRef({});

  useEffect(() => {
    if (openKey === null) return;
    const away = (e: Event) => {
      const item = (e.target as Element | null)?.closest?.("[data-touch-key]");
      if (item?.getAttribute("data-touch-key") !== openKey) setOpenKey(null);
    };
    document.addEventListener("touchstart", away);
    return () => document.removeEventListener("touchstart", away);
  }, [openKey]);

  const areaProps = {
    onTouchStart: (e: TouchEvent) => handlers.current.onTouchStart?.(e),
    onTouchMove: (e: TouchEvent) => handlers.current.onTouchMove?.(e),
    onTouchEnd: (e: TouchEvent) => handlers.current.onTouchEnd?.(e),
    "data-long-press": bound ? "on" : undefined,
  };
  const wrap = (children: ReactNode) => (
    <OpenKey value={openKey}>
      {children}
      {ready && (
        <Suspense fallback={null}>
          <LongPressDetector handlers={handlers} onLongPress={setOpenKey} onBound={onBound} />
        </Suspense>
      )}
    </OpenKey>
  );
  return { areaProps, wrap };
}
