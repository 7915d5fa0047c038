"use client";
/**
 * What a screen reader says about a room's conversation: one short sentence per NEW message from someone
 * else, in a visually hidden polite live region (message-list.tsx's, in the page from the start; these
 * are its sentences). The visible message log itself is not live (`aria-live="off"`), so the history
 * shown on load, older pages and a room switch are never read out.
 *
 * Policy (as Slack and Element do): the reader's own messages are not announced — they just wrote
 * them, and hearing them echoed interrupts the next one. Edits, deletions, reactions and replies in
 * threads are not announced either; a burst (a reconnect catching up) becomes one sentence with a count.
 */
import { useEffect, useRef, useState } from "react";
import "@/components/i18n/live-strings";
import { useT, type Translate } from "@/components/i18n/use-t";
import { toPlainText, toPlainTextNow } from "@/lib/text/plain-text";
import { truncateChars } from "@/lib/text/unicode";
import type { Message } from "./chat-types";
import { isOwnMessage, type Self } from "./own-messages";

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

type Room = { label: string; direct?: boolean };

function sentence(t: Translate, m: Message, room: Room, text: string): string {
  if (!text && m.attachments?.length) return t("room.announceFiles", { author: m.author, count: m.attachments.length });
  const params = { author: m.author, room: room.label, text: truncateChars(text, SPOKEN_CHARS) };
  return t(room.direct ? "room.announceDirect" : "room.announce", params);
}

/**
 * The sentence spoken for one message: "bob in #general: hello" ("bob: hello" in a DM, whose room is
 * that person), one translated sentence with the author, room and text isolated as `t()` does, and the
 * text as a reader sees it (no Markdown syntax: lib/text/plain-text.ts). At once when the text needs
 * no parser or it is loaded, else once it is.
 */
export function announcement(t: Translate, m: Message, room: Room): string | Promise<string> {
  const raw = m.text.trim();
  const now = toPlainTextNow(raw);
  return now !== undefined ? sentence(t, m, room, now) : toPlainText(raw).then((text) => sentence(t, m, room, text));
}

type Props = {
  room: string;
  /** How people know the room ("#general", or the other person's name for a DM). */
  label: string;
  /** A direct message: the room is the other person, so sentences do not name it. */
  direct?: boolean;
  /** The room's confirmed messages as the list shows them, oldest first. */
  messages: readonly Message[];
  /** The reader: their own messages are not announced (own-messages.ts). */
  self?: Self | null;
  /**
   * The room and its last message id when the list first showed it: the history. This module is a chunk
   * fetched after the list's first render; a message that arrived meanwhile is still news when it comes.
   */
  firstSeen: Seen | null;
};

/** A room and the id of the last message in its list. */
export type Seen = { room: string; lastId: string | null };

/** The sentences of the region (see the module comment), as `<p>` elements. */
export function NewMessageAnnouncer({ room, label, direct, messages, self, firstSeen }: Props) {
  const t = useT();
  const [said, setSaid] = useState<Said[]>([]);
  const seen = useRef<Seen | null>(firstSeen?.room === room ? firstSeen : null);
  // Sentences are said in order: a batch that waits for the parser (the first Markdown seen) holds back
  // the batches after it.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const waiting = useRef(0);
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
    const fresh = arrivedAfter(messages, prev.lastId).filter((m) => !isOwnMessage(m, self) && !m.deleted && !m.threadId);
    if (!fresh.length) return;
    const lines: (Said | Promise<Said>)[] =
      fresh.length > ANNOUNCE_BURST
        ? [{ key: `many-${fresh[fresh.length - 1].id}`, text: t("room.announceMany", { count: fresh.length, room: label }) }]
        : fresh.map((m) => {
            const text = announcement(t, m, { label, direct });
            return typeof text === "string" ? { key: m.id, text } : text.then((s) => ({ key: m.id, text: s }));
          });
    const add = (batch: Said[]) => setSaid((list) => [...list, ...batch].slice(-KEEP));
    if (waiting.current === 0 && lines.every((l): l is Said => !(l instanceof Promise))) {
      add(lines);
      return;
    }
    waiting.current++;
    queue.current = queue.current.then(async () => {
      const batch = await Promise.all(lines);
      waiting.current--;
      // Made for a room the reader has left since: not news there.
      if (seen.current?.room === room) add(batch);
    });
  }, [room, label, direct, lastId, messages, self, t]);

  return said.map((s) => <p key={s.key}>{s.text}</p>);
}
