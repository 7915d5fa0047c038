"use client";
/**
 * A form that names one person: "New message" (new-dm-form.tsx) and a private room's "Add member"
 * (add-member-form.tsx). The name field offers the people the server suggests as it is typed (a native
 * `<datalist>`, people-suggestions.ts), and submitting the start of a name does what a chat's name picker
 * does: it stands for the one person whose name starts with it; when several do, or nobody, nothing is
 * sent and the form says so, the focus staying in the field to type on.
 */
import { text, type Text } from "@/components/i18n/text";
import { canonicalName } from "@/lib/text/rules";
import { useOptionalChatContext } from "./chat-provider";
import { usePeopleAnswer, type PeopleAnswer } from "./people-suggestions";
import { useNameForm, type NameFormOptions } from "./use-name-form";
import "@/components/i18n/errors-strings";

const NOBODY: string[] = [];

/**
 * How a typed name meets the suggested ones: in a name's stored form (canonicalName: NFC, runs of white
 * space as one space), with compatibility forms and case folded, as the server compares the start of a
 * name when it suggests people.
 */
const fold = (name: string): string => canonicalName(name).normalize("NFKC").toLowerCase();

/**
 * Who the name `typed` (trimmed) stands for, by the server's latest `answer` (usePeopleAnswer), or why
 * nobody:
 * - no answer for this very text yet (or none could be had): `typed` as it is, for the server to judge;
 * - a suggested name equal to it, case aside: that name;
 * - the start of exactly one suggested name: that name; of several: nobody (`error.severalPeople`);
 * - nothing suggested for it: nobody (`error.noSuchAccount`, what the server would answer);
 * - suggestions that it does not start here: the server also matches look-alike letters (nameKey), so
 *   `typed` goes to the server to judge.
 * `me`: one's own name, which the server never suggests: typed in full, it goes to the server (whose
 * refusal says why), rather than to someone whose name merely starts with it.
 */
export function choosePerson(typed: string, answer: PeopleAnswer | null, me?: string | null): { name: string } | { error: Text } {
  if (answer?.start !== typed) return { name: typed };
  const key = fold(typed);
  if (me && fold(me) === key) return { name: typed };
  const same = answer.names.find((name) => fold(name) === key);
  if (same) return { name: same };
  const starting = answer.names.filter((name) => fold(name).startsWith(key));
  if (starting.length === 1) return { name: starting[0] };
  if (starting.length > 1) return { error: text("error.severalPeople", { name: typed }) };
  return answer.names.length === 0 ? { error: text("error.noSuchAccount") } : { name: typed };
}

/**
 * useNameForm for a person's name: the same state and submit, the name chosen by choosePerson, and
 * `people`, the names to offer in the field's `<datalist>` (PeopleList).
 */
export function usePersonForm(options: Omit<NameFormOptions, "choose">) {
  const me = useOptionalChatContext()?.me;
  // Read on submit, by then with the answer this render has for what is in the field.
  const form = useNameForm({ ...options, choose: (typed) => choosePerson(typed, answer, me) });
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
