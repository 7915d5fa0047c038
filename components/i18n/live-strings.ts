/**
 * English text of what a room says once it is live (components/chat/live-parts.ts, fetched after the
 * first render): the new-message announcements, the composer's hints, counter and file limit (until it
 * has loaded the page shows a disabled stand-in) and the typing hint. Imported for its effect by
 * every module that uses one of these keys: it adds them to the English dictionary (see `addEnglish`), so
 * the chat's first load does not carry them. The Japanese is in ja.ts;
 * tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const liveEn = addEnglish({
  "room.announce": "{author} in {room}: {text}",
  "room.announceDirect": "{author}: {text}",
  "room.announceFiles.one": "{author} sent a file",
  "room.announceFiles.other": "{author} sent {count} files",
  "room.announceMany.one": "{count} new message in {room}",
  "room.announceMany.other": "{count} new messages in {room}",
  "composer.hintEnter": "to send",
  "composer.hintNewLine": "for a new line",
  "composer.waitingUpload": "Sending once the upload finishes…",
  "composer.uploadFailed": "A file did not upload, so the message was not sent.",
  "composer.fileFailed": "“{name}” did not upload, so the message was not sent.",
  "composer.unsent": "Your message in {room} was not sent: a file did not upload. It is kept in the draft there.",
  "composer.unsentReply": "Your reply in a thread in {room} was not sent: a file did not upload. It is kept in the thread's draft.",
  "composer.unsentRefused": "Your message in {room} was not sent. It is kept in the draft there.",
  "composer.unsentReplyRefused": "Your reply in a thread in {room} was not sent. It is kept in the thread's draft.",
  "composer.unsentDismiss": "Dismiss",
  // The list holds people, and @here / @room where the room can be called.
  "mention.list": "Mention suggestions",
  "mention.count.one": "{count} mention suggestion: ↑ ↓ to choose, Enter or Tab to insert, Esc to close",
  "mention.count.other": "{count} mention suggestions: ↑ ↓ to choose, Enter or Tab to insert, Esc to close",
  // After `@here` / `@room` in the list: whom the word calls.
  "mention.here": "everyone in the room now",
  "mention.room": "every member of the room",
  "emoji.list": "Emoji",
  "emoji.count.one": "{count} emoji: ↑ ↓ to choose, Enter or Tab to insert, Esc to close",
  "emoji.count.other": "{count} emoji: ↑ ↓ to choose, Enter or Tab to insert, Esc to close",
  "composer.left.one": "{count} character left",
  "composer.left.other": "{count} characters left",
  "composer.over.one": "{count} character over the limit",
  "composer.over.other": "{count} characters over the limit",
  "upload.tooMany.one": "At most {count} file per message",
  "upload.tooMany.other": "At most {count} files per message",
  "upload.offline": "Files can be attached once the connection is back.",
  "typing.one": "{a} is typing…",
  "typing.two": "{a} and {b} are typing…",
  "typing.three": "{a}, {b} and {c} are typing…",
  "typing.many": "Several people are typing…",
} as const);
