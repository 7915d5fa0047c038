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
import { createContext, Suspense, use, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useDeferredReady } from "./use-deferred-ready";
import { keepFocus } from "./keep-focus";
import { composerFor } from "./keyboard/shortcut-queue";

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
 * Focus on a row, or on one of its controls, that a change takes off the page stays in the list (keepInList).
 */
export function useMessageFocus(rows: readonly Row[], foundId?: string | null, foundAt?: number) {
  const ref = useRef<HTMLOListElement>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const newest = rows[rows.length - 1]?.key;
  const ready = useDeferredReady();
  // Whether the focus is in the list (on a message or one of its controls).
  const [within, setWithin] = useState(false);
  // What has the focus in the list, and its message's row: when a change from elsewhere takes it away
  // (someone else deleted the message: its actions, chips and picker go with its text), keepInList puts
  // the focus back in the list. The rows as last rendered: where a row that is gone stood.
  const held = useRef<{ el: Element; key: string } | null>(null);
  const shownRows = useRef(rows);
  useLayoutEffect(() => {
    const before = shownRows.current;
    shownRows.current = rows;
    const was = held.current;
    if (!was || was.el.isConnected || !ref.current) return;
    held.current = null;
    keepInList(ref.current, was.key, before, rows);
  });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const enter = (e: FocusEvent) => {
      setWithin(true);
      const key = (e.target as Element).closest?.("li[data-key]")?.getAttribute("data-key");
      held.current = key && el.contains(e.target as Node) ? { el: e.target as Element, key } : null;
    };
    const leave = (e: FocusEvent) => {
      if (!el.contains(e.relatedTarget as Node | null)) setWithin(false);
      // Gone elsewhere on the page (not to nowhere, as with the element taken away, or the window left).
      if (e.relatedTarget && !el.contains(e.relatedTarget as Node)) held.current = null;
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

type Row = { key: string; id?: string; message?: { deleted?: true } };

/**
 * The focus was in `list`, on row `key` or one of its controls, and the render that gave `rows` (oldest
 * first; `before`: the rows before it) took that element off the page. If the focus fell to the page, it
 * goes to that message's row (found by the message's id if it was keyed anew), else to the nearest row
 * left (the next, else the previous), else to the message box: never to the page, where a keyboard user
 * would start over from the top and ↑/↓ would do nothing (WCAG 2.4.3). Focus already elsewhere is left
 * alone. A message deleted (by someone else, or an admin: its actions, chips and emoji picker go with its
 * text) has its row, its tombstone, take the focus at once, in the commit that took the control away: the
 * row's name says "message deleted", where a frame later a screen reader would have announced the page.
 * Otherwise a frame later (keepFocus), after what the control's own press chose for it (Edit after an
 * edit, the next message after a Discard).
 */
function keepInList(list: HTMLElement, key: string, before: readonly Row[], rows: readonly Row[]) {
  const item = (k: string) => [...list.querySelectorAll<HTMLElement>("li[data-key]")].find((li) => li.dataset.key === k);
  const at = before.findIndex((r) => r.key === key);
  const id = before[at]?.id;
  const same = rows.find((r) => r.key === key || (!!id && r.id === id));
  const left = new Set(rows.map((r) => r.key));
  const next = before.slice(at + 1).find((r) => left.has(r.key));
  const previous = before.slice(0, Math.max(at, 0)).findLast((r) => left.has(r.key));
  const target = () => [same, next, previous].map((r) => r && item(r.key)).find(Boolean) ?? composerFor(list);
  if (!same?.message?.deleted) return keepFocus(target);
  const active = document.activeElement;
  if (!active || active === document.body) target()?.focus({ preventScroll: true });
}
