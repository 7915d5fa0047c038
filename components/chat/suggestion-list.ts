"use client";
/**
 * What every suggestion list tied to a text field shares (the composer's `@` people and `:` emoji, the
 * search box's `from:`/`in:`), after WAI-ARIA's combobox pattern with a listbox popup
 * (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/): the field keeps the focus and its caret, tied to
 * the list with `aria-controls` and `aria-activedescendant`. ↑/↓ choose, Enter or Tab picks, Esc closes
 * the list until the text or the caret moves. Each list decides what the word being completed is, what
 * it offers and what a pick puts in its place.
 */
import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import { isComposing } from "./ime";

/** A field's text and where its caret is in it (a UTF-16 offset, as `selectionStart`). */
export type Caret = { text: string; caret: number };

/** The word being completed at `caret`: where it starts (a UTF-16 offset) and what is typed of it; null if none. */
export type WordAt = (text: string, caret: number) => { start: number; typed: string } | null;

/**
 * The state of a suggestion list for a field whose value is `text` (`field`): where the caret was last
 * seen (`at`, by `track`/`moveTo`), the chosen option (back to the first when the word `wordAt` finds
 * changes), whether an Esc closed the list where the caret is now (`dismissedHere`), and `place`, which
 * makes an insertion as an edit the field can undo and puts the caret after it once its text is in the
 * field (before anything else can be typed: a key typed right after Enter goes after the insertion, not
 * before it).
 */
export function useSuggestionList(text: string, field: RefObject<HTMLInputElement | HTMLTextAreaElement | null>, wordAt: WordAt) {
  const listId = useId();
  const [at, setAt] = useState<Caret>({ text: "", caret: 0 });
  const [active, setActive] = useState(0);
  /** The text and caret the list was closed at (Esc): it stays closed until they change. */
  const [dismissed, setDismissed] = useState<Caret | null>(null);
  /** Where the caret goes once the text an insertion made is in the field. */
  const caretAfter = useRef<Caret | null>(null);
  useLayoutEffect(() => {
    const pending = caretAfter.current;
    if (!pending || pending.text !== text) return;
    caretAfter.current = null;
    field.current?.setSelectionRange(pending.caret, pending.caret);
  }, [text, field]);

  const dismissedHere = !!dismissed && dismissed.text === at.text && dismissed.caret === at.caret;
  const optionId = (i: number) => `${listId}-${i}`;
  /** The chosen option of a list of `count` options (0 when the list is shorter than the choice). */
  const chosen = (count: number) => Math.max(0, Math.min(active, count - 1));

  /** The caret is at `next` now; the choice goes back to the first option when the word being completed changed. */
  function moveTo(next: Caret) {
    if (next.text === at.text && next.caret === at.caret) return;
    const before = wordAt(at.text, at.caret);
    const after = wordAt(next.text, next.caret);
    if (before?.typed !== after?.typed || before?.start !== after?.start) setActive(0);
    setAt(next);
  }

  /** Where the field's caret is now (after a change, a click, an arrow key): call with the field. */
  function track(input: HTMLInputElement | HTMLTextAreaElement) {
    moveTo({ text: input.value, caret: input.selectionStart ?? input.value.length });
  }

  /**
   * Puts `piece` in place of `start`…`end` of `value` (the field's text now) for a pick or a conversion,
   * and returns the new text, which the caller is to keep as the field's value; the caret goes to `caret`
   * (after the piece unless given) once the field holds it. Where it can, through the browser's own
   * editing (`execCommand("insertText")`, on the focused field): the change is then one step of the
   * field's undo history, Ctrl+Z bringing back what was replaced, and comes as an input event, as
   * typing does. Otherwise (jsdom has no such command) the new value simply replaces the text, and
   * the field's undo history with it.
   */
  function place(value: string, start: number, end: number, piece: string, caret = start + piece.length): string {
    const next = { text: value.slice(0, start) + piece + value.slice(end), caret };
    const input = field.current;
    if (input && input.value === value && document.activeElement === input && typeof document.execCommand === "function") {
      input.setSelectionRange(start, end);
      // Nothing else to do when it is refused (false): the caller's new value is set as it would be anyway.
      document.execCommand("insertText", false, piece);
    }
    setAt(next);
    setActive(0);
    caretAfter.current = next;
    return next.text;
  }

  /**
   * The list's keys while it is `open` with `count` options: ↑/↓ move the choice (round), Enter or Tab
   * (without Shift) calls `pick` with the chosen option's index, Esc closes the list. True when the key
   * was used: its default is prevented and it goes no further (Esc closes the list, not the panel, drawer
   * or dialog around the field). Keys of an input method's composition, and with Alt, Ctrl or ⌘, are
   * never used.
   */
  function keyDown(e: KeyboardEvent<HTMLElement>, open: boolean, count: number, pick: (index: number) => void): boolean {
    if (!open || count === 0 || isComposing(e) || e.altKey || e.ctrlKey || e.metaKey) return false;
    const current = chosen(count);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") setActive((current + (e.key === "ArrowDown" ? 1 : count - 1)) % count);
    else if ((e.key === "Enter" || e.key === "Tab") && !e.shiftKey) pick(current);
    else if (e.key === "Escape") setDismissed(at);
    else return false;
    e.preventDefault();
    e.stopPropagation();
    return true;
  }

  /** What the field carries (ARIA's combobox attributes) for a list `open` or not, with `current` chosen. */
  const inputProps = (open: boolean, current: number) => ({
    "aria-autocomplete": "list" as const,
    "aria-controls": open ? listId : undefined,
    "aria-activedescendant": open ? optionId(current) : undefined,
  });

  return { listId, at, dismissedHere, optionId, chosen, moveTo, track, place, keyDown, inputProps };
}
