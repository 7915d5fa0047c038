/**
 * English text of the thread panel (components/chat/thread-panel.tsx, fetched when first opened).
 * Imported for its effect by every module that uses one of these keys: it adds them to the English
 * dictionary (see `addEnglish`), so the pages that do not use them (the chat's first load) do not
 * carry them. The Japanese is in ja.ts; tests/components/i18n/split-strings.test.ts checks the
 * imports.
 */
import { addEnglish } from "./use-t";

export const threadEn = addEnglish({
  "thread.title": "Thread",
  "thread.close": "Close thread",
  "thread.root": "Original message",
  "thread.replies": "Replies",
  "thread.replyLabel": "Reply in thread",
  "thread.closed": "This message was deleted: its thread takes no more replies.",
  "thread.unsent": "Your reply, not sent",
  "thread.unsentCopy": "Copy reply",
  "thread.unsentCopied": "Reply copied",
  "thread.unsentCopyFailed": "Could not copy the reply: select its text and copy it",
  "thread.unsentDiscard": "Discard reply",
  "thread.replyPlaceholder": "Reply in thread…",
  "thread.send": "Reply",
  "thread.attach": "Attach files to the reply",
  "thread.loadOlder": "Load older replies",
  "thread.loadingOlder": "Loading older replies…",
  "thread.loadFailed": "Replies not loaded: {reason}",
} as const);
