import type { Socket } from "socket.io-client";
import type { Message } from "../../lib/chat/types";
import { call } from "./server";

/**
 * What a careful client does with `receive-message`: dedupe by id, and when a `seq` skips ahead, fetch
 * the gap with `history`. Records duplicates it saw so tests can assert there were none.
 */
export function reliableReader(socket: Socket, room: string) {
  const byId = new Map<string, Message>();
  const arrivals: string[] = [];
  let lastSeq = 0;
  let backfills = 0;
  const fill = async () => {
    backfills++;
    const page = await call<{ messages: Message[] }>(socket, "history", { room, limit: 100 });
    for (const m of page.messages) if (!byId.has(m.id)) byId.set(m.id, m);
    lastSeq = Math.max(lastSeq, ...page.messages.map((m) => m.seq));
  };
  socket.on("receive-message", (m: Message) => {
    if (m.room !== room) return;
    arrivals.push(m.id);
    const gap = m.seq > lastSeq + 1 && lastSeq > 0;
    if (!byId.has(m.id)) byId.set(m.id, m);
    lastSeq = Math.max(lastSeq, m.seq);
    // A fill cut off by a disconnect (an instance killed mid-request) is left to the reconnect, whose
    // lastSeen replay covers the same gap; it must not surface as an unhandled rejection.
    if (gap) fill().catch(() => undefined);
  });
  return {
    /** Every message held, in id order. */
    messages: () => [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    /** Ids that arrived more than once as events. */
    duplicates: () => arrivals.filter((id, i) => arrivals.indexOf(id) !== i),
    arrivals,
    backfills: () => backfills,
    setLastSeq: (seq: number) => (lastSeq = seq),
  };
}
