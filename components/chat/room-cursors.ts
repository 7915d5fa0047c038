/**
 * Per-room bookkeeping of how far the stream of messages has been seen: the highest id (sent back in the
 * handshake so the server can replay) and the highest seq (so a jump reveals missed messages).
 */
import type { Message } from "./chat-types";
import { compareIds, newestId, newestSeq } from "./message-merge";

export class RoomCursors {
  private readonly lastSeen = new Map<string, string>();
  private readonly lastSeq = new Map<string, number>();

  /** Records messages seen in the room's stream (join, live delivery, history). */
  note(room: string, messages: readonly Message[]): void {
    const id = newestId(messages);
    const seen = this.lastSeen.get(room);
    if (id && (!seen || compareIds(id, seen) > 0)) this.lastSeen.set(room, id);
    this.lastSeq.set(room, Math.max(this.lastSeq.get(room) ?? 0, newestSeq(messages)));
  }

  /** Highest seq seen, or undefined when the room was never loaded (so no gap can be judged). */
  seq(room: string): number | undefined {
    return this.lastSeq.get(room);
  }

  /** Handshake `lastSeen` map. */
  snapshot(): Record<string, string> {
    return Object.fromEntries(this.lastSeen);
  }
}
