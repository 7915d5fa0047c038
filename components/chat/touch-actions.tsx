"use client";
/**
 * Long press on a touch screen opens a message's actions (there is no hover), and a touch elsewhere closes
 * them; a mouse shows them on hover, a keyboard on focus (CSS). One detector (long-press-detector.tsx) serves
 * a whole list of messages: it listens on the list's element, finds the message pressed by the
 * `data-touch-key` the message item carries and marks it open (`data-actions-open`). It is fetched with the
 * page's deferred parts (use-deferred-ready.ts); until it is here a touch is only a tap.
 * `data-long-press="on"` on the area says it is.
 */
import { lazyPart } from "./chunk-load";
import { Suspense, type RefObject } from "react";
import { useDeferredReady } from "./use-deferred-ready";

const LongPressDetector = lazyPart(() => import("./idle-parts").then((m) => ({ default: m.LongPressDetector })));

/** The long-press detector for the messages in `area` (the list's element), once the deferred parts may render. */
export function TouchActions({ area }: { area: RefObject<HTMLElement | null> }) {
  const ready = useDeferredReady();
  return ready ? (
    <Suspense fallback={null}>
      <LongPressDetector area={area} />
    </Suspense>
  ) : null;
}
