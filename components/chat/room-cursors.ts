/**
 * Per-room bookkeeping of how far the stream of messages has been seen: the room position (the highest
 * message id or change id, sent back in the handshake as `lastSeen` so the server replays new messages
 * and changes after it), the highest seq (so a jump reveals missed messages), the seqs held without a
 * hole (with several instances, a message from this tab's own instance can arrive before an older one
 * relayed from another: until the older one is in, `lastSeen` stays below the hole, so a reconnection in
 * between replays it), and the room's change numbers (`changeSeq`: changes of a joined room arrive in
 * order, so a jump reveals a missed change).
 */
import type { Message } from "./chat-types";
import { compareIds, newestId, newestSeq } from "./message-merge";
import { setOwn } from "./name-map";
import { MAX_LAST_SEEN_ROOMS } from "@/lib/realtime/events";

/**
 * A room's change numbers: every change up to `seq` was seen (or its effect fetched), `max` is the
 * highest seen, and while `live` (joined, connected) a number past `seq + 1` is a gap.
 */
type ChangeCount = { seq: number; max: number; live: boolean };

/**
 * The messages held in a room's order since this tab began holding it: every seq up to `upTo` (whose
 * message has id `id`), and the ones above it that came before a lower one (seq → id).
 */
type Held = { upTo: number; id: string | undefined; above: Map<number, string> };

/**
 * Most bytes of JSON the handshake's `lastSeen` takes: MAX_LAST_SEEN_ROOMS rooms of names of the longest
 * ASCII kind (64 characters) fit, fewer of names in four-byte characters; the whole handshake stays far
 * under the default MAX_PAYLOAD_BYTES (64 KiB) and under any setting of 16 KiB or more.
 */
export const LAST_SEEN_MAX_BYTES = 12 * 1024;

/** The length of `s` in UTF-8, in bytes (1 to 4 per code point, RFC 3629; a lone surrogate as U+FFFD, 3). */
function utf8Bytes(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

export class RoomCursors {
  private readonly lastSeen = new Map<string, string>();
  private readonly lastSeq = new Map<string, number>();
  private readonly changes = new Map<string, ChangeCount>();
  private readonly held = new Map<string, Held>();

  /** Records messages seen in the room's stream (join, live delivery, history). */
  note(room: string, messages: readonly Message[]): void {
    this.position(room, newestId(messages));
    for (const m of messages) this.position(room, m.changeId);
    this.lastSeq.set(room, Math.max(this.lastSeq.get(room) ?? 0, newestSeq(messages)));
    this.hold(room, messages);
  }

  private hold(room: string, messages: readonly Message[]): void {
    let h = this.held.get(room);
    for (const m of messages) {
      if (typeof m.seq !== "number") continue;
      // Holding starts at the first message seen (a page or a delivery): nothing older is owed.
      if (!h) this.held.set(room, (h = { upTo: Math.min(...messages.map((x) => (typeof x.seq === "number" ? x.seq : Infinity))) - 1, id: undefined, above: new Map() }));
      if (m.seq > h.upTo) h.above.set(m.seq, m.id);
    }
    if (!h) return;
    for (let next = h.above.get(h.upTo + 1); next !== undefined; next = h.above.get(h.upTo + 1)) {
      h.above.delete(++h.upTo);
      h.id = next;
    }
  }

  /**
   * The lowest hole in what the room's stream brought since holding began: the seq below it (`afterSeq`,
   * every seq up to it is held; `afterId` is that message's id, where the list shows the hole) and the
   * message just above it (`next`), the boundary of a `history` fill. Undefined when nothing is missing.
   */
  hole(room: string): { afterSeq: number; afterId: string; next: { id: string; seq: number } } | undefined {
    const h = this.held.get(room);
    // Holding starts at a message seen, so a hole always has a message below it (`id`).
    if (!h || h.above.size === 0 || h.id === undefined) return undefined;
    const seq = Math.min(...h.above.keys());
    return { afterSeq: h.upTo, afterId: h.id, next: { id: h.above.get(seq)!, seq } };
  }

  /** The cache of a room starts over from this page (too much was missed to fill in): so does holding. */
  restart(room: string, messages: readonly Message[]): void {
    this.held.delete(room);
    this.hold(room, messages);
  }

  /**
   * Records a position seen in the room's order (a message id, or the `changeId` of a change event). The
   * rooms are kept in the order their positions last moved (see snapshot).
   */
  position(room: string, id: string | undefined): void {
    const seen = this.lastSeen.get(room);
    if (id && (!seen || compareIds(id, seen) > 0)) {
      this.lastSeen.delete(room);
      this.lastSeen.set(room, id);
    }
  }

  /** Highest seq seen, or undefined when the room was never loaded (so no gap can be judged). */
  seq(room: string): number | undefined {
    return this.lastSeq.get(room);
  }

  /**
   * Notes a change event's `changeSeq`; true when it reveals a missed change (the room is joined and the
   * number skips past the next one expected). Old or repeated numbers change nothing.
   */
  change(room: string, changeSeq: number | undefined): boolean {
    const c = this.changes.get(room);
    if (!c || typeof changeSeq !== "number" || changeSeq <= c.seq) return false;
    c.max = Math.max(c.max, changeSeq);
    if (!c.live) return false;
    if (changeSeq === c.seq + 1) c.seq = changeSeq;
    return changeSeq > c.seq + 1;
  }

  /**
   * The room was joined: `lastChange` is its change count when the page was read. True when changes
   * were made that this tab never saw (while it was elsewhere, or more than a replay carried): then fetch
   * them after `changesSeen()`. Changes replayed on reconnect (several of one message come as one, so
   * their numbers skip) count as seen.
   */
  joined(room: string, lastChange: number | undefined): boolean {
    if (lastChange === undefined) return false;
    const c = this.changes.get(room);
    if (!c) {
      this.changes.set(room, { seq: lastChange, max: lastChange, live: true });
      return false;
    }
    c.live = true;
    if (lastChange > c.max || c.max > lastChange + 1) return true;
    c.seq = c.max = Math.max(c.max, lastChange);
    return false;
  }

  /** Every change up to this number was seen (or fetched). */
  changesSeen(room: string): number {
    return this.changes.get(room)?.seq ?? 0;
  }

  /** Changes up to `upTo` were fetched; true when nothing seen is still unaccounted for. */
  caughtUp(room: string, upTo: number): boolean {
    const c = this.changes.get(room);
    if (!c) return true;
    c.seq = Math.max(c.seq, upTo);
    c.max = Math.max(c.max, c.seq);
    return c.max <= c.seq;
  }

  /** Change numbers stop being judged (disconnected, or left the room) until the next join. */
  pause(room?: string): void {
    for (const [name, c] of this.changes) if (room === undefined || name === room) c.live = false;
  }

  /**
   * Handshake `lastSeen` map: per room the highest position seen, or, while a message below it is still
   * missing, the last message before that hole (the server then replays the hole; what this tab already
   * holds comes again and is deduplicated by id).
   */
  snapshot(): Record<string, string> {
    // The rooms whose positions moved last, at most MAX_LAST_SEEN_ROOMS (the server uses no more) and
    // LAST_SEEN_MAX_BYTES of JSON: a tab that visited many rooms (long names, four-byte characters) would
    // otherwise send a handshake over the server's payload limit, which closes the transport on every
    // attempt (no error to show, no connection).
    const out: Record<string, string> = {};
    let rooms = 0;
    let bytes = 2;
    const entries = [...this.lastSeen];
    for (let i = entries.length - 1; i >= 0 && rooms < MAX_LAST_SEEN_ROOMS; i--) {
      const [room, seen] = entries[i];
      const h = this.held.get(room);
      const id = h && h.above.size > 0 && h.id !== undefined ? h.id : seen;
      const entry = utf8Bytes(JSON.stringify(room)) + id.length + 4; // "room":"id",
      if (bytes + entry > LAST_SEEN_MAX_BYTES) break;
      setOwn(out, room, id);
      bytes += entry;
      rooms++;
    }
    return out;
  }
}
