"use client";
/**
 * A form that names one person: "New message" (new-dm-form.tsx) and a private room's "Add member"
 * (add-member-form.tsx). The name field offers the people the server suggests as it is typed (a native
 * `<datalist>`, people-suggestions.ts), and submitting the start of a name does what a chat's name picker
 * does: the start of one person's name is completed in the field (said politely), for a second Enter to
 * send, so nobody is reached by a name they were not shown under; a start several names have sends
 * nothing and says so, the focus staying in the field to type on.
 */
import { text, type Text } from "@/components/i18n/text";
import { canonicalName } from "@/lib/text/rules";
import { useOptionalChatContext } from "./chat-provider";
import { usePeopleAnswer, type PeopleAnswer } from "./people-suggestions";
import { useNameForm, type Chosen, type NameFormOptions } from "./use-name-form";
import { useAnnounce } from "./announcer";
import { useT } from "@/components/i18n/use-t";
import "@/components/i18n/errors-strings";

const NOBODY: string[] = [];

/**
 * How a typed name meets the suggested ones: in a name's stored form (canonicalName: NFC, runs of white
 * space as one space), with compatibility forms and case folded, as the server compares the start of a
 * name when it suggests people.
 */
const fold = (name: string): string => canonicalName(name).normalize("NFKC").toLowerCase();

/**
 * Who the name `typed` (trimmed) stands for, by the server's latest `answer` (usePeopleAnswer):
 * - no answer for this very text yet (or none could be had): `typed` as it is, for the server to judge;
 * - a suggested name equal to it, case aside: that name;
 * - the start of exactly one suggested name: `complete` with that name (not sent: the field shows it,
 *   and the next submit sends it, so a name the server never suggests, a guest's or a deactivated
 *   account's, is not silently taken for a longer one);
 * - the start of several: nobody (`error.severalPeople`);
 * - nothing suggested that it starts (the server also matches look-alike letters, nameKey, and never
 *   suggests guests or deactivated accounts): `typed`, for the server to judge and say why not.
 * `me`: one's own name, which the server never suggests: typed in full, it goes to the server (whose
 * refusal says why), rather than to someone whose name merely starts with it.
 */
export function choosePerson(typed: string, answer: PeopleAnswer | null, me?: string | null): Chosen {
  if (answer?.start !== typed) return { name: typed };
  const key = fold(typed);
  if (me && fold(me) === key) return { name: typed };
  const same = answer.names.find((name) => fold(name) === key);
  if (same) return { name: same };
  const starting = answer.names.filter((name) => fold(name).startsWith(key));
  if (starting.length === 1) return { complete: starting[0] };
  if (starting.length > 1) return { error: text("error.severalPeople", { name: typed }) };
  return { name: typed };
}

/**
 * useNameForm for a person's name: the same state and submit, the name chosen by choosePerson, and
 * `people`, the names to offer in the field's `<datalist>` (PeopleList).
 */
export function usePersonForm(options: Omit<NameFormOptions, "choose">) {
  const me = useOptionalChatContext()?.me;
  const t = useT();
  const announce = useAnnounce();
  // Read on submit, by then with the answer this render has for what is in the field.
  const form = useNameForm({
    ...options,
    choose: (typed) => choosePerson(typed, answer, me),
    onCompleted: (name) => announce(t("people.completed", { name })),
  });
  const answer = usePeopleAnswer(form.inputProps.value);
  return { ...form, people: answer?.names ?? NOBODY };
}

/** The `<datalist>` of a person's name field (its `list`): the names usePersonForm offers. */
export function PeopleList({ id, names }: { id: string; names: readonly string[] }) {
  return (
    <datalist id={id}>
      {names.map((name) => (
        <option key={name} value={name} />
      ))}
    </datalist>
  );
}
