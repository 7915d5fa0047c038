/** Request/response exchanges that load a room's messages and the room list into the view state. */
import type { Dispatch } from "react";
import type { ChatAction } from "./chat-state";
import type { Message, RoomSummary } from "./chat-types";
import { ACK_TIMEOUT_MS, TIMED_OUT, type ChatSocket } from "./chat-socket";
import type { RoomCursors } from "./room-cursors";

export type SyncContext = {
  socket: ChatSocket;
  cursors: RoomCursors;
  dispatch: Dispatch<ChatAction>;
  /** Rooms whose missed changes are being fetched now (one fetch per room at a time). */
  catchingUp: Set<string>;
  /** Per room, the fill of its missing messages under way (see `fillHoles`; one per room at a time). */
  filling: Map<string, Promise<FillOutcome>>;
  /**
   * Per room, the hole a fill could not close (its `afterSeq`) and when a look at it may ask again
   * (ms since the epoch: HOLE_RETRY_MS on, or later when the server said so).
   */
  stuck: Map<string, { afterSeq: number; retryAt: number }>;
};

/**
 * How a fill ended: every missing message fetched (`ok`), or stopped short (`history` refused, not
 * answered in ACK_TIMEOUT_MS, cut off by a disconnect, or answered with no message). `retryAt`: when the
 * server said asking again may succeed (ms since the epoch, from a `rate_limited` refusal's `retryAfter`).
 */
export type FillOutcome = { ok: true } | { ok: false; retryAt?: number };

/** The server caps one history page at 100 messages. */
const MAX_PAGE = 100;
/** Beyond this many missed messages, start over from the newest page rather than fetch them all. */
const MAX_BACKFILL = 300;
const OLDER_PAGE = 50;
/** Change pages fetched for one gap at most (each up to MAX_PAGE messages); the rest waits for the next gap. */
const MAX_CHANGE_PAGES = 5;
/** A hole a fill could not close is asked about again at most this often (ms), unless the reader asks. */
export const HOLE_RETRY_MS = 5000;

const ask = (ctx: SyncContext) => ctx.socket.timeout(ACK_TIMEOUT_MS);

/** Joins a room and loads its newest page; returns false if the server refused or did not answer. */
export async function joinRoom(ctx: SyncContext, room: string): Promise<boolean> {
  const seenSeq = ctx.cursors.seq(room);
  const res = await ask(ctx).emitWithAck("join-room", room).catch(() => TIMED_OUT);
  if (!res.ok) {
    // A join cut short by a disconnect is retried on reconnect; only a real refusal is worth showing.
    if (ctx.socket.connected) ctx.dispatch({ type: "join-failed", room, error: res.error });
    return false;
  }
  ctx.cursors.note(room, res.data.messages);
  const first = res.data.messages[0];
  // Returning to a room (or rejoining after an outage): more may have been said than the newest page
  // holds. A small gap is filled in; after a big one the cached messages are dropped instead.
  const gap = seenSeq !== undefined && first?.seq ? first.seq - seenSeq - 1 : 0;
  const missedChanges = ctx.cursors.joined(room, res.data.lastChange);
  if (gap > MAX_BACKFILL) ctx.cursors.restart(room, res.data.messages);
  ctx.dispatch({ type: "joined", room, data: res.data, replace: gap > MAX_BACKFILL, at: performance.now() });
  // Every hole is filled now, the one this page opened and any a fill could not close before.
  if (ctx.cursors.hole(room)) await fillHoles(ctx, room);
  if (missedChanges) await catchUpChanges(ctx, room);
  return true;
}

/**
 * Fetches the messages between seq `afterSeq` and the message `next` (its id and seq), newest page first
 * (pages of up to MAX_PAGE). Each page is kept as it comes, so a fill that stops short leaves only the
 * older part of the hole missing. Never rejects: a refusal, a timeout or a disconnect ends it with
 * `{ ok: false }`.
 */
export async function fillGap(ctx: SyncContext, room: string, afterSeq: number, next: Pick<Message, "id" | "seq">): Promise<FillOutcome> {
  let boundary: Pick<Message, "id" | "seq"> = next;
  while (typeof boundary.seq === "number" && boundary.seq - afterSeq > 1) {
    const limit = Math.min(MAX_PAGE, boundary.seq - afterSeq - 1);
    const res = await ask(ctx)
      .emitWithAck("history", { room, before: boundary.id, limit })
      .catch(() => TIMED_OUT);
    if (!res.ok) return { ok: false, ...retryHint(res.error.retryAfter) };
    if (res.data.messages.length === 0) return { ok: false };
    ctx.cursors.note(room, res.data.messages);
    ctx.dispatch({ type: "history", room, messages: res.data.messages });
    boundary = res.data.messages[0];
  }
  return { ok: true };
}

/** `retryAfter` (whole seconds, from a `rate_limited` refusal) as the time it ends, if given. */
const retryHint = (retryAfter: number | undefined): { retryAt?: number } =>
  typeof retryAfter === "number" && retryAfter > 0 ? { retryAt: Date.now() + retryAfter * 1000 } : {};

/**
 * Fills the holes in the room's seqs (RoomCursors.hole), lowest first, until none is left or a fill
 * stops short, and tells the view: a hole filled loses its mark (`gap-filled`), and when a fill stops the
 * lowest hole left is marked where it is (`gap-missed`, with the server's retry hint), so the list never
 * shows the messages on either side of it as if nothing were between them. While a fill of the room is
 * under way a second call gets its outcome instead of starting another.
 */
export function fillHoles(ctx: SyncContext, room: string): Promise<FillOutcome> {
  const running = ctx.filling.get(room);
  if (running) return running;
  const fill = fillEach(ctx, room).finally(() => ctx.filling.delete(room));
  ctx.filling.set(room, fill);
  return fill;
}

async function fillEach(ctx: SyncContext, room: string): Promise<FillOutcome> {
  ctx.dispatch({ type: "gap-loading", room, loading: true });
  let outcome: FillOutcome = { ok: true };
  for (let hole = ctx.cursors.hole(room); hole; ) {
    outcome = await fillGap(ctx, room, hole.afterSeq, hole.next);
    const left = ctx.cursors.hole(room);
    // A fill that brought nothing in place (messages without seqs) would be tried forever.
    if (outcome.ok && left?.afterSeq === hole.afterSeq) outcome = { ok: false };
    if (!outcome.ok) break;
    ctx.dispatch({ type: "gap-filled", room, after: hole.afterId });
    hole = left;
  }
  ctx.dispatch({ type: "gap-loading", room, loading: false });
  const left = ctx.cursors.hole(room);
  if (!outcome.ok && left) ctx.stuck.set(room, { afterSeq: left.afterSeq, retryAt: Math.max(Date.now() + HOLE_RETRY_MS, outcome.retryAt ?? 0) });
  if (!outcome.ok && left) ctx.dispatch({ type: "gap-missed", room, after: left.afterId, ...(outcome.retryAt ? { retryAt: outcome.retryAt } : {}) });
  return outcome;
}

/**
 * A change was missed (its `changeSeq` skipped): fetches the messages changed after the last change
 * number known, page by page, and puts their current state in place of the copies held. Messages not
 * held are left out (they arrive as they are now with history).
 */
export async function catchUpChanges(ctx: SyncContext, room: string): Promise<void> {
  if (ctx.catchingUp.has(room)) return;
  ctx.catchingUp.add(room);
  try {
    for (let page = 0; page < MAX_CHANGE_PAGES; page++) {
      const res = await ask(ctx)
        .emitWithAck("changes", { room, after: ctx.cursors.changesSeen(room), limit: MAX_PAGE })
        .catch(() => TIMED_OUT);
      if (!res.ok) return;
      const { messages, hasMore, lastChange } = res.data;
      for (const m of messages) ctx.cursors.position(room, m.changeId);
      if (messages.length > 0) ctx.dispatch({ type: "refreshed", room, messages });
      const upTo = hasMore ? (messages.at(-1)?.changeSeq ?? lastChange) : lastChange;
      if (ctx.cursors.caughtUp(room, upTo) && !hasMore) return;
    }
  } finally {
    ctx.catchingUp.delete(room);
  }
}

/** Loads the page of messages before `before` (the oldest one held). */
export async function loadOlder(ctx: SyncContext, room: string, before: string | undefined): Promise<void> {
  ctx.dispatch({ type: "older-loading", room, loading: true });
  const res = await ask(ctx)
    .emitWithAck("history", { room, before, limit: OLDER_PAGE })
    .catch(() => TIMED_OUT);
  if (!res.ok) {
    ctx.dispatch({ type: "older-loading", room, loading: false });
    return;
  }
  ctx.cursors.note(room, res.data.messages);
  ctx.dispatch({ type: "history", room, messages: res.data.messages, hasMore: res.data.hasMore });
}

/** Messages asked for around a message opened far back: half of them older, the rest newer. */
const AROUND_PAGE = 50;

/**
 * Loads the page around message `id` (a search result or message link that is not among the messages
 * held) in one request instead of paging back to it. Resolves with whether the page holds the message
 * (false: it is gone, or the request failed).
 */
export async function loadAround(ctx: SyncContext, room: string, id: string): Promise<boolean> {
  const res = await ask(ctx)
    .emitWithAck("history", { room, around: id, limit: AROUND_PAGE })
    .catch(() => TIMED_OUT);
  if (!res.ok) return false;
  ctx.cursors.note(room, res.data.messages);
  ctx.dispatch({ type: "around", room, messages: res.data.messages, hasMore: res.data.hasMore, hasNewer: res.data.hasNewer ?? false });
  return res.data.messages.some((m: Message) => m.id === id);
}

/** Loads the messages after `after` (the lower edge of the view's hole, RoomView.gapAfter). */
export async function loadNewer(ctx: SyncContext, room: string, after: string): Promise<void> {
  ctx.dispatch({ type: "newer-loading", room, loading: true });
  const res = await ask(ctx)
    .emitWithAck("history", { room, around: after, limit: MAX_PAGE })
    .catch(() => TIMED_OUT);
  if (!res.ok) {
    ctx.dispatch({ type: "newer-loading", room, loading: false });
    return;
  }
  ctx.cursors.note(room, res.data.messages);
  ctx.dispatch({ type: "newer", room, messages: res.data.messages, hasNewer: res.data.hasNewer ?? false });
}

/** Loads the room list into the view state; resolves with it (undefined: refused or not answered). */
export async function refreshRooms(ctx: SyncContext): Promise<RoomSummary[] | undefined> {
  const askedAt = performance.now();
  const res = await ask(ctx).emitWithAck("list-rooms").catch(() => TIMED_OUT);
  if (!res.ok) return undefined;
  ctx.dispatch({ type: "rooms", rooms: res.data.rooms, askedAt });
  return res.data.rooms;
}
