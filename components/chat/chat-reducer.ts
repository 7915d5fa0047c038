/**
 * The chat view state changes brought by the socket (see chatReducer), as a pure reducer so they are
 * testable without a socket. Imported by the socket client (chat-client.ts), so it travels in its chunk.
 */
import type { ChatState, Message, RoomSummary, RoomView } from "./chat-types";
import { coreChatReducer, initialChatState, readSeqOf, registerLiveReducer, type ChatAction } from "./chat-state";
import { compareIds, mergeMessages } from "./message-merge";
import { toggleReaction, withMine } from "./reactions";
import { own, setOwn } from "./name-map";
import { isOwnMessage, type Self } from "./own-messages";

export { initialChatState, seededView, type ChatAction } from "./chat-state";

/** The reader as own-messages.ts sees them: the socket's session, with the account's names when it is that account. */
function reader(state: ChatState): Self | null {
  const session = state.session;
  if (!session) return null;
  return { name: session.name, names: state.ownNames?.name === session.name ? state.ownNames.names : undefined };
}

function updateView(state: ChatState, room: string, change: (view: RoomView) => RoomView): ChatState {
  const view = own(state.roomViews, room);
  if (!view) return state;
  const next = change(view);
  return next === view ? state : { ...state, roomViews: { ...state.roomViews, [room]: next } };
}

/**
 * A change the copy held is already past: with several instances, change events relayed by different
 * instances can overtake each other (changeSeq 5 before 4), and the late one must not put older state back
 * (a reaction count gone down, a deleted message back). Changes shown before the server's answer carry no
 * number and always apply.
 */
function staleChange(held: Message, changeSeq: number | undefined): boolean {
  return typeof changeSeq === "number" && typeof held.changeSeq === "number" && changeSeq < held.changeSeq;
}

/** The change position a patched copy carries: the event's, else the one it had. */
function positionOf(held: Message, change: { changeId?: string; changeSeq?: number }): Pick<Message, "changeId" | "changeSeq"> {
  if (typeof change.changeSeq === "number") return { changeId: change.changeId, changeSeq: change.changeSeq };
  return typeof held.changeSeq === "number" ? { changeId: held.changeId, changeSeq: held.changeSeq } : {};
}

/** `list` with message `id` changed, or `list` itself when it does not hold it. */
function patchList(list: Message[], id: string, change: (m: Message) => Message): Message[] {
  const at = list.findIndex((m) => m.id === id);
  if (at < 0) return list;
  const next = list.slice();
  next[at] = change(next[at]);
  return next;
}

/**
 * Changes one message we hold, in place, in the room's list and among loaded thread messages (one not
 * loaded yet arrives changed with history).
 */
function patchMessage(state: ChatState, room: string, id: string, change: (m: Message) => Message): ChatState {
  return updateView(state, room, (view) => {
    const messages = patchList(view.messages, id, change);
    const threadMessages = view.threadMessages && patchList(view.threadMessages, id, change);
    return messages === view.messages && threadMessages === view.threadMessages ? view : { ...view, messages, threadMessages };
  });
}

/** Confirmed messages replace the pending copy the sender was showing (matched by clientId). */
function settle(view: RoomView, incoming: Message[]): RoomView {
  const settled = new Set(incoming.map((m) => m.clientId).filter(Boolean));
  const outbox = settled.size ? view.outbox.filter((o) => !settled.has(o.clientId)) : view.outbox;
  return { ...view, messages: mergeMessages(view.messages, incoming), outbox };
}

/**
 * Every chat state change. The ones the page needs before the socket client has loaded (connection,
 * open-room, seeded) are chat-state.ts's `coreChatReducer`; the rest, brought by the socket or mattering
 * only once it is there, are here, in the socket client's chunk (chat-client.ts imports this module, which
 * registers itself as the live reducer the core one hands them to).
 */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  const core = coreChatReducer(state, action);
  if (core !== undefined) return core;
  switch (action.type) {
    case "reset": {
      // A new identity starts from nothing but stays in the room the user is looking at; the first
      // connection keeps the messages the page was rendered with (they are this identity's).
      // The account's names stay: they are dropped only by its own action, when the account changes.
      const base = { ...initialChatState, ownNames: state.ownNames, ...(action.keepViews ? { roomViews: state.roomViews } : {}) };
      return action.room ? chatReducer(base, { type: "open-room", room: action.room }) : base;
    }
    case "lost-room-dismiss":
      return { ...state, lostRoom: null, lostRoomLeft: false };
    case "room-lookup": {
      // Only the open room is looked up; a word on one left since changes nothing.
      if (action.room !== state.currentRoom) return state;
      if (action.status === "found") return state.roomLookup ? { ...state, roomLookup: undefined } : state;
      const { type: _, ...lookup } = action;
      return { ...state, roomLookup: lookup };
    }
    case "session":
      return { ...state, session: action.session, authProblem: null };
    case "auth-problem":
      return { ...state, authProblem: action.problem };
    case "rooms": {
      // Only a room that was listed and is now gone counts as lost: one opened by address may simply
      // not be listed yet.
      const current = state.currentRoom;
      // A public room left stays listed, as left (`left`): that is leaving it too, here (`leftRoom`) or on
      // another page of the person's, which took this page's connection out of the room: a list that says
      // so of the room open here, listed as not left before, moves on too, unless it was asked for before
      // this page's join of the room was answered (it may predate the join that ended `left`).
      const was = state.rooms.find((r) => r.name === current);
      const now = action.rooms.find((r) => r.name === current);
      const joinedAt = current ? own(state.joinedAt ?? {}, current) : undefined;
      const listedSinceJoin = action.askedAt === undefined || joinedAt === undefined || action.askedAt > joinedAt;
      const leftNow = !!now?.left && (state.leftRoom === current || (!!was && !was.left && listedSinceJoin));
      const lost = !!current && ((!!was && !now) || leftNow);
      // A room opened before the list came (a page loaded at the room's address: a link, a notification,
      // a reload) is being read: what the list counts unread there (asked for before the join marked it
      // read) is not waiting. Where its unread messages start is the join's to say (see `joined`): a list
      // asked for beside the join may already count it read.
      const listed = current && !state.rooms.some((r) => r.name === current) ? action.rooms.find((r) => r.name === current) : undefined;
      if (listed && listed.unread > 0) {
        return { ...state, rooms: action.rooms.map((r) => (r === listed ? { ...r, unread: 0, mentions: 0, readSeq: r.lastSeq } : r)) };
      }
      if (!lost) return { ...state, rooms: action.rooms };
      // Gone after the user left it here: that is said as leaving, not as losing access.
      return { ...state, rooms: action.rooms, lostRoom: current, lostRoomLeft: state.leftRoom === current || leftNow, leftRoom: null };
    }
    case "members-changed":
      // The server announces presence, not membership: reflect an add or remove made here at once.
      // Removing oneself is leaving: remembered, for the words said once the room is gone from the list.
      if (action.removed && action.removed === state.session?.name) state = { ...state, leftRoom: action.room };
      // One already listed (the server's `presence` may come before the answer) keeps its entry.
      return updateView(state, action.room, (view) => {
        const listed = view.members.find((m) => m.name === action.added);
        return {
          ...view,
          members: [
            ...view.members.filter((m) => m.name !== action.removed && m.name !== action.added),
            ...(listed ? [listed] : action.added ? [{ name: action.added, online: false, ...(action.bot ? { bot: true as const } : {}) }] : []),
          ],
        };
      });
    case "joined":
      // Joining a public room one left makes one a member again (the server's next list says so too).
      if (state.rooms.some((r) => r.name === action.room && r.left)) state = mapRoom(state, action.room, ({ left: _, ...r }) => r);
      if (action.at !== undefined) state = { ...state, joinedAt: { ...state.joinedAt, [action.room]: action.at } };
      // The first join of a room opened before the list listed it says where its unread messages start:
      // the marker it found (`readBefore`), before marking the room read. Later joins (a reconnect) move no line.
      if (state.newFromJoin === action.room) {
        const { readBefore, readSeq } = action.data;
        const unread = state.currentRoom === action.room && typeof readBefore === "number" && readBefore < readSeq;
        state = { ...state, newFromJoin: undefined, ...(unread ? { newSince: { room: action.room, afterSeq: readBefore } } : {}) };
      }
      return updateView(state, action.room, (view) => {
        const { messages, members, hasMore } = action.data;
        const base = action.replace ? { ...view, messages: [], gapAfter: undefined, gapMissed: undefined } : view;
        // Keep the "more history" flag of what we already hold if it reaches further back than this page.
        const oldestHeld = base.messages[0]?.id;
        const keepsOlder = oldestHeld && messages[0] && compareIds(oldestHeld, messages[0].id) < 0;
        return {
          ...settle(base, messages), status: "ready", error: undefined, members,
          hasMore: keepsOlder ? base.hasMore : hasMore,
        };
      });
    case "join-failed":
      return updateView(state, action.room, (view) => ({ ...view, status: "error", error: action.error }));
    case "received": {
      const { message } = action;
      // The typist's message is what they were typing: the hint ends with it, not seconds later.
      const next = updateView(stopTyping(state, message.room, message.author), message.room, (view) => settle(view, [message]));
      const isOwn = isOwnMessage(message, reader(state));
      if (message.room === state.currentRoom || isOwn) return next;
      return { ...next, unread: { ...next.unread, [message.room]: (own(next.unread, message.room) ?? 0) + 1 } };
    }
    case "message-updated":
      // Replaces a message we hold, in place; one we do not hold (not loaded yet) arrives updated with history.
      return patchMessage(state, action.message.room, action.message.id, (m) => (staleChange(m, action.message.changeSeq) ? m : action.message));
    case "thread-loaded":
      return updateView(state, action.room, (view) => ({ ...view, threadMessages: mergeMessages(view.threadMessages ?? [], action.messages) }));
    case "refreshed": {
      // Fetched after a missed change: the copies held take the state now; others are not loaded yet.
      let next = state;
      for (const m of action.messages) next = patchMessage(next, action.room, m.id, (held) => (staleChange(held, m.changeSeq) ? held : m));
      return next;
    }
    case "message-deleted":
      // A tombstone keeps its place (id, seq, author, time), its place in a thread and who wrote it (as the
      // server's does), nothing else. Its clientId too: a list keys the message's row by it (message-rows.ts),
      // and a row keyed anew remounts, taking the focus of a reader on it to the page (an outside trial).
      return patchMessage(uncountDeleted(state, action), action.room, action.id, (m) => staleChange(m, action.changeSeq) ? m : ({
        id: m.id, seq: m.seq, room: m.room, author: m.author, createdAt: m.createdAt, text: "", deleted: true,
        ...(m.clientId ? { clientId: m.clientId } : {}), ...(m.authorKind ? { authorKind: m.authorKind } : {}),
        ...(m.threadId ? { threadId: m.threadId } : {}), ...(m.replies ? { replies: m.replies } : {}),
        ...positionOf(m, action),
      }));
    case "reactions-updated":
      // The list is the server's (as history shows it); the reader's own reaction stays visible past its names.
      return patchMessage(state, action.room, action.id, (m) =>
        staleChange(m, action.changeSeq) ? m : { ...m, reactions: withMine(m, action.reactions, reader(state), action.toggle), ...positionOf(m, action) });
    case "reaction-toggled": {
      // Whose reaction it is goes by the reader's names, as what shows pressed does (ownReactor).
      const self = reader(state);
      if (!self) return state;
      return patchMessage(state, action.room, action.id, (m) => ({ ...m, reactions: toggleReaction(m, action.emoji, self).reactions }));
    }
    case "older-loading":
      return updateView(state, action.room, (view) => ({ ...view, loadingOlder: action.loading }));
    case "history":
      return updateView(state, action.room, (view) => ({
        ...settle(view, action.messages),
        hasMore: action.hasMore ?? view.hasMore,
        loadingOlder: action.hasMore === undefined ? view.loadingOlder : false,
      }));
    case "around":
      return updateView(state, action.room, (view) => around(view, action.messages, action.hasMore, action.hasNewer));
    case "newer-loading":
      return updateView(state, action.room, (view) => ({ ...view, loadingNewer: action.loading }));
    case "newer":
      return updateView(state, action.room, (view) => newer(view, action.messages, action.hasNewer));
    case "gap-missed":
      return updateView(state, action.room, (view) => missed(view, action.after, action.retryAt));
    case "gap-loading":
      return updateView(state, action.room, (view) => (view.gapMissed ? { ...view, gapMissed: { ...view.gapMissed, loading: action.loading } } : view));
    case "gap-filled":
      return updateView(state, action.room, (view) =>
        view.gapMissed && view.gapAfter === action.after ? { ...view, gapAfter: undefined, gapMissed: undefined } : view);
    case "outbox-add":
      return updateView(state, action.message.room, (view) => ({
        ...view, outbox: [...view.outbox, action.message],
      }));
    case "outbox-update":
      return updateView(state, action.room, (view) => ({
        ...view,
        outbox: view.outbox.map((o) =>
          o.clientId === action.clientId ? { ...o, status: action.status, error: action.error } : o),
      }));
    case "outbox-remove":
      return updateView(state, action.room, (view) => ({
        ...view, outbox: view.outbox.filter((o) => o.clientId !== action.clientId),
      }));
    case "presence": {
      const { room, online, members } = action.event;
      const next = updateView(state, room, (view) => ({ ...view, members }));
      return { ...next, rooms: next.rooms.map((r) => (r.name === room ? { ...r, online } : r)) };
    }
    case "presence-change": {
      // `user-joined` / `user-left` between two `presence` lists (a large room's come seconds apart):
      // a public room lists who is online, a private room or DM every member with a flag.
      const isPublic = (state.rooms.find((r) => r.name === action.room)?.kind ?? "public") === "public";
      const next = updateView(state, action.room, (view) => {
        const others = view.members.filter((m) => m.name !== action.name);
        const known = others.length !== view.members.length;
        if (isPublic && action.online) return known ? view : { ...view, members: [...others, { name: action.name, online: true, ...(action.bot ? { bot: true as const } : {}) }] };
        if (isPublic) return known ? { ...view, members: others } : view;
        if (!known) return view;
        return { ...view, members: view.members.map((m) => (m.name === action.name ? { ...m, online: action.online } : m)) };
      });
      const view = own(next.roomViews, action.room);
      if (next === state || !view) return next;
      const online = view.members.filter((m) => m.online).length;
      return { ...next, rooms: next.rooms.map((r) => (r.name === action.room ? { ...r, online } : r)) };
    }
    case "room-activity": {
      if (action.room === state.currentRoom) return state;
      // One's own message (sent from another room once its files were up, from another tab or device)
      // is never news: storing it moved one's read marker to it, as a `room-read` would say.
      // Live: written just now, so by whoever has the name now.
      if (isOwnMessage({ author: action.author }, reader(state))) return readOwn(state, action.room, action.lastSeq, action.lastMessageId);
      // Only messages past both the last one counted and the last one known read are news: a
      // `room-read` relayed by another instance may have come before this activity.
      const read = own(state.readSeqs ?? {}, action.room) ?? 0;
      return mapRoom(state, action.room, (r) => ({
        ...r,
        unread: r.unread + Math.max(0, action.lastSeq - Math.max(r.lastSeq, read)),
        lastSeq: Math.max(r.lastSeq, action.lastSeq),
        lastMessageId: action.lastMessageId,
      }));
    }
    case "room-mention":
      // The open room is being read: its mentions are not waiting for anyone.
      if (action.room === state.currentRoom) return state;
      // A public room never opened (listed with no read marker; opening one gives it one) hears no
      // room-activity: what notified the reader there is its unread too, as list-rooms counts it.
      return mapRoom(state, action.room, (r) => ({ ...r, mentions: (r.mentions ?? 0) + 1, ...(r.readSeq === undefined ? { unread: r.unread + 1 } : {}) }));
    case "room-read": {
      // A read heard late (relayed by another instance) moves nothing back.
      const next = readUpTo(state, action.room, action.readSeq);
      const readSeq = own(next.readSeqs ?? {}, action.room) ?? action.readSeq;
      return {
        // Read to the end: nothing of it waits, mentions included (a partial read keeps them until the next list,
        // and counts messages deleted past the marker until then too).
        ...mapRoom(next, action.room, (r) => ({
          ...r,
          readSeq: Math.max(readSeqOf(r), readSeq),
          unread: Math.max(0, r.lastSeq - readSeq),
          ...(readSeq >= r.lastSeq ? { mentions: 0 } : {}),
        })),
        unread: { ...state.unread, [action.room]: 0 },
      };
    }
    case "typing": {
      const forRoom = { ...own(state.typing, action.room), [action.author]: action.until };
      return { ...state, typing: { ...state.typing, [action.room]: forRoom } };
    }
    case "typing-expire":
      return expireTyping(state, action.now);
    default:
      // The core actions, handled above (coreChatReducer).
      return state;
  }
}

/**
 * A page around a message that was not held (`history { around }`), oldest first: it joins the newest
 * messages held (those after any earlier hole: a page opened before is dropped) when it reaches them or
 * nothing newer exists; otherwise a hole stays after its newest message (`gapAfter`). The oldest end is
 * now the page's, with its `hasMore`.
 */
export function around(view: RoomView, page: Message[], hasMore: boolean, hasNewer: boolean): RoomView {
  const gap = view.gapAfter;
  const recent = gap ? view.messages.filter((m) => compareIds(m.id, gap) > 0) : view.messages;
  const newest = page.at(-1)?.id;
  const first = recent[0]?.id;
  const joins = !hasNewer || !newest || (first !== undefined && compareIds(newest, first) >= 0);
  const next = settle({ ...view, messages: recent }, page);
  return { ...next, hasMore: page.length > 0 ? hasMore : view.hasMore, gapAfter: joins ? undefined : newest, gapMissed: undefined, loadingNewer: false };
}

/**
 * The messages after `after` (the last one held before them) up to the next one held could not be
 * fetched: the hole is marked there (`gapMissed`), with the server's `retryAt` if it gave one. The view
 * has one hole: a hole opened by a page far back (see `around`) is given up for it, with that page and
 * everything older (reached again with "Load older", which pages back without a hole). Nothing is marked
 * when no message at or before `after` is left on screen: the hole is then past the oldest one shown,
 * where loading older messages fetches it.
 */
export function missed(view: RoomView, after: string, retryAt: number | undefined): RoomView {
  const far = !view.gapMissed ? view.gapAfter : undefined;
  const kept = far ? view.messages.filter((m) => compareIds(m.id, far) > 0) : view.messages;
  const base: RoomView = far ? { ...view, messages: kept, hasMore: true, gapAfter: undefined, loadingNewer: false } : view;
  if (!kept.some((m) => compareIds(m.id, after) <= 0)) return base.gapMissed ? { ...base, gapAfter: undefined, gapMissed: undefined } : base;
  return { ...base, gapAfter: after, gapMissed: { ...(retryAt !== undefined ? { retryAt } : {}) } };
}

/**
 * Newer messages for the hole (a page `around` its lower edge, oldest first): the hole closes when the
 * page reaches the next message held or nothing newer exists, else moves up to the page's newest.
 */
export function newer(view: RoomView, page: Message[], hasNewer: boolean): RoomView {
  const gap = view.gapAfter;
  const merged = settle(view, page);
  if (!gap) return { ...merged, loadingNewer: false };
  const next = view.messages.find((m) => compareIds(m.id, gap) > 0)?.id;
  const newest = page.at(-1)?.id;
  const advanced = newest !== undefined && compareIds(newest, gap) > 0;
  const closes = !hasNewer || !advanced || (next !== undefined && compareIds(newest, next) >= 0);
  return { ...merged, gapAfter: closes ? undefined : newest, loadingNewer: false };
}

function mapRoom(state: ChatState, room: string, change: (r: RoomSummary) => RoomSummary): ChatState {
  return { ...state, rooms: state.rooms.map((r) => (r.name === room ? change(r) : r)) };
}

/**
 * The reader's own message `seq` was stored in `room`, which this tab is not in: the server moved their
 * read marker to it (never back), so the room has unread only what came after it, possibly delivered
 * first (with several instances, seq n+1 can come before n). Read to its end, nothing of it waits:
 * mentions and this tab's own count included, as with `room-read`.
 */
function readOwn(state: ChatState, room: string, seq: number, messageId: string): ChatState {
  let toEnd = false;
  const next = mapRoom(readUpTo(state, room, seq), room, (r) => {
    const lastSeq = Math.max(r.lastSeq, seq);
    const readSeq = Math.max(readSeqOf(r), seq);
    // Deleted messages past the marker are left out of r.unread: what is past the new marker is at most that.
    const unread = Math.min(Math.max(0, lastSeq - readSeq), r.unread + Math.max(0, lastSeq - r.lastSeq));
    toEnd = unread === 0;
    return { ...r, unread, readSeq, lastSeq, lastMessageId: seq >= r.lastSeq ? messageId : r.lastMessageId, ...(toEnd ? { mentions: 0 } : {}) };
  });
  return toEnd ? { ...next, unread: { ...next.unread, [room]: 0 } } : next;
}

/**
 * A message deleted in a room the user is not reading: when it was one of the room's unread (past the
 * read marker, up to the newest counted) and the list's counts do not reflect it yet (its `changeSeq` is
 * past the room's `lastChange`, which it then becomes: a deletion heard twice, replayed or relayed,
 * counts once), it comes off the unread count. Without a `changeSeq` nothing is known: the next list
 * corrects the count. One's own messages are never unread (storing one moved the marker past it).
 */
function uncountDeleted(state: ChatState, action: { room: string; seq?: number; changeSeq?: number }): ChatState {
  const { room, seq, changeSeq } = action;
  if (room === state.currentRoom || seq === undefined || changeSeq === undefined) return state;
  return mapRoom(state, room, (r) => {
    if (r.lastChange === undefined || changeSeq <= r.lastChange) return r;
    const readSeq = Math.max(readSeqOf(r), own(state.readSeqs ?? {}, room) ?? 0);
    const counted = seq > readSeq && seq <= r.lastSeq && r.unread > 0;
    return { ...r, lastChange: changeSeq, readSeq, ...(counted ? { unread: r.unread - 1 } : {}) };
  });
}

/** Remembers that `room` was read up to `seq` at least (ChatState.readSeqs; never back). */
function readUpTo(state: ChatState, room: string, seq: number): ChatState {
  const readSeqs = state.readSeqs ?? {};
  if ((own(readSeqs, room) ?? 0) >= seq) return state;
  return { ...state, readSeqs: setOwn({ ...readSeqs }, room, seq) };
}

/** Drops `author`'s "is typing" hint in `room` (unchanged state when there is none). */
function stopTyping(state: ChatState, room: string, author: string): ChatState {
  const forRoom = own(state.typing, room);
  if (!forRoom || !Object.hasOwn(forRoom, author)) return state;
  const { [author]: _gone, ...rest } = forRoom;
  const typing = { ...state.typing };
  if (Object.keys(rest).length) setOwn(typing, room, rest);
  else delete typing[room];
  return { ...state, typing };
}

function expireTyping(state: ChatState, now: number): ChatState {
  let changed = false;
  const typing: ChatState["typing"] = {};
  for (const [room, authors] of Object.entries(state.typing)) {
    const live = Object.entries(authors).filter(([, until]) => until > now);
    if (live.length !== Object.keys(authors).length) changed = true;
    if (live.length) setOwn(typing, room, Object.fromEntries(live));
  }
  return changed ? { ...state, typing } : state;
}

registerLiveReducer(chatReducer);
