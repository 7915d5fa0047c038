/** Turns confirmed and outgoing messages into display rows: grouped by author, split by day. */
import type { Text } from "@/components/i18n/text";
import type { Attachment, LinkPreview } from "@/lib/chat/types";
import type { Message, OutgoingMessage } from "./chat-types";
import { dayKey, formatDay, type Clock } from "./format-time";
import { compareIds } from "./message-merge";
import { isOwnMessage, type Self } from "./own-messages";

/** Consecutive messages by one author within this window share one header, as in most chat apps. */
const GROUP_WINDOW_MS = 5 * 60_000;

export type MessageRow = {
  /**
   * Unique in the list, and stable across confirmation: `c:<clientId>` for a message still being sent
   * and for a stored one that has a clientId, so a sent message does not re-mount; `m:<id>` otherwise.
   * A clientId is unique only per sender (two people, or bots counting "1", "2", …, may use the same
   * one), so a stored message whose clientId another row has already taken is keyed by its id.
   */
  key: string;
  /** The message id once stored (absent while sending). */
  id?: string;
  author: string;
  text: string;
  createdAt: string;
  attachments?: Attachment[];
  outgoing?: OutgoingMessage;
  /** The confirmed message (absent while it is still being sent). */
  message?: Message;
  /** The link preview card of a confirmed message, once the server has made it. */
  preview?: LinkPreview;
  /** Same author as the row above, shortly after it: no repeated name and avatar. */
  continuation: boolean;
  /** Label of a day divider to show above this row. */
  dayLabel?: Text;
};

/**
 * The rows of a message list; day dividers follow `clock`'s calendar (see Clock). `gapAfter`: the held
 * messages have a hole after this id (RoomView.gapAfter), so the first one after it starts a new group.
 */
export function toRows(messages: readonly Message[], outbox: readonly OutgoingMessage[], now: Date, clock: Clock, gapAfter?: string) {
  const rows: MessageRow[] = [];
  // Duplicate keys made React show one message many times (an outside trial: 8-9 copies of a message of
  // one guest that had the clientId of another's), so each key is taken once.
  const taken = new Set<string>();
  const unique = (preferred: string, otherwise: string) => {
    const key = taken.has(preferred) ? otherwise : preferred;
    taken.add(key);
    return key;
  };
  const items = [
    ...messages.map((m) => ({ key: m.clientId ? unique(`c:${m.clientId}`, `m:${m.id}`) : unique(`m:${m.id}`, `m:${m.id}:${taken.size}`), m, outgoing: undefined })),
    ...outbox.map((o) => ({ key: unique(`c:${o.clientId}`, `o:${o.clientId}`), m: o, outgoing: o })),
  ];
  let prev: MessageRow | undefined;
  for (const { key, m, outgoing } of items) {
    const newDay = !prev || dayKey(prev.createdAt, clock) !== dayKey(m.createdAt, clock);
    // Across a hole in the history (RoomView.gapAfter) messages are not consecutive: a new group starts.
    const acrossGap = !!gapAfter && !!prev?.id && !outgoing && compareIds(prev.id, gapAfter) <= 0 && compareIds((m as Message).id, gapAfter) > 0;
    // A name a guest gave up may be an account's now (and a guest's messages are tagged "guest"): stored
    // messages of one name but another kind of author are not one group.
    const otherKind = !!prev?.message && !outgoing && prev.message.authorKind !== (m as Message).authorKind;
    const continuation =
      !!prev && !newDay && !acrossGap && prev.author === m.author && !otherKind && !prev.outgoing?.error &&
      Date.parse(m.createdAt) - Date.parse(prev.createdAt) < GROUP_WINDOW_MS;
    const row: MessageRow = {
      key, id: outgoing ? undefined : (m as Message).id, author: m.author, text: m.text, createdAt: m.createdAt, attachments: m.attachments,
      outgoing, continuation, preview: outgoing ? undefined : (m as Message).preview,
      message: outgoing ? undefined : (m as Message),
      dayLabel: newDay ? formatDay(m.createdAt, now, clock) : undefined,
    };
    rows.push(row);
    prev = row;
  }
  return rows;
}

/** A hue derived from the name, so each person keeps the same avatar colour everywhere. */
export function nameHue(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return h;
}

/**
 * The reader's newest message in the room itself that can still be edited (Up-arrow edits it), if any:
 * not a thread reply, which the room's list does not show. Own as isOwnMessage decides (under any name
 * `self` had when writing it).
 */
export function lastOwnMessage(messages: readonly Message[] | undefined, self: Self | null | undefined): Message | undefined {
  if (!messages || !self) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) if (isOwnMessage(messages[i], self) && !messages[i].deleted && !messages[i].threadId) return messages[i];
  return undefined;
}
