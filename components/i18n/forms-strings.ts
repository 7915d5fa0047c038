/**
 * English text of the new-room, new-message and display-name forms and the user menu's panel (fetched when
 * first opened). Imported for its effect by every module that uses one of these keys: it adds them to the
 * English dictionary (see `addEnglish`), so the chat's first load does not carry them. The Japanese is in
 * ja.ts; tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const formsEn = addEnglish({
  "rooms.form": "Create or join a room",
  "rooms.name": "Room name",
  "rooms.nameMissing": "Give the room a name.",
  "rooms.namePlaceholder": "e.g. design-review",
  "rooms.opening": "Opening…",
  "rooms.privateOption": "Private (only people you add can join)",
  "rooms.submit": "Create or join",
  "dm.form": "Message someone",
  "dm.nameMissing": "Type the name of the person to write to.",
  "dm.person": "Their name",
  "dm.submit": "Open conversation",
  "name.control": "Names can't contain control characters.",
  "name.empty": "Please enter a name.",
  "name.haveAccount": "Have an account? Sign in",
  "name.intro": "Your name is shown next to your messages. You can change it later.",
  "name.label": "Display name",
  "name.submit": "Start chatting",
  "name.title": "What should we call you?",
  "name.tooLong.one": "Names can be at most {count} character.",
  "name.tooLong.other": "Names can be at most {count} characters.",
  "user.admin": "Admin",
  "user.changeName": "Change name",
} as const);
