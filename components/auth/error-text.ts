/**
 * What a page says for a failed request, in the UI's language: the server's reason (the rule that
 * refused, docs/protocol.md "Acknowledgements") through the dictionary, else its code (`codeText`), and
 * the server's own words only for a code this client does not know.
 */
import "@/components/i18n/errors-strings";
import { text, type Text, type TextKey } from "@/components/i18n/text";
import type { ErrorReason } from "@/lib/chat/types";
import { formatSize } from "@/components/chat/format-size";
import { codeText, isRefusal } from "./api";

/**
 * The words for each reason. The ones with a number (`limit`) say it: `counted` ones have plural forms,
 * chosen by it (`{count}`); a `size` one is a number of bytes, said as a file size (`{size}`: "25 MB").
 */
const REASON_TEXT: Record<ErrorReason, { key: TextKey; counted?: true; size?: true }> = {
  name_empty: { key: "error.nameEmpty" },
  name_invisible: { key: "error.nameInvisible" },
  name_marks: { key: "error.nameMarks" },
  name_mixed_scripts: { key: "error.nameMixedScripts" },
  name_unmentionable: { key: "error.nameUnmentionable" },
  name_restricted_letters: { key: "error.nameRestrictedLetters" },
  name_unreadable: { key: "error.nameUnreadable" },
  name_too_long: { key: "error.nameTooLong", counted: true },
  name_reserved: { key: "error.nameReserved" },
  name_taken: { key: "error.nameTaken" },
  password_too_short: { key: "error.passwordTooShort", counted: true },
  password_too_long: { key: "error.passwordTooLong", counted: true },
  text_empty: { key: "error.textEmpty" },
  text_control: { key: "error.textControl" },
  text_too_long: { key: "error.textTooLong", counted: true },
  wrong_credentials: { key: "error.wrongCredentials" },
  wrong_password: { key: "error.wrongPassword" },
  account_deactivated: { key: "error.accountDeactivated" },
  setup_done: { key: "error.setupDone" },
  join_link_invalid: { key: "error.joinLinkInvalid" },
  no_such_account: { key: "error.noSuchAccount" },
  self_deactivation: { key: "error.selfDeactivation" },
  self_reset: { key: "error.selfReset" },
  self_demotion: { key: "error.selfDemotion" },
  promote_deactivated: { key: "error.promoteDeactivated" },
  not_a_guest: { key: "error.notAGuest" },
  name_banned: { key: "error.nameBanned" },
  not_admin: { key: "error.notAdmin" },
  no_push_subscription: { key: "error.noPushSubscription" },
  push_subscription_taken: { key: "error.pushSubscriptionTaken" },
  push_endpoint_refused: { key: "error.pushEndpointRefused" },
  guests_excluded: { key: "error.guestsExcluded" },
  self_dm: { key: "error.selfDm" },
  last_member: { key: "error.lastMember" },
  room_archived: { key: "error.roomArchived" },
  reactions_too_many: { key: "error.reactionsTooMany", counted: true },
  file_empty: { key: "error.fileEmpty" },
  file_too_large: { key: "error.fileTooLarge", size: true },
  image_too_large: { key: "error.imageTooLarge" },
  image_unreadable: { key: "error.imageUnreadable" },
  search_empty: { key: "error.searchEmpty" },
  search_too_long: { key: "error.searchTooLong", counted: true },
  search_too_many_terms: { key: "error.searchTooManyTerms", counted: true },
  search_date: { key: "error.searchDate" },
  search_too_slow: { key: "error.searchTooSlow" },
  search_operator_repeated: { key: "error.searchOperatorRepeated" },
  search_only_excluded: { key: "error.searchOnlyExcluded" },
  search_operator_excluded: { key: "error.searchOperatorExcluded" },
};

export function errorText(err: unknown): Text {
  const reason = isRefusal(err) && err.reason && Object.hasOwn(REASON_TEXT, err.reason) ? REASON_TEXT[err.reason as ErrorReason] : undefined;
  if (reason && !reason.counted && !reason.size) return text(reason.key);
  const limit = isRefusal(err) ? err.limit : undefined;
  // A size limit rounded down: what is over it never reads as no more than it (formatSize).
  if (reason && typeof limit === "number") return text(reason.key, reason.size ? { size: formatSize(limit, undefined, "floor") } : { count: limit });
  return codeText(err);
}

/** A problem a form shows: the field it is about (an input's `name`; null: the whole form) and what to say. */
export type FormProblem = { field: string | null; text: Text };

/** A failed request as a form's problem: about the field the server names, in the words of `errorText`. */
export const problemOf = (err: unknown): FormProblem => ({ field: (isRefusal(err) && err.field) || null, text: errorText(err) });
