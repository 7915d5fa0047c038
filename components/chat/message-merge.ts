/** Pure helpers that keep a room's message list unique by id and ordered by id. */
import type { Message } from "./chat-types";

/** Ids are fixed-width (16 digits, zero-padded), so string order is numeric order. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Merges `incoming` into the sorted list `existing`; the newer copy of a duplicate id wins. */
export function mergeMessages(existing: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return existing;
  const last = existing[existing.length - 1];
  // Fast path for the common case: one new message newer than everything we hold.
  if (incoming.length === 1 && (!last || compareIds(incoming[0].id, last.id) > 0)) {
    return [...existing, incoming[0]];
  }
  const byId = new Map<string, Message>();
  for (const m of existing) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

/** Highest id in a list of messages, or undefined for none. */
export function newestId(messages: readonly Message[]): string | undefined {
  let best: string | undefined;
  for (const m of messages) if (best === undefined || compareIds(m.id, best) > 0) best = m.id;
  return best;
}

/** Highest seq in a list of messages, or 0 when none carries one. */
export function newestSeq(messages: readonly Message[]): number {
  let best = 0;
  for (const m of messages) if (typeof m.seq === "number" && m.seq > best) best = m.seq;
  return best;
}
