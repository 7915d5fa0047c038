import type { RevocationLog } from "./revocations";
import { canonicalName } from "../text/rules";
import type { Server, Socket } from "socket.io";
import type { Chat } from "../chat/chat";
import type { EventBus } from "../events/bus";
import type { RejoinStore } from "../cluster/rejoin-store";
import type { PresenceStore } from "../chat/presence";
import type { Room } from "../chat/rooms";
import type { Message } from "../chat/types";
import type { PresenceAnnouncer } from "./presence-announcer";
import type { User } from "../chat/users";
import type { Limits } from "../limits";
import type { Logger } from "../log";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "./events";

export type IO = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const ROOM_PREFIX = "room:";
/** The Socket.IO room that carries a chat room's broadcasts (by id: names are user input). */
export const roomKey = (roomId: string) => `${ROOM_PREFIX}${roomId}`;
/** The Socket.IO room holding every connection of one user. */
export const userKey = (userId: string) => `user:${userId}`;

/** The Socket.IO room holding every guest connection (closed when guest access goes off). */
export const GUESTS_KEY = "guests";

/** Every connection of every member of a room, joined or not: unread counts travel here. */
export const watchKey = (roomId: string) => `watch:${roomId}`;

/** The chat room id of a Socket.IO room key (`room:<id>` or `watch:<id>`); undefined for any other key. */
export function roomIdOfKey(key: string): string | undefined {
  const m = /^(?:room|watch):(\d+)$/.exec(key);
  return m?.[1];
}

/**
 * Delivers a stored message: the message to everyone in the room, and the new high-water mark to the
 * members' other connections (for their unread badges), with its author: storing a message moved its
 * author's read marker to it, so the author's own connections count it as read, not unread.
 */
export function broadcastMessage(io: IO, roomId: string, message: Message) {
  io.to(roomKey(roomId)).emit("receive-message", message);
  // Connections in the room are not on its watch list (see enter()).
  io.to(watchKey(roomId)).emit("room-activity", { room: message.room, lastSeq: message.seq, lastMessageId: message.id, author: message.author });
}

/** The room this connection joined under `name` (names compare in their stored form, `canonicalName`). */
export function findJoined(ctx: ConnectionContext, name: string): Room | undefined {
  const wanted = canonicalName(name);
  for (const room of ctx.joined.values()) if (room.name === wanted) return room;
  return undefined;
}

/** A room this connection joined and is still in (membership loss takes it out, on any instance). */
export function joinedRoom(ctx: ConnectionContext, name: string): Room | undefined {
  const room = findJoined(ctx, name);
  return room && ctx.socket.rooms.has(roomKey(room.id)) ? room : undefined;
}

/** The connection's Socket.IO private session id (what socket.io-client sends back on reconnection). */
export const privateIdOf = (socket: ChatSocket) => (socket as unknown as { pid?: string }).pid;

/** Connections whose rooms are to be written as a rejoin hint at the end of this turn (see keepRejoinHint). */
const hintDue = new WeakSet<ConnectionContext>();
/** Connections that have an open rejoin hint stored (dropped when they close for good). */
const hinted = new WeakSet<ConnectionContext>();

/**
 * Keeps the rooms of a live connection as its rejoin hint (`open`), when hints outlive this instance:
 * an instance that is killed sees no drop and can write nothing then, yet its clients come back (same
 * `pid`) through another instance, which puts them back in these rooms. Called whenever the connection's
 * rooms change; the changes of one turn are written once.
 */
export function keepRejoinHint(ctx: ConnectionContext): void {
  if (!ctx.rejoin.shared || hintDue.has(ctx) || !privateIdOf(ctx.socket)) return;
  hintDue.add(ctx);
  setImmediate(() => {
    hintDue.delete(ctx);
    const pid = privateIdOf(ctx.socket);
    if (!pid || !ctx.socket.connected) return;
    const rooms = [...ctx.joined.keys()];
    if (rooms.length > 0) hinted.add(ctx);
    else if (!hinted.delete(ctx)) return;
    const write = rooms.length > 0 ? ctx.rejoin.save(pid, { userId: ctx.user.id, rooms, since: ctx.socket.handshake.issued, open: true }) : ctx.rejoin.take(pid);
    write.catch((err: unknown) => ctx.log.warn({ err }, "could not remember rooms for rejoin"));
  });
}

/** Drops the open rejoin hint of a connection that closed for good (it will not come back by itself). */
export function dropRejoinHint(ctx: ConnectionContext): void {
  const pid = privateIdOf(ctx.socket);
  if (!pid || !hinted.delete(ctx)) return;
  ctx.rejoin.take(pid).catch((err: unknown) => ctx.log.warn({ err }, "could not drop a rejoin hint"));
}

/** The Socket.IO room holding every connection made with one sign-in session. */
export const sessionKey = (sessionId: string) => `session:${sessionId}`;

/** What every handler of one connection shares. */
export type ConnectionContext = {
  io: IO;
  socket: ChatSocket;
  log: Logger;
  chat: Chat;
  presence: PresenceStore;
  /** Sends `presence` to a room, at most once per short window per room. */
  announcer: PresenceAnnouncer;
  /** The cluster-wide event bus (membership changes other instances must act on). */
  bus: EventBus;
  /** Where a dropped connection's rooms are remembered (see rejoinRooms()). */
  rejoin: RejoinStore;
  /** The limiter table (routes declare which row they take from). */
  limits: Limits;
  /** Rights and memberships this instance heard taken away (see enter() and lib/realtime/revocations.ts). */
  revocations: RevocationLog;
  user: User;
  /** Chat rooms this connection has joined, by room id. */
  joined: Map<string, Room>;
  /** Every live connection on this instance, by user id. */
  connections: Map<string, Set<ConnectionContext>>;
  /** Set until the connection has caught up (replay, watch lists); events wait for it, in order. */
  ready?: Promise<void>;
  /** Events of this connection taken in and not yet answered (see createRouter: at most MAX_PENDING_EVENTS). */
  pending: number;
  /** Of those, requests answered with a page of messages (route()'s `heavy`: at most MAX_PENDING_PAGES). */
  pendingPages: number;
  /** Unknown events this connection sent so far (the first is logged, the count when it closes: see createRouter). */
  unknownEvents?: number;
  /** Metrics hooks (unset when metrics are off). */
  probes?: RealtimeProbes;
};

/** What the realtime layer tells metrics (lib/metrics); every call is O(1). */
export type RealtimeProbes = {
  /** A new message was broadcast to `recipients` connections of this instance. */
  delivered(recipients: number): void;
  /** A timed event (see route()'s `timed`) was acked `seconds` after its handling began. */
  acked(seconds: number): void;
  /** The connect throttle refused a handshake because its queue was full (see lib/admission.ts). */
  handshakeRefused(): void;
};

/**
 * This instance's chat rooms that have connections (`active`) and the connections' memberships summed,
 * read from the Socket.IO adapter's local room table: O(rooms of the adapter), for scrapes only.
 */
export function localRoomStats(io: IO): { active: number; memberships: number } {
  let active = 0;
  let memberships = 0;
  for (const [key, sockets] of io.of("/").adapter.rooms) {
    if (!key.startsWith(ROOM_PREFIX)) continue;
    active++;
    memberships += sockets.size;
  }
  return { active, memberships };
}

const CONTEXT = Symbol("hibiki.connection");

/** Ties a context to its socket, for the shared event listeners (see route()). */
export function attachContext(socket: ChatSocket, ctx: ConnectionContext): void {
  (socket as unknown as Record<symbol, ConnectionContext>)[CONTEXT] = ctx;
}

export function contextOf(socket: Socket<any, any, any, any>): ConnectionContext | undefined {
  return (socket as unknown as Record<symbol, ConnectionContext | undefined>)[CONTEXT];
}
