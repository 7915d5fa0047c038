/**
 * English text of the keyboard shortcuts, the room switcher and the shortcut sheet (components/chat/keyboard,
 * fetched once the page is used or when first opened), and the other pages' skip link (the chat's own,
 * "keys.skip", is in en.ts). Imported for its effect by every module that uses one of these keys: it adds
 * them to the English dictionary (see `addEnglish`), so the pages that do not use them (the chat's first
 * load) do not carry them. The Japanese is in ja.ts; tests/components/i18n/split-strings.test.ts checks the
 * imports.
 */
import { addEnglish } from "./use-t";

export const keysEn = addEnglish({
  "keys.switcher": "Go to a room",
  "keys.switcherInput": "Room name",
  "keys.unread": "{n} unread",
  "keys.noRooms": "No room matches.",
  "keys.searchFor": "Search messages for “{q}”",
  "keys.title": "Keyboard shortcuts",
  "keys.prevNext": "Previous / next room",
  "keys.prevNextUnread": "Previous / next room with unread messages",
  "keys.search": "Search messages",
  "keys.messages": "Previous / next message (in the messages)",
  "keys.firstLast": "First / last loaded message",
  "keys.messageActions": "From a message to its actions, then out of the messages",
  "keys.anyCharacter": "Any character",
  "keys.typeAnywhere": "Write a message (typed outside any field, in the messages or after a move to another room)",
  "keys.send": "Send the message",
  "keys.newline": "New line in the message",
  "keys.editLast": "Edit your last message (in an empty message box)",
  "keys.close": "Close a panel or dialog",
  "keys.help": "Show this list",
  "keys.skipMain": "Skip to main content",
  "keys.noUnread": "No unread rooms",
  "keys.noOtherRoom": "No other rooms",
} as const);
