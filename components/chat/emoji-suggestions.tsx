"use client";
/**
 * `:` autocomplete in the composer, a thread's reply box and the edit box, as Slack, Mattermost and Zulip have it:
 * while the word before the caret is an ASCII `:` and at least 2 characters of a shortcode
 * (`[A-Za-z0-9_+-]`), the emoji whose shortcode, or a word of whose English name or tags, starts with them
 * (emoji-shortcodes.ts; `:ta` 🎉, `:popp` 🎉 party_popper) are offered in a list over the box, as the `@`
 * suggestions are (mention-suggestions.tsx): ↑/↓ choose, Enter or Tab puts the emoji in place of what was
 * typed, Esc closes the list (until the word changes), a click picks too; the text field keeps the focus,
 * tied to the list with `aria-controls` and `aria-activedescendant`, and the chat's announcer says how
 * many emoji match. A known shortcode typed in full, `:tada:`, becomes its emoji as its closing colon is
 * typed: what is in the box is what is sent, as when the emoji is picked. Both are edits of the field
 * that Ctrl+Z undoes (suggestion-list.ts's `place`): the undo gives back `:tada:`, as typed, for good.
 *
 * As in Slack, a shortcode's colon starts one only at the start of the text, after a space or after an
 * opening bracket or quote: not in a word, a time, a URL or a path (`10:30`, `https://a.b/:tada:`,
 * `/api/:room`), and not the full-width `：`, which Japanese writes as punctuation (`返事：ありがとう`).
 * Nothing is offered or converted in Markdown code (`` `:tada:` `` and code blocks stay as written),
 * or while an input method is composing in the field (ime.ts). The data is fetched when a shortcode is
 * typed (again as it changes after a failed fetch); a `:tada:` finished before it came is converted
 * when it comes, if the text up to it is unchanged.
 */
import { useEffect, useRef, useState, type ChangeEvent, type KeyboardEvent, type RefObject } from "react";
import { useLang, useT } from "@/components/i18n/use-t";
import "@/components/i18n/live-strings";
import { useAnnounce } from "./announcer";
import { emojiOfShortcode, findEmoji, inMarkdownCode, loadEmojiIndex, type EmojiIndex } from "./emoji-shortcodes";
import { isComposingChange, useComposingIn } from "./ime";
import { useSuggestionList, type Caret } from "./suggestion-list";

/** The most emoji the list offers at once. */
const MAX_SUGGESTIONS = 8;
/** Where a shortcode's colon may be: the start of the text, or after a space or an opening bracket or quote. */
const AFTER = `(?:^|[\\s(\\[{"'「『（【])`;
/** What a shortcode is made of (ASCII, as Slack's and GitHub's). */
const CODE_CHARS = "[A-Za-z0-9_+-]";
/** `:` and 2 to 32 characters of a shortcode right before the caret. */
const SHORTCODE_AT_CARET = new RegExp(`${AFTER}:(${CODE_CHARS}{2,32})$`, "u");
/** A whole shortcode and its closing colon right before the caret. */
const SHORTCODE_DONE = new RegExp(`${AFTER}:(${CODE_CHARS}{1,32}):$`, "u");

/** The shortcode being typed at `caret`: where its colon is and what follows it; null if none (or in code). */
export function shortcodeAtCaret(text: string, caret: number): { start: number; typed: string } | null {
  const before = text.slice(0, caret);
  const match = SHORTCODE_AT_CARET.exec(before);
  if (!match || inMarkdownCode(before)) return null;
  return { start: caret - match[1].length - 1, typed: match[1] };
}

/** A known `:shortcode:` ending at `caret` (outside code): where it starts and its emoji; null if none. */
export function shortcodeDoneAt(text: string, caret: number, index: EmojiIndex): { start: number; emoji: string } | null {
  const before = text.slice(0, caret);
  const match = SHORTCODE_DONE.exec(before);
  const emoji = match && emojiOfShortcode(index, match[1]);
  if (!emoji || inMarkdownCode(before)) return null;
  return { start: caret - match[1].length - 2, emoji };
}

/**
 * The emoji suggestions for the box's `text` (with the caret where `track` or `change` last saw it).
 * `onInsert` gets the new text of a pick; once it is in `field`, the caret is put after the emoji.
 * `change(e)` is the box's change handler's first step: it returns the text to keep (with a `:tada:`
 * just completed turned into 🎉) and tracks the caret.
 */
export function useEmojiSuggestions(text: string, field: RefObject<HTMLTextAreaElement | null>, onInsert: (text: string) => void) {
  const lang = useLang();
  const list = useSuggestionList(text, field, shortcodeAtCaret);
  const { at, listId, optionId, track } = list;
  const [data, setData] = useState<{ lang: string; index: EmojiIndex } | null>(null);
  const composing = useComposingIn(field);

  const code = at.text === text && !composing ? shortcodeAtCaret(at.text, at.caret) : null;
  // Asked for again as the shortcode changes: after a failed fetch, the next key typed tries again.
  const wanted = code !== null && data?.lang !== lang ? `${code.start}:${code.typed}` : null;
  // The answer is kept whatever was typed meanwhile (a shortcode finished before it came is converted
  // then: `late`), but not after the box is gone.
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => void (mounted.current = false);
  }, []);
  useEffect(() => {
    if (wanted === null) return;
    loadEmojiIndex(lang).then((index) => mounted.current && setData({ lang, index }), () => undefined);
  }, [wanted, lang]);
  /**
   * A `:shortcode:` whose closing colon was typed before the data came (the text then and the caret
   * after that colon): converted when it comes, if the text up to there is still the same.
   */
  const late = useRef<Caret | null>(null);
  useEffect(() => {
    const was = late.current;
    const input = field.current;
    if (!was || !data || !input) return;
    late.current = null;
    const done = shortcodeDoneAt(was.text, was.caret, data.index);
    const now = input.value;
    if (!done || now.slice(0, was.caret) !== was.text.slice(0, was.caret) || composing) return;
    const caret = input.selectionStart ?? now.length;
    const shift = done.emoji.length - (was.caret - done.start);
    onInsert(list.place(now, done.start, was.caret, done.emoji, caret >= was.caret ? caret + shift : caret));
    // Only the data's arrival converts: the text typed since is read from the field.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);
  const matches = code && data ? findEmoji(data.index, code.typed, MAX_SUGGESTIONS) : [];
  const open = matches.length > 0 && !list.dismissedHere;
  const current = list.chosen(matches.length);

  /** The text field's new value, with a known `:shortcode:` whose closing colon was just typed turned into its emoji. */
  function change(e: ChangeEvent<HTMLTextAreaElement>): string {
    const input = e.target;
    const caret = input.selectionStart ?? input.value.length;
    // Only when that colon is the one character typed: not when deleting back to it, nor for a paste, a
    // drop or an undo (Ctrl+Z after a conversion gives back `:tada:` for good), nor under an input
    // method's composition.
    const typedColon =
      input.value.length === text.length + 1 && input.value[caret - 1] === ":" &&
      input.value.slice(0, caret - 1) + input.value.slice(caret) === text && !isComposingChange(e);
    if (typedColon && !data) late.current = { text: input.value, caret };
    const done = typedColon && data ? shortcodeDoneAt(input.value, caret, data.index) : null;
    if (!done) {
      track(input);
      return input.value;
    }
    return list.place(input.value, done.start, caret, done.emoji);
  }

  function insert(emoji: string) {
    if (!code) return;
    const rest = at.text.slice(at.caret);
    const piece = `${emoji}${rest.startsWith(" ") ? "" : " "}`;
    const caret = code.start + piece.length + (rest.startsWith(" ") ? 1 : 0);
    onInsert(list.place(at.text, code.start, at.caret, piece, caret));
  }

  /** The list's keys; true when the key was used (the box then leaves it alone). */
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => list.keyDown(e, open, matches.length, (i) => insert(matches[i].emoji));

  /** What the text field carries while the list is open. */
  const inputProps = list.inputProps(open, current);

  return { open, matches, current, listId, optionId, track, change, insert, onKeyDown, inputProps };
}

type ListProps = ReturnType<typeof useEmojiSuggestions>;

/** The list over the box (it looks as the `@` list does); how many emoji match is announced as it opens and when that changes. */
export function EmojiList({ open, matches, current, listId, optionId, insert }: ListProps) {
  const t = useT();
  const announce = useAnnounce();
  const count = open ? matches.length : 0;
  useEffect(() => {
    if (count > 0) announce(t.label("emoji.count", { count }));
    // Said again only when the number changes, not on every key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [count, announce]);
  if (!open) return null;
  return (
    <ul id={listId} className="mention-list" role="listbox" aria-label={t.label("emoji.list")}>
      {matches.map((m, i) => (
        <li
          key={m.emoji} id={optionId(i)} role="option" aria-selected={i === current} className="mention-option"
          // The text field keeps the focus (and its caret) when an emoji is clicked.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => insert(m.emoji)}
        >
          {m.emoji} :{m.shortcode}:
        </li>
      ))}
    </ul>
  );
}
