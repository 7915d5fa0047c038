/**
 * Esc on a control of a message (an action, a link, a wide table's box) takes the focus back to the
 * message (the nearest `[data-key]` item around it), where ↑/↓ go on, as Esc leaves a toolbar for its item
 * in Slack and Discord. Shared by a list's keys (message-keys.ts) and the thread panel's root message.
 */

/** A wide table's box in a message, a Tab stop of its own while the table is wider than the message. */
export const WIDE_TABLE = ".message-text .markdown-table[tabindex]";

/** What escapeToMessage reads of a key event: a DOM KeyboardEvent or React's synthetic one. */
type EscapeKey = Pick<KeyboardEvent, "defaultPrevented" | "altKey" | "ctrlKey" | "metaKey" | "shiftKey" | "preventDefault" | "stopPropagation">;

/**
 * For an Esc on `target`: when it is a control inside a message item, focuses the item, and stops the
 * key there (nothing around it, a drawer's or the thread panel's Esc, takes it too); returns whether it
 * did. Not in what handles Esc itself: the edit form, a question (Delete?), the emoji picker, a control
 * whose popup is open (`aria-expanded="true"`), and not with a modifier.
 */
export function escapeToMessage(e: EscapeKey, target: HTMLElement): boolean {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false;
  if (!target.matches(`a, button, ${WIDE_TABLE}`) || target.closest("[role=alertdialog], [role=dialog], .emoji-picker, form")) return false;
  if (target.getAttribute("aria-expanded") === "true") return false;
  const item = target.closest<HTMLElement>("[data-key]");
  if (!item || item === target) return false;
  e.preventDefault();
  e.stopPropagation();
  item.focus();
  return true;
}
