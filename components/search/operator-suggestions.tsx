"use client";
/**
 * Suggestions in the search box: while the word before the caret is `from:` and the start of a name, the
 * people the server suggests for it (people-suggestions.ts, bots too: a bot's messages are found by
 * `from:` as anyone's), and after `in:` the caller's rooms from the room list the client holds (not DMs,
 * whose names are the server's `dm:…`). ↑/↓ choose, Enter or Tab completes the word with the name and a
 * space (in quotes when it has a space: `from:"Aiko Tanaka"`), Esc closes the list (until the word
 * changes) and not the dialog, a click picks too. The box keeps the focus; the list is tied to it with
 * `aria-controls` and `aria-activedescendant`, as the composer's `@` list is (mention-suggestions.tsx),
 * and how many match is said in the dialog's own status (the chat's announcer is behind the modal).
 */
import "@/components/i18n/search-strings";
import { type KeyboardEvent, type RefObject } from "react";
import { useT } from "@/components/i18n/use-t";
import type { RoomSummary } from "@/components/chat/chat-types";
import { usePeopleAnswer } from "@/components/chat/people-suggestions";
import { useSuggestionList } from "@/components/chat/suggestion-list";

/** The most names the list offers at once. */
const MAX_SUGGESTIONS = 8;
/** `from:` or `in:` starting a word and what follows it up to the caret: a bare value, or an open quote. */
const OPERATOR_AT_CARET = /(?:^|\s)(from|in):("[^"]*|[^\s"]\S*|)$/iu;

/** The `from:` or `in:` word being typed at `caret`: where it starts, and the name typed so far (no quote, `@` or `#`). */
export function operatorAtCaret(text: string, caret: number): { op: "from" | "in"; start: number; typed: string } | null {
  const m = OPERATOR_AT_CARET.exec(text.slice(0, caret));
  if (!m) return null;
  const op = m[1].toLowerCase() as "from" | "in";
  const value = m[2].startsWith('"') ? m[2].slice(1) : m[2];
  return { op, start: caret - m[1].length - 1 - m[2].length, typed: value.replace(op === "from" ? /^@/u : /^#/u, "") };
}

/** `name` as the query reads it after an operator: in quotes when it has a space; null when no way of writing it holds it. */
function operatorValue(name: string): string | null {
  if (!/\s/u.test(name)) return name.startsWith('"') ? null : name;
  return name.includes('"') ? null : `"${name}"`;
}

/** How names are compared while typing: compatibility forms and case folded. */
const fold = (s: string) => s.normalize("NFKC").toLowerCase();

/**
 * The suggestions for the search box's `text` (with the caret where `track` last saw it): people for
 * `from:` (and `me`, whom the server leaves out), `rooms` for `in:`. `onInsert` gets the new text; the
 * caret then goes after the inserted name and its space.
 */
export function useOperatorSuggestions(text: string, rooms: readonly RoomSummary[], me: string | null, field: RefObject<HTMLInputElement | null>, onInsert: (text: string) => void) {
  const list = useSuggestionList(text, field, operatorAtCaret);
  const { at, listId, optionId, track } = list;

  const word = at.text === text ? operatorAtCaret(at.text, at.caret) : null;
  const people = usePeopleAnswer(word?.op === "from" ? word.typed : null);
  const starts = (name: string) => !!word && operatorValue(name) !== null && fold(name).startsWith(fold(word.typed));
  const offered =
    !word ? []
    : word.op === "from" ? [...(people?.names ?? []), ...(me ? [me] : [])]
    : rooms.filter((r) => r.kind !== "dm").map((r) => r.name).sort((a, b) => a.localeCompare(b));
  // An answer for an earlier start of the name may still be the latest: only the names that still fit.
  const names = [...new Set(offered.filter(starts))].slice(0, MAX_SUGGESTIONS);
  const open = !!word && names.length > 0 && !list.dismissedHere;
  const current = list.chosen(names.length);

  function insert(name: string) {
    if (!word) return;
    const rest = at.text.slice(at.caret);
    const piece = `${word.op}:${operatorValue(name)} `;
    // The space after the word, if any, gives way to the piece's.
    onInsert(list.place(at.text, word.start, at.caret + (rest.startsWith(" ") ? 1 : 0), piece));
  }

  /** The list's keys; true when the key was used (the dialog then leaves it alone: Esc does not close it). */
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): boolean => list.keyDown(e, open, names.length, (i) => insert(names[i]));

  /** What the search box carries while the list is open. */
  const inputProps = list.inputProps(open, current);

  return { open, op: word?.op, names, current, listId, optionId, track, insert, onKeyDown, inputProps };
}

/** The list under the search box (the panel's status says how many it offers). */
export function OperatorList({ open, op, names, current, listId, optionId, insert }: ReturnType<typeof useOperatorSuggestions>) {
  const t = useT();
  if (!open) return null;
  return (
    <ul id={listId} className="search-suggestions" role="listbox" aria-label={t.label(op === "in" ? "search.suggestRooms" : "search.suggestPeople")}>
      {names.map((name, i) => (
        <li key={name} id={optionId(i)} role="option" aria-selected={i === current} className="search-suggestion"
          // The box keeps the focus (and its caret) when a name is clicked.
          onMouseDown={(e) => e.preventDefault()} onClick={() => insert(name)}
        >
          {op === "in" ? "#" : ""}<bdi>{name}</bdi>
        </li>
      ))}
    </ul>
  );
}
