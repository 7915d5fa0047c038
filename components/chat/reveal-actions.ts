/**
 * Brings a message's actions row into sight once it shows. On a touch screen, and where the messages are
 * narrow, the row opens under the message's text (messages.css): for the newest message that is below the
 * list's edge, and the list does not move by itself, so the row a tap, a long press or ↓ asked for stayed
 * out of sight. Where the row floats over the message's corner it is in sight already and nothing moves.
 */
export function revealActions(item: Element | null | undefined): void {
  item?.querySelector(".message-actions")?.scrollIntoView?.({ block: "nearest" });
}

/** Whether `message`'s action row is shown now (closed, it is clipped to one pixel: messages.css). */
export function rowShown(message: Element): boolean {
  const row = message.querySelector(".message-actions");
  return !!row && row.getBoundingClientRect().height > 1;
}

/**
 * The ref of a message's actions row: when the row comes onto the page already open for a message that
 * asked for it (the message itself has the focus, from a tap or ↑/↓, or a long press opened it), it is
 * brought into sight then (revealActions). The row is rendered once the page is idle or first used, from
 * code loaded then (useDeferredReady): on a busy device that is after the tap, and after every moment
 * the tap looked for it (its focus, the end of the press); it then opened below the list's edge, out of
 * sight.
 */
export function revealWhenMounted(row: HTMLElement | null): void {
  const message = row?.closest("li.message");
  if (!message || !(message === document.activeElement || message.hasAttribute("data-actions-open"))) return;
  if (rowShown(message)) revealActions(message);
}

/** The panes the messages scroll in: the room's list and a thread panel's replies (else the panel itself). */
const SCROLLERS = ".message-scroller, .thread-scroll, .thread-panel";

/**
 * Scrolls the pane `element` is in (the room's message list or the thread panel), and only that pane, the
 * least distance that shows all of `element` (its top when it is taller than the pane), as
 * `scrollIntoView({ block: "nearest" })` would without also scrolling the panes and page around it:
 * that, for an edit form in the thread panel, made the panel close at the next Esc.
 */
export function bringIntoSight(element: Element | null | undefined): void {
  const scroller = element?.closest(SCROLLERS);
  if (!element || !scroller) return;
  const box = element.getBoundingClientRect();
  const view = scroller.getBoundingClientRect();
  if (box.bottom > view.bottom) scroller.scrollTop += Math.min(box.bottom - view.bottom, box.top - view.top);
  else if (box.top < view.top) scroller.scrollTop -= view.top - box.top;
}
