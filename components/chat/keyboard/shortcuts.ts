/**
 * The chat's keyboard shortcuts: which key is one. Pure, for the page and tests, and small: the page's
 * first load carries it to recognise a shortcut at once (shortcut-queue.ts); what a shortcut does is in
 * shortcut-keys.tsx, and where Alt+↑/↓ lead in room-order.ts.
 */
export type Shortcut = "switcher" | "previous-room" | "next-room" | "previous-unread" | "next-unread" | "help" | "search";

type Keys = { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean; target?: EventTarget | null };

/** Typing in a field: single-key shortcuts (`?`) must not fire there. */
function inField(target: EventTarget | null | undefined): boolean {
  const el = target as HTMLElement | null | undefined;
  if (!el || typeof el.tagName !== "string") return false;
  return el.isContentEditable || el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT";
}

/**
 * The shortcut a key press means, or null: Ctrl/⌘+K the room switcher, Alt+↑/↓ the previous/next room,
 * Shift+Alt+↑/↓ the previous/next room with unread messages, `?` (outside text fields) this list, `/`
 * (outside text fields, the usual "focus search" key) search.
 */
export function shortcutFor(e: Keys): Shortcut | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") return "switcher";
  if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
    const up = e.key === "ArrowUp";
    if (e.shiftKey) return up ? "previous-unread" : "next-unread";
    return up ? "previous-room" : "next-room";
  }
  if ((e.key === "?" || e.key === "/") && !e.ctrlKey && !e.metaKey && !e.altKey && !inField(e.target)) return e.key === "?" ? "help" : "search";
  return null;
}

/**
 * What takes typed characters itself, so a character typed there is its own and never the composer's:
 * links (but the skip link, the page's first stop after a move to another room), buttons, fields and
 * ARIA widgets (WAI-ARIA 1.2 roles that handle keys).
 */
const OWN_KEYS =
  "a[href]:not(.skip-link), button, input, select, textarea, summary, [contenteditable]:not([contenteditable=false]), " +
  "[role=button], [role=link], [role=checkbox], [role=radio], [role=switch], [role=slider], [role=spinbutton], " +
  "[role=combobox], [role=textbox], [role=searchbox], [role=listbox], [role=option], [role=menu], [role=menubar], " +
  "[role=menuitem], [role=menuitemcheckbox], [role=menuitemradio], [role=tab], [role=tree], [role=treeitem], [role=grid], [role=gridcell]";

/** A message box's own form (the room's composer, a thread's reply box): its buttons take no characters. */
const MESSAGE_FORM = "form.composer, form.thread-reply";

/**
 * Whether a key press is a character typed where nothing takes characters (the page itself, the skip
 * link, the message log and its current message, and the buttons of a message box's own form: Send,
 * Attach, a file's Remove): the chat then writes it in the composer (the thread's reply box in its
 * panel), as Slack and Campfire do, so a keyboard user who moved to a room (Ctrl/⌘+K, Alt+↑/↓) or read its
 * messages can just type, and one who tabbed from the box to its Send button by mistake keeps what they
 * type (an outside trial: "see you" typed there was lost, and the space sent the draft). One printable
 * character (`key` one code point: not "Enter", "Dead", "Process"…), no Ctrl, ⌘ or Alt (AltGr, which some
 * layouts need for `@`, is allowed: `altGraph`), not in an IME composition, not a space (it scrolls, and
 * presses a button), not `/` or `?` (shortcuts). `target` is the focused element the key went to.
 */
export function typesIntoComposer(e: Keys & { altGraph?: boolean; isComposing?: boolean }): boolean {
  if (e.isComposing || e.metaKey || ((e.ctrlKey || e.altKey) && !e.altGraph)) return false;
  if ([...e.key].length !== 1 || e.key === " " || e.key === "/" || e.key === "?") return false;
  const el = e.target as Element | null | undefined;
  if (!el || typeof el.closest !== "function") return false;
  const owner = el.closest(OWN_KEYS);
  return owner === null || (owner.matches("button:not([role])") && owner.closest(MESSAGE_FORM) !== null);
}
