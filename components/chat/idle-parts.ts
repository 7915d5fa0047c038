/**
 * The parts of a room that nobody needs to see it, only to use it, in one chunk fetched once the page is
 * used or idle (use-deferred-ready.ts), or sooner when one is about to be used (hover or focus on the
 * user menu's button or a "new …" toggle): each message's actions row, the long-press detector, what the
 * keyboard shortcuts do, the user menu's panel and the new-room and new-message forms. One chunk, so the
 * first load names one loader for them and the idle page makes one request.
 */
export { MessageActions } from "./message-changes";
export { default as LongPressDetector } from "./long-press-detector";
export { ShortcutKeys } from "./keyboard/shortcut-keys";
export { UserMenuPanel } from "./user-menu-panel";
export { CreateRoomForm } from "./create-room-form";
export { NewDmForm } from "./new-dm-form";
