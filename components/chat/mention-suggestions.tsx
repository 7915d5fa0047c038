"use client";
/**
 * `@` autocomplete in the composer and a thread's reply box: while the word before the caret is `@` and the start of a name, the
 * people whose name starts with it are offered in a list over the composer: the room's members (in a
 * public room, those in it now) first, then, in a public room, anyone else with an account, as the
 * server suggests them (people-suggestions.ts; a public room's member list has only who is there now,
 * and a mention is most useful for who is not). ↑/↓ choose, Enter or
 * Tab puts `@name ` in place of what was typed (an edit Ctrl+Z undoes: suggestion-list.ts), Esc closes the list (until the word changes), a click
 * picks too. Names a mention cannot reach (with a space, say) are not offered, nor bots, whom no mention
 * notifies (the server says who is one: in its suggestions, and `bot` in the member lists, whose bots the
 * caller leaves out of `people`). Where the whole room can be called (`roomWide`), `@here` and `@room` follow
 * the people, each with who it addresses (whether it notifies them is the server's rule: the author's
 * role and the room's size, docs/protocol.md "Notifications"). The text field stays a text box (it keeps the focus); the list is tied to it with
 * `aria-controls` and `aria-activedescendant`, and the chat's announcer says how many suggestions
 * there are when the list opens or that number changes.
 */
import { useEffect, type KeyboardEvent, type RefObject } from "react";
import { useT } from "@/components/i18n/use-t";
import { NAME_WORD_CHARS } from "@/lib/text/unicode";
import { HERE_MENTION, isMentionable, mentionToken, MENTION_QUOTES, MENTION_SIGNS } from "@/lib/notifications/mentions";
import "@/components/i18n/live-strings";
import { useAnnounce } from "./announcer";
import { useMentionablePeople } from "./people-suggestions";
import { useSuggestionList } from "./suggestion-list";

/** The most people the list offers at once. */
const MAX_SUGGESTIONS = 8;
/**
 * The words that call the room offered after the people (lib/notifications/mentions.ts: `@here`, those in
 * the room now; `@room`, every member; `@all` and `@everyone` mean the same as `@room` and are not offered twice).
 */
const ROOM_WORDS: readonly string[] = [HERE_MENTION, "room"];
/** `@` (or a full-width ＠) and the start of a name, right before the caret, where a mention can start. */
const MENTION_AT_CARET = new RegExp(`(?:^|[^${NAME_WORD_CHARS}])[${MENTION_SIGNS}]([${NAME_WORD_CHARS}]{0,32})$`, "u");

/** The mention being typed at `caret`: where its sign is and the start of the name after it; null if none. */
export function mentionAtCaret(text: string, caret: number): { start: number; typed: string } | null {
  const match = MENTION_AT_CARET.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1].length - 1, typed: match[1] };
}

/**
 * The same for a name with spaces being typed, `@Aiko T` (single spaces between its words), or after a
 * quote mark, `@"Ai`: `typed` without the quote. Offered only while some name starts with it (the hook
 * decides): otherwise every `@bob thanks…` would be a mention still being typed.
 */
const SPACED_AT_CARET = new RegExp(`(?:^|[^${NAME_WORD_CHARS}])[${MENTION_SIGNS}]([${MENTION_QUOTES}]?)((?:[${NAME_WORD_CHARS}]+ )*[${NAME_WORD_CHARS}]*)$`, "u");
export function spacedMentionAtCaret(text: string, caret: number): { start: number; typed: string } | null {
  const match = SPACED_AT_CARET.exec(text.slice(0, caret));
  if (!match || (!match[1] && !match[2].includes(" ")) || [...match[2]].length > 32) return null;
  return { start: caret - match[1].length - match[2].length - 1, typed: match[2] };
}

/** How names are compared while typing: compatibility forms and case folded (＠ＢＯ finds bob). */
const fold = (s: string) => s.normalize("NFKC").toLowerCase();

/**
 * The suggestions for the composer's `text` (with the caret where `track` last saw it), among `people`
 * (the room's members, without the person typing and the bots) and, with `lookUp`, the people the server suggests;
 * with `roomWide` (a room, not a DM, and an author with an account), the ROOM_WORDS that fit after them.
 * `onInsert` gets the new text; once it is in `field`, the caret is put after the inserted name, before
 * anything else can be typed (a key typed right after Enter goes after the name, not before it). A text changed from elsewhere (sent, another room's draft) offers nothing until the caret is seen again.
 */
export function useMentionSuggestions(
  text: string,
  people: readonly string[],
  lookUp: boolean,
  field: RefObject<HTMLTextAreaElement | null>,
  onInsert: (text: string) => void,
  roomWide = false,
) {
  const list = useSuggestionList(text, field, (t, c) => mentionAtCaret(t, c) ?? spacedMentionAtCaret(t, c));
  const { at, listId, optionId, track } = list;

  const word = at.text === text ? mentionAtCaret(at.text, at.caret) : null;
  // A name with spaces, or after a quote mark: the server is asked for its first word (it answers the
  // names starting so, "Aiko Tanaka" for "Aiko"), and the list keeps those starting with all of it.
  const spaced = !word && at.text === text ? spacedMentionAtCaret(at.text, at.caret) : null;
  const mention = word ?? spaced;
  const { names: others, bots } = useMentionablePeople(lookUp && mention ? (spaced ? spaced.typed.split(" ")[0] : mention.typed) : null);
  // Only names a mention reaches (a name with a space is put in quotes, `@"田中 花子"`; one with `"` or `,`
  // cannot be mentioned); nor does `@deploybot`, a bot, also when it is one of the room's members.
  const starts = (name: string) => !!mention && isMentionable(name) && !bots.includes(name) && fold(name).startsWith(fold(mention.typed));
  const here = people.filter(starts).sort((a, b) => a.localeCompare(b));
  // An answer for an earlier start of the name may still be the latest: only the names that still fit.
  // The room's words (a bare word: not after a quote or a space) keep their places at the end of a full list.
  const words = roomWide && word ? ROOM_WORDS.filter((w) => w.startsWith(fold(word.typed))) : [];
  const names = [...[...here, ...others.filter((name) => starts(name) && !here.includes(name))].slice(0, MAX_SUGGESTIONS - words.length), ...words];
  const open = !!mention && names.length > 0 && !list.dismissedHere;
  const current = list.chosen(names.length);

  function insert(name: string) {
    if (!mention) return;
    const end = at.caret;
    const rest = at.text.slice(end);
    // `@name`, or `@"Aiko Tanaka"` for a name a bare mention cannot hold (mentionToken).
    const piece = `${mentionToken(name) ?? `@${name}`}${rest.startsWith(" ") ? "" : " "}`;
    const caret = mention.start + piece.length + (rest.startsWith(" ") ? 1 : 0);
    onInsert(list.place(at.text, mention.start, end, piece, caret));
  }

  /** The list's keys; true when the key was used (the composer then leaves it alone). */
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => list.keyDown(e, open, names.length, (i) => insert(names[i]));

  /** What the text field carries while the list is open. */
  const inputProps = list.inputProps(open, current);

  return { open, names, words, current, listId, optionId, track, insert, onKeyDown, inputProps };
}

type ListProps = ReturnType<typeof useMentionSuggestions>;

/** The list over the composer; how many suggestions it holds is announced as it opens and when that changes. */
export function MentionList({ open, names, words, current, listId, optionId, insert }: ListProps) {
  const t = useT();
  const announce = useAnnounce();
  const count = open ? names.length : 0;
  useEffect(() => {
    if (count > 0) announce(t.label("mention.count", { count }));
    // Said again only when the number changes, not on every key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [count, announce]);
  return (
    <>
      {open && (
        <ul id={listId} className="mention-list" role="listbox" aria-label={t.label("mention.list")}>
          {names.map((name, i) => (
            <li
              key={name} id={optionId(i)} role="option" aria-selected={i === current} className="mention-option"
              // The text field keeps the focus (and its caret) when a name is clicked.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => insert(name)}
            >
              <bdi>@{name}</bdi>
              {words.includes(name) && <span className="mention-about"> {t.label(name === HERE_MENTION ? "mention.here" : "mention.room")}</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
