"use client";
/**
 * What a screen reader says about a room's conversation: one short sentence per NEW message from someone
 * else, in a visually hidden polite live region. The visible message log itself is not live
 * (`aria-live="off"`), so the history shown on load, older pages and a room switch are never read out.
 *
 * Policy (as Slack and Element do): the reader's own messages are not announced — they just wrote
 * them, and hearing them echoed interrupts the next one. Edits, deletions, reactions and replies in
 * threads are not announced either; a burst (a reconnect catching up) becomes one sentence with a count.
 */
import { useEffect, useRef, useState } from "react";
import { useT, type Translate } from "@/components/i18n/use-t";
import { truncateChars } from "@/lib/text/unicode";
import type { Message } from "./chat-types";

/** More new messages than this at once are summarised ("12 new messages in …"). */
export const ANNOUNCE_BURST = 3;
/** Announcements kept in the region; older ones are dropped (removals are not spoken). */
const KEEP = 5;
/** A long message is cut for speech (code points); the whole of it is in the log. */
const SPOKEN_CHARS = 200;

type Said = { key: string; text: string };

/**
 * The messages that arrived at the end of the list since the last render for the same room: empty on
 * the first sight of a room (that is history), when the old last message is no longer in the list (the
 * window was replaced) and when only older messages were added in front (history paging).
 */
export function arrivedAfter(messages: readonly Message[], lastId: string | null): Message[] {
  if (lastId === null) return [...messages];
  const at = messages.findIndex((m) => m.id === lastId);
  if (at < 0) return [];
  return messages.slice(at + 1);
}

/** The sentence spoken for one message: "author: text" with both isolated as `t()` does. */
export function announcement(t: Translate, m: Message): string {
  const text = m.text.trim();
  if (!text && m.attachments?.length) return t("room.announceFiles", { author: m.author, count: m.attachments.length });
  return t("room.announce", { author: m.author, text: truncateChars(text, SPOKEN_CHARS) });
}

type Props = {
  room: string;
  /** How people know the room ("#general", or the other person's name for a DM). */
  label: string;
  /** The room's confirmed messages as the list shows them, oldest first. */
  messages: readonly Message[];
  /** The signed-in user's name: their messages are not announced. */
  me?: string | null;
};

export function NewMessageAnnouncer({ room, label, messages, me }: Props) {
  const t = useT();
  const [said, setSaid] = useState<Said[]>([]);
  const seen = useRef<{ room: string; lastId: string | null } | null>(null);
  const lastId = messages.at(-1)?.id ?? null;

  useEffect(() => {
    const prev = seen.current;
    seen.current = { room, lastId };
    if (!prev || prev.room !== room) {
      // A room seen for the first time: its history is not news, and the last room's sentences go.
      if (prev) setSaid([]);
      return;
    }
    if (prev.lastId === lastId) return;
    const fresh = arrivedAfter(messages, prev.lastId).filter((m) => m.author !== me && !m.deleted && !m.threadId);
    if (!fresh.length) return;
    const lines: Said[] =
      fresh.length > ANNOUNCE_BURST
        ? [{ key: `many-${fresh[fresh.length - 1].id}`, text: t("room.announceMany", { count: fresh.length, room: label }) }]
        : fresh.map((m) => ({ key: m.id, text: announcement(t, m) }));
    setSaid((list) => [...list, ...lines].slice(-KEEP));
  }, [room, label, lastId, messages, me, t]);

  return (
    <div className="visually-hidden message-announcer" aria-live="polite" aria-relevant="additions" aria-atomic="false">
      {said.map((s) => (
        <p key={s.key}>{s.text}</p>
      ))}
    </div>
  );
}
