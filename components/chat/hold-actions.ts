"use client";
/**
 * A press elsewhere must not move what it presses. Where a message's action row opens under its text
 * (touch screens, phone widths, the thread panel: messages.css), it shows while the focus is in the
 * message and takes its room in the page; a press on something below moves the focus away, the row
 * closed, everything below moved up by its height before the pointer was lifted, and the click landed on
 * something else or on nothing (a reaction chip under the next message was not toggled).
 *
 * So from a press outside the message that has the focus until that press's click, the message keeps
 * its row (`data-actions-open`, which messages.css reads), and lets it go right after: the click's target
 * is the element under the pointer when it went down, as the person saw it.
 */
import { useEffect } from "react";

/** How long (ms) after the pointer is lifted a press without a click (a drag, a scroll) still holds the row. */
const NO_CLICK_MS = 400;

/** The attribute messages.css opens a message's action row by (also set by a long press: long-press-detector.tsx). */
const OPEN = "data-actions-open";

/**
 * Installs the hold on the document for as long as the calling component is mounted (one per page: the
 * chat). Capture listeners, so no handler of the page can stop them; a message is `li.message`.
 */
export function useActionsHeldDuringPress(): void {
  useEffect(() => {
    let release: (() => void) | null = null;
    const down = (e: PointerEvent) => {
      release?.();
      const message = (document.activeElement as Element | null)?.closest?.("li.message");
      if (!message || message.hasAttribute(OPEN) || (e.target instanceof Node && message.contains(e.target))) return;
      message.setAttribute(OPEN, "");
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
        message!.removeAttribute(OPEN);
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
    document.addEventListener("pointerdown", down, true);
    return () => {
      document.removeEventListener("pointerdown", down, true);
      release?.();
    };
  }, []);
}
