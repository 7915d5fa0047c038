/**
 * Per-room bookkeeping of how far the stream of messages has been seen: the room position (the highest
 * message id or change id, sent back in the handshake as `lastSeen` so the server replays new messages
 * and changes after it) and the highest seq (so a jump reveals missed messages).
 */
import type { Message } from "./chat-types";
import { compareIds, newestId, newestSeq } from "./message-merge";

export class RoomCursors {
  private readonly lastSeen = new Map<string, string>();
  private readonly lastSeq = new Map<string, number>();

  /** Records messages seen in the room's stream (join, live delivery, history). */
  note(room: string, messages: readonly Message[]): void {
    this.position(room, newestId(messages));
    for (const m of messages) this.position(room, m.changeId);
    this.lastSeq.set(room, Math.max(this.lastSeq.get(room) ?? 0, newestSeq(messages)));
  }

  /** Records a position seen in the room's order (a message id, or the `changeId` of a change event). */
  position(room: string, id: string | undefined): void {
    const seen = this.lastSeen.get(room);
    if (id && (!seen || compareIds(id, seen) > 0)) this.lastSeen.set(room, id);
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
