"use client";
/**
 * The long-press detector of a list of messages (see touch-actions.tsx): use-long-press on touch, its
 * handlers handed to the list's element through `handlers`. A chunk of its own.
 */
import { useEffect, type RefObject } from "react";
import { LongPressEventType, useLongPress, type LongPressReactEvents } from "use-long-press";
import type { TouchHandlers } from "./touch-actions";

/** How long a finger rests on a message before its actions show (ms); the usual touch long press. */
const LONG_PRESS_MS = 500;
/** A finger that moves this far (px) is scrolling, not pressing. */
const LONG_PRESS_SLOP = 10;
const OPTIONS = { detect: LongPressEventType.Touch, threshold: LONG_PRESS_MS, cancelOnMovement: LONG_PRESS_SLOP } as const;

type Props = {
  handlers: RefObject<TouchHandlers>;
  /** Called with the `data-touch-key` of the message pressed. */
  onLongPress(key: string): void;
  /** Called once the handlers are in place. */
  onBound(): void;
};

export default function LongPressDetector({ handlers, onLongPress, onBound }: Props) {
  const bind = useLongPress((e: LongPressReactEvents) => {
    const key = (e.target as Element | null)?.closest?.("[data-touch-key]")?.getAttribute("data-touch-key");
    if (key) onLongPress(key);
  }, OPTIONS);
  // The handlers of this render's binding, handed over after each render; the list learns once that they are in place.
  useEffect(() => {
    handlers.current = bind() as TouchHandlers;
  });
  useEffect(() => onBound(), [onBound]);
  return null;
}
