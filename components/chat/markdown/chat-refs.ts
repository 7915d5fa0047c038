/**
 * A remark plugin that marks `@name` mentions and links `#room` references in message Markdown. Text in
 * code, links and images is left alone. Which `@…` counts as a mention is decided by the server's one
 * mention grammar (lib/notifications/mentions.ts), and, with the `known` option, whether it names
 * someone a mention notifies (mention-directory.ts), so what is highlighted is exactly what notifies.
 */
import type { PhrasingContent, Root } from "mdast";
import { findAndReplace, type RegExpMatchObject } from "mdast-util-find-and-replace";
import { findMentions, MENTION_QUOTES, MENTION_SIGNS, mentionWord } from "@/lib/notifications/mentions";
import { roomPath } from "../room-path";

/**
 * Anything that might be a mention (after any of the mention signs): a quoted name first (`@"Aiko
 * Tanaka"`, `@“Aiko Tanaka”`, its spaces and all), else what runs to the next space; the shared grammar
 * then says which part of it is one. One expression: a second pass would look again inside the mentions
 * the first made.
 */
const MENTION_CANDIDATE = new RegExp(`[${MENTION_SIGNS}](?:[${MENTION_QUOTES}][^${MENTION_QUOTES}\\n]{1,64}[${MENTION_QUOTES}]|[^\\s${MENTION_SIGNS}]{1,64})`, "gu");
const OPENS_QUOTED = new RegExp(`^.[${MENTION_QUOTES}]`, "u");
/** `#` and a room name of letters, digits, `_`, `.`, `-`, after the start of text or a non-word character. */
const ROOM_REF = /#([\p{L}\p{N}_][\p{L}\p{N}_.-]{0,63})/gu;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

export type ChatRefsOptions = {
  /** The reader's own name: mentions of it get the `mention-me` class, and are always highlighted. */
  me?: string | null;
  /**
   * Whether a mentioned name (as findMentions gives it) is someone a mention notifies, or, for the
   * room-wide `@room`, `@all`, `@everyone` and `@here`, whether they notify the room: a mention it
   * refuses is left as plain text. Not asked about `me`, which is always highlighted. Absent: every
   * mention is highlighted.
   */
  known?: (name: string) => boolean;
};

const precededByWord = (match: RegExpMatchObject) => match.index > 0 && WORD_CHAR.test(match.input[match.index - 1]);

/** The whole character (code point) of `input` just before UTF-16 index `at`; "" at the start. */
function characterBefore(input: string, at: number): string {
  if (at <= 0) return "";
  const low = input.charCodeAt(at - 1);
  return at >= 2 && low >= 0xdc00 && low <= 0xdfff ? input.slice(at - 2, at) : input[at - 1];
}

function mention(candidate: string, match: RegExpMatchObject, { me, known }: ChatRefsOptions): PhrasingContent[] | false {
  // The character before the sign decides as findMentions' look-behind does: a whole letter, even one
  // outside the BMP (`𠮷@bob` is no mention), not half of it.
  const before = characterBefore(match.input, match.index);
  const [name] = findMentions(before + candidate);
  // The sign as written ("@" or "＠": one UTF-16 unit each).
  const sign = candidate[0];
  // findMentions reads the text in NFC (a name written decomposed, `jose&#x301;`, is `josé`): so is the
  // candidate here, and the mention is shown so (it looks the same).
  const written = `${sign}${candidate.slice(1).normalize("NFC")}`;
  // Quoted: the whole candidate is the mention (its quotes are not shown); bare: the name at its start.
  const quoted = OPENS_QUOTED.test(written);
  if (!name || (quoted ? written.slice(2, -1) !== name : !written.startsWith(`${sign}${name}`))) return false;
  // The reader's own name in another case or width (`@BOB`, `＠ｂｏｂ`) is theirs too: the server notifies them.
  const mine = !!me && mentionWord(name) === mentionWord(me);
  if (known && !mine && !known(name)) return false;
  const className = mine ? "mention mention-me" : "mention";
  // A phrasing node with children (find-and-replace merges adjacent text nodes), rendered as a span.
  const node: PhrasingContent = {
    type: "emphasis",
    children: [{ type: "text", value: `${sign}${name}` }],
    data: { hName: "span", hProperties: { className: className.split(" ") } },
  };
  const rest = quoted ? "" : written.slice(name.length + 1);
  return rest ? [node, { type: "text", value: rest }] : [node];
}

/**
 * A name of digits and separators only: what "issue #45", "PR #12" and "#1.2" number, not a room. Linked,
 * such a reference would send a click to a room nobody meant.
 */
const NUMBER_ONLY = /^[\p{N}_.-]+$/u;

function roomRef(whole: string, raw: string, match: RegExpMatchObject): PhrasingContent[] | false {
  if (precededByWord(match)) return false;
  const name = raw.replace(/[.-]+$/, "");
  if (NUMBER_ONLY.test(name)) return false;
  const link: PhrasingContent = {
    type: "link",
    url: roomPath(name),
    children: [{ type: "text", value: `#${name}` }],
    data: { hProperties: { className: ["room-ref"] } },
  };
  const rest = whole.slice(name.length + 1);
  return rest ? [link, { type: "text", value: rest }] : [link];
}

/** The plugin: `[remarkChatRefs, { me, known }]` in react-markdown's `remarkPlugins`. */
export function remarkChatRefs(options: ChatRefsOptions = {}) {
  return (tree: Root) => {
    findAndReplace(
      tree,
      [
        [MENTION_CANDIDATE, (candidate: string, match: RegExpMatchObject) => mention(candidate, match, options)],
        [ROOM_REF, roomRef],
      ],
      { ignore: ["link", "linkReference", "image", "imageReference"] },
    );
  };
}
