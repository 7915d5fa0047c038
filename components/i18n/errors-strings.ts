/**
 * English words for the server's refusal reasons (docs/protocol.md, "Acknowledgements"), shown by
 * components/auth/error-text.ts on the pages that send what a person typed (sign-in, setup, join,
 * settings, admin) and by the chat for its refused messages, changes, uploads and searches. Imported for
 * its effect (see `addEnglish`); the words for the bare codes are in en.ts (the chat's first load may show
 * them). The Japanese is in ja.ts.
 */
import { addEnglish } from "./use-t";

export const errorsEn = addEnglish({
  "error.nameEmpty": "Please enter a name.",
  "error.nameInvisible": "Names can't contain invisible or control characters.",
  "error.nameUnreadable": "Names need a letter, a digit or a symbol.",
  "error.nameTooLong.one": "Names can be at most {count} character long.",
  "error.nameTooLong.other": "Names can be at most {count} characters long.",
  "error.nameReserved": "That name is reserved.",
  "error.nameTaken": "That name, or one that looks the same, is already taken.",
  "error.passwordTooShort.one": "Passwords must be at least {count} character long.",
  "error.passwordTooShort.other": "Passwords must be at least {count} characters long.",
  "error.passwordTooLong.one": "Passwords can be at most {count} character long.",
  "error.passwordTooLong.other": "Passwords can be at most {count} characters long.",
  "error.textEmpty": "Write something first.",
  "error.textControl": "The text can't contain control characters.",
  "error.textTooLong.one": "The text can be at most {count} character long.",
  "error.textTooLong.other": "The text can be at most {count} characters long.",
  "error.wrongCredentials": "Wrong name or password.",
  "error.wrongPassword": "The current password is wrong.",
  "error.accountDeactivated": "This account is deactivated.",
  "error.setupDone": "This server is already set up.",
  "error.joinLinkInvalid": "This invite link is not valid (it may have been rotated). Ask your admin for a new one.",
  "error.noSuchAccount": "There is no such account.",
  "error.selfDeactivation": "You cannot deactivate your own account.",
  "error.selfDemotion": "You cannot remove your own admin role.",
  "error.noPushSubscription": "No browser of yours receives notifications yet: enable them first.",
  "error.guestsExcluded": "Guests can't be in private rooms or direct messages.",
  "error.selfDm": "You cannot open a direct message with yourself.",
  "error.reactionsTooMany.one": "A message can carry at most {count} different emoji.",
  "error.reactionsTooMany.other": "A message can carry at most {count} different emoji.",
  "error.fileEmpty": "The file is empty.",
  "error.fileTooLarge": "Files can be at most {size}.",
  "error.imageTooLarge": "This image has too many pixels.",
  "error.imageUnreadable": "This image could not be read. It may be damaged.",
  "error.searchEmpty": "Type something to search for.",
  "error.searchTooLong.one": "A search can be at most {count} character long.",
  "error.searchTooLong.other": "A search can be at most {count} characters long.",
  "error.searchTooManyTerms.one": "A search can have at most {count} term.",
  "error.searchTooManyTerms.other": "A search can have at most {count} terms.",
  "error.searchDate": "Write the dates of before: and after: like 2026-01-31.",
  "error.searchTooSlow": "That search took too long: add words or filters.",
} as const);
