"use client";
/**
 * Roving focus over a list of messages (WAI-ARIA APG's roving tabindex, as Slack and Discord do): the
 * list is one Tab stop, its current message (the newest, or the one that had the focus last until a new
 * message comes while the focus is outside the list); ↑/↓ move
 * to the previous / next message, Home / End to the first / last one loaded. A message's controls (its
 * actions, reaction chips, links, files) are in the Tab order only while it is the current one and the
 * focus is in the list: Tab goes from the message into its controls, then out of the list, and Shift+Tab
 * from after the list (the message box) lands on the message itself, not on its last action (a new
 * user's trial: it walked the newest message's nine actions backwards first). Messages stay list items of the log, each
 * named by its author, text and time when it has the focus. The keys are handled by message-keys.ts, a
 * chunk fetched with the page's deferred parts (use-deferred-ready.ts: at the first key, focus or idle);
 * until then the newest message is the current one.
 */
import { lazyPart } from "./chunk-load";
import { createContext, Suspense, use, useEffect, useRef, useState } from "react";
import { useDeferredReady } from "./use-deferred-ready";

/** True inside a message that is not its list's current one: its controls are out of the Tab order. */
export const OffStop = createContext(false);

/** The tabIndex of a control inside a message: -1 while the message is not its list's current one. */
export function useControlTabIndex(): -1 | undefined {
  return use(OffStop) ? -1 : undefined;
}

const MessageKeys = lazyPart(() => import("./message-keys"));

/**
 * For a list of messages (`rows` oldest first; MessageItem with `tab` gives each item `data-key`): the
 * current message's key, the `ref` for the list element (`<ol>`) and `keys`, to render once beside it
 * (the key handling, which also makes the message with id `foundId`, a message a link or search result
 * opened, the current one, and the newest again when a message comes while the focus is outside the list).
 */
export function useMessageFocus(rows: readonly { key: string }[], foundId?: string | null, foundAt?: number) {
  const ref = useRef<HTMLOListElement>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const newest = rows[rows.length - 1]?.key;
  const ready = useDeferredReady();
  // Whether the focus is in the list (on a message or one of its controls).
  const [within, setWithin] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const enter = () => setWithin(true);
    const leave = (e: FocusEvent) => {
      if (!el.contains(e.relatedTarget as Node | null)) setWithin(false);
    };
    el.addEventListener("focusin", enter);
    el.addEventListener("focusout", leave);
    return () => {
      el.removeEventListener("focusin", enter);
      el.removeEventListener("focusout", leave);
    };
  }, []);
  return {
    current: rows.some((r) => r.key === chosen) ? chosen : newest,
    /** The focus is in the list: the current message's controls are in the Tab order. */
    within,
    ref,
    keys: ready && (
      <Suspense fallback={null}>
        <MessageKeys list={ref} newest={newest} oldest={rows[0]?.key} foundId={foundId} foundAt={foundAt} onCurrent={setChosen} />
      </Suspense>
    ),
  };
}
