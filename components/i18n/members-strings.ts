/**
 * English text of the member list and the add-member form (fetched when the member panel first opens).
 * Imported for its effect by every module that uses one of these keys: it adds them to the English
 * dictionary (see `addEnglish`), so the chat's first load does not carry them. The Japanese is in ja.ts;
 * tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const membersEn = addEnglish({
  "members.you": "(you)",
  "members.bot": "bot",
  "members.add": "Add member",
  "members.cancel": "Cancel",
  "members.confirmLeave": "Leave this private room? Only a member can add you back.",
  "members.confirmRemove": "Remove {name} from this private room? Only a member can add them back.",
  "members.addName": "Name of the person to add",
  "members.isOffline": "not here",
  "members.isOnline": "here",
  "members.leave": "Leave",
  "members.leaveLabel": "Leave this room",
  "members.nameYou": "{name} (you)",
  "members.nobody": "Nobody is here yet.",
  "members.online": "{n} here",
  "members.remove": "Remove",
  "members.removeLabel": "Remove {name} from the room",
  "members.title": "Members",
  "members.archive": "Archive room",
  "members.unarchive": "Unarchive room",
  "members.confirmArchive": "Archive this room? Everyone can still read it, but nobody can post or change anything in it until an admin unarchives it.",
  "members.leaveRoom": "Leave room",
  "members.confirmLeaveRoom": "Leave this room? It moves to “Rooms you left” in your list; mentions of you still reach you, and opening it again brings you back.",
} as const);
