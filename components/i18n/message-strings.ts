/**
 * English text of the message actions (components/chat/message-changes.tsx, fetched on first use of the
 * page) and of a message being sent (outgoing-state.tsx, fetched with the first one). Imported for its
 * effect by every module that uses one of these keys: it adds them to the English dictionary (see
 * `addEnglish`), so the chat's first load does not carry them. The Japanese is in ja.ts;
 * tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const messageEn = addEnglish({
  "message.actions": "Message actions",
  "message.reacted": "Reacted with {emoji}",
  "message.unreacted": "Removed {emoji}",
  "message.sending": "Sending…",
  "message.notSent": "Not sent: {reason}",
  "message.unknownError": "unknown error",
  "message.retry": "Retry",
  "message.discard": "Discard",
  "message.cancel": "Cancel",
  "message.confirmDelete": "Delete this message?",
  "message.copyFailed": "Could not copy the link",
  "message.copyLink": "Copy link",
  "message.delete": "Delete",
  "message.edit": "Edit",
  "message.editLabel": "Edit message",
  "message.linkCopied": "Link copied",
  "message.moreReactions": "More reactions…",
  "message.react": "React {emoji}",
  "message.reply": "Reply",
  "message.save": "Save",
} as const);
