"use client";
/**
 * A refusal in the UI's language: the server's (a send, edit, delete, reaction, thread or join refused by
 * its acknowledgement) or the client's own (offline, no answer), put in words by its reason, else its
 * code (errorText), inside `sentence` ("Not sent: {reason}") when one is given. The state keeps the
 * refusal, not words, so it is said in whatever language the UI speaks when it is shown.
 *
 * The words for the reasons are not in the chat's first load: a part of it that shows a refusal (a
 * message, its edit form, the room) renders this module lazily, in a Suspense boundary around the whole sentence (so an
 * alert is inserted once, with its words), and it is fetched the first time something is refused.
 */
import { errorText } from "@/components/auth/error-text";
import { useT } from "@/components/i18n/use-t";
import type { TextKey } from "@/components/i18n/text";
import type { Refusal } from "./chat-types";

/** The words for `refusal`, in `sentence` when given (its `{reason}`). */
export default function RefusalText({ refusal, sentence }: { refusal: Refusal; sentence?: TextKey }) {
  const t = useT();
  const words = t.text(errorText(refusal));
  return sentence ? t(sentence, { reason: words }) : words;
}
