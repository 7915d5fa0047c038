"use client";
/**
 * A press must not move what it presses. Where a message's action row opens under its text (touch
 * screens, phone widths, the thread panel: messages.css), it shows while the focus is in the message or
 * after a long press, and takes its room in the page. A press moves the focus: the row of the message
 * that had it closed, and the row of the pressed message opened above what comes after its text, before
 * the pointer was lifted; the click then landed on something else or on nothing (a reaction chip under
 * the next message was not toggled, a "1 reply" link did not open the thread).
 *
 * So from a press until that press's click, the rows stay as they were when it began: a message whose
 * row was shown keeps it (`data-actions-held`), and the pressed message, if its row was not shown,
 * waits (`data-actions-waiting`; a long press, which sets data-actions-open, still opens it). Right after
 * the click, or a while after a press that makes none (a drag, a scroll), the rows follow the focus
 * again. The click's target is the element under the pointer when it went down, as the person saw it.
 */
import { useEffect } from "react";
import { revealActions, revealWhenMounted, rowShown } from "./reveal-actions";

/** How long (ms) after the pointer is lifted a press without a click (a drag, a scroll) still holds the rows. */
const NO_CLICK_MS = 400;
/**
 * How long (ms) after a press opened a message's row a pointer's press on that row does nothing: the
 * row opens under the finger's next tap (a double tap, or a second tap to be sure), which landed on a
 * reaction everyone then saw. Longer than a double tap's interval (about 300 ms), shorter than seeing
 * a new button and aiming at it.
 */
const JUST_OPENED_MS = 500;
/** When a press last opened each message's row (performance.now(), as event time stamps are). */
const openedByPress = new WeakMap<Element, number>();
/**
 * Messages a press opened whose row was not rendered yet when the press ended (its code comes once the page
 * is idle: useDeferredReady); the row opens under the finger when it mounts (actionsRowRef). Until the next press.
 */
let awaitingRow = new WeakSet<Element>();

/**
 * Marks `message`'s row as opened by a press now, and again at the next frame: the row is seen from the
 * frame it is painted in, which on a busy device comes well after the press ended (JUST_OPENED_MS counts
 * from what the person saw).
 */
function openedNowByPress(message: Element): void {
  openedByPress.set(message, performance.now());
  requestAnimationFrame(() => openedByPress.set(message, performance.now()));
}

/**
 * The ref of a message's actions row: brings it into sight if it mounts already open (revealWhenMounted),
 * and when a press asked for it before it was rendered, takes no pointer's click on it for
 * JUST_OPENED_MS, as for a row a press opened (useActionsHeldDuringPress).
 */
export function actionsRowRef(row: HTMLElement | null): void {
  revealWhenMounted(row);
  const message = row?.closest("li.message");
  if (!message || !awaitingRow.has(message)) return;
  awaitingRow.delete(message);
  if (rowShown(message)) openedNowByPress(message);
}

const HELD = "data-actions-held";
const WAITING = "data-actions-waiting";

/**
 * Installs the hold on the document for as long as the calling component is mounted (one per page: the
 * chat). Capture listeners, so no handler of the page can stop them; a message is `li.message`.
 */
export function useActionsHeldDuringPress(): void {
  useEffect(() => {
    let release: (() => void) | null = null;
    const down = (e: PointerEvent) => {
      release?.();
      awaitingRow = new WeakSet();
      const pressed = e.target instanceof Element ? e.target.closest("li.message") : null;
      const candidates = new Set<Element>(document.querySelectorAll("li.message[data-actions-open]"));
      const focused = (document.activeElement as Element | null)?.closest?.("li.message");
      if (focused) candidates.add(focused);
      if (pressed) candidates.add(pressed);
      const marked: [Element, string][] = [];
      for (const message of candidates) {
        const shown = rowShown(message);
        // The pressed message keeps a shown row by its focus or hover already; only the others need holding.
        if (shown && message === pressed) continue;
        const name = shown ? HELD : WAITING;
        message.setAttribute(name, "");
        marked.push([message, name]);
      }
      if (marked.length === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const lifted = () => {
        clearTimeout(timer);
        timer = setTimeout(done, NO_CLICK_MS);
      };
      // After the click has been dispatched to its target (a later task), not during it.
      const clicked = () => {
        clearTimeout(timer);
        timer = setTimeout(done, 0);
      };
      function done() {
        clearTimeout(timer);
        for (const [message, name] of marked) message.removeAttribute(name);
        // The pressed message's row waited for the press to end, and shows now (its focus came with the
        // press): under the newest message's text that is below the list's edge, so it is brought into
        // sight now (revealActions at the focus found it still closed). A row not rendered yet is
        // brought into sight when it is (revealWhenMounted).
        for (const [message, name] of marked) {
          if (name !== WAITING) continue;
          if (!message.querySelector(".message-actions")) awaitingRow.add(message);
          if (!rowShown(message)) continue;
          openedNowByPress(message);
          revealActions(message);
        }
        document.removeEventListener("pointerup", lifted, true);
        document.removeEventListener("pointercancel", lifted, true);
        document.removeEventListener("click", clicked, true);
        release = null;
      }
      document.addEventListener("pointerup", lifted, true);
      document.addEventListener("pointercancel", lifted, true);
      document.addEventListener("click", clicked, true);
      release = done;
    };
    // A pointer's click on a row a press has just opened is not taken (JUST_OPENED_MS); keys' clicks
    // (detail 0: Enter, Space) always are.
    const justOpened = (e: MouseEvent) => {
      if (e.detail === 0 || !(e.target instanceof Element)) return;
      const message = e.target.closest(".message-actions")?.closest("li.message");
      const at = message ? openedByPress.get(message) : undefined;
      if (at === undefined || e.timeStamp - at >= JUST_OPENED_MS) return;
      e.preventDefault();
      e.stopPropagation();
    };
    document.addEventListener("pointerdown", down, true);
    document.addEventListener("click", justOpened, true);
    return () => {
      document.removeEventListener("pointerdown", down, true);
      document.removeEventListener("click", justOpened, true);
      release?.();
    };
  }, []);
}

const DISMISSED = "data-actions-dismissed";

/**
 * Escape hides the action row a hovering pointer shows over a message (WCAG 1.4.13, content on hover:
 * dismissible without moving the pointer; the floating row covers the end of the message's first line).
 * It stays hidden until the pointer leaves that message. A row shown by focus or a long press is not
 * hover content and stays: Escape there belongs to whatever has the focus. Installed on the document for
 * as long as the calling component is mounted (the chat); a message is `li.message`.
 */
export function useEscapeHidesHoverActions(): void {
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      const hovered = [...document.querySelectorAll("li.message:hover")].at(-1);
      if (!hovered || hovered.matches(":focus-within, [data-actions-open]") || !rowShown(hovered)) return;
      hovered.setAttribute(DISMISSED, "");
      hovered.addEventListener("pointerleave", () => hovered.removeAttribute(DISMISSED), { once: true });
    };
    document.addEventListener("keydown", key);
    return () => document.removeEventListener("keydown", key);
  }, []);
}
