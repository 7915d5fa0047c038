"use client";
/**
 * Chat scrolling: follow the newest message while the reader is at the bottom, leave them alone once they
 * scroll up (and report that unseen messages arrived), keep their place when older messages are
 * prepended, and ask for older messages near the top. Decisions use only scrollTop / scrollHeight /
 * clientHeight so they work (and are testable) without layout.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/** Within this many pixels of the bottom counts as "at the bottom" (sub-pixel rounding, momentum). */
const BOTTOM_SLACK_PX = 48;
const TOP_TRIGGER_PX = 80;

/**
 * Whether the reader is doing something in the log (the focus is in it, or a message's actions are open:
 * a long press marks it data-actions-open before the focus moves): content that grows then is their own
 * doing, and the view stays where it is, so nothing moves under them.
 */
const readerWorking = (el: HTMLElement) => el.contains(document.activeElement) || !!el.querySelector("[data-actions-open]");

/**
 * The message the reader is working on in log `el` (the focus is in it, or its actions are open), kept
 * whole in view when it grows: one's own reaction added to the last message showed below the view's
 * bottom (an outside trial). The view moves down by what is cut off at the bottom, never so far that
 * the message's top leaves the view: only what the reader's own doing added comes into view, nothing
 * else moves under them.
 */
function keepWorkedOnInView(el: HTMLElement) {
  const active = el.contains(document.activeElement) ? document.activeElement : null;
  const item = (active?.closest("li.message") ?? el.querySelector("li.message[data-actions-open]")) as HTMLElement | null;
  if (!item || !el.contains(item)) return;
  const view = el.getBoundingClientRect();
  const box = item.getBoundingClientRect();
  const cut = box.bottom - view.bottom;
  if (cut > 0) el.scrollTop += Math.min(cut, Math.max(0, box.top - view.top));
}

type Options = {
  /** Key of the first and last rendered message: changes tell prepends from appends. */
  firstKey: string | undefined;
  lastKey: string | undefined;
  /** The newest message was just written by this user: always show it. */
  lastIsOwn: boolean;
  onNearTop(): void;
};

export function usePinnedScroll({ firstKey, lastKey, lastIsOwn, onNearTop }: Options) {
  const ref = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  // Starts empty so the first layout pass counts as an append and opens at the newest message.
  const prev = useRef<{ firstKey?: string; lastKey?: string; height: number }>({ height: 0 });
  const [unseen, setUnseen] = useState(false);
  // Whether the resize observer keeps prev.height current (it is what onScroll compares with).
  const tracked = useRef(false);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const before = prev.current;
    if (lastKey !== before.lastKey) {
      if (pinned.current || lastIsOwn) {
        el.scrollTop = el.scrollHeight;
        pinned.current = true;
        setUnseen(false);
      } else if (lastKey !== undefined) {
        setUnseen(true);
      }
    } else if (firstKey !== before.firstKey && !pinned.current) {
      // Older messages went in above: shift by their height so the reader's view does not jump.
      el.scrollTop += el.scrollHeight - before.height;
    }
    prev.current = { firstKey, lastKey, height: el.scrollHeight };
  }, [firstKey, lastKey, lastIsOwn]);

  // Keeps the newest message in view when the viewport shrinks (phone keyboard, growing composer) and
  // when the messages grow without a new one (a link preview card or an image arriving, a reaction, an
  // edit): the log's own size does not change then, only its content's. Content that grows while the
  // reader is working in the log (readerWorking) stays where it is.
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    tracked.current = true;
    const observer = new ResizeObserver((entries) => {
      // The content's height as of now, whatever is done with it: onScroll tells a scroll the content
      // caused from the reader's own by comparing with it.
      prev.current.height = el.scrollHeight;
      if (!pinned.current) return;
      if (readerWorking(el) && entries.every((e) => e.target !== el)) return keepWorkedOnInView(el);
      el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    // The log's content is in its children (a track at least as tall as the view: messages.css
    // .message-track, which grows with the content once that is taller than the view).
    for (const child of Array.from(el.children)) observer.observe(child);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    // The content changed height since it was last measured, and this scroll comes before the resize
    // observer has seen it: the browser moved the view (clamping it when the content shrank, scroll
    // anchoring when it grew), not the reader. Someone at the bottom stays there. (Only where the resize
    // observer measures the content: without it the last height is not current.)
    if (tracked.current && pinned.current && !atBottom && el.scrollHeight !== prev.current.height && !readerWorking(el)) {
      el.scrollTop = el.scrollHeight;
      prev.current.height = el.scrollHeight;
      return;
    }
    pinned.current = atBottom;
    if (atBottom) setUnseen(false);
    prev.current.height = el.scrollHeight;
    if (el.scrollTop <= TOP_TRIGGER_PX && el.scrollHeight > el.clientHeight) onNearTop();
  }, [onNearTop]);

  const scrollToBottom = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    pinned.current = true;
    setUnseen(false);
  }, []);

  /**
   * Takes where the view is now as the reader's place, after the page scrolled it on purpose (to a
   * message a link or search result opened): it keeps to the newest message only if it is there.
   */
  const settle = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    prev.current.height = el.scrollHeight;
  }, []);

  return { ref, onScroll, unseen, scrollToBottom, settle };
}
