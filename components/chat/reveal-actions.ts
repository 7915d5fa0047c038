/**
 * Brings a message's actions row into sight once it shows. On a touch screen, and where the messages are
 * narrow, the row opens under the message's text (messages.css): for the newest message that is below the
 * list's edge, and the list does not move by itself, so the row a tap, a long press or ↓ asked for stayed
 * out of sight. Where the row floats over the message's corner it is in sight already and nothing moves.
 */
export function revealActions(item: Element | null | undefined): void {
  item?.querySelector(".message-actions")?.scrollIntoView?.({ block: "nearest" });
}
