import { limitKeyOf, takeRoomCreation } from "../../limits";
import { notAMember, type Room } from "../../chat/rooms";
import type { Roster } from "../../chat/messages";
import { route, type Route } from "../handle";
import { createRoomSchema, noPayload, roomName } from "../schemas";
import { findJoined, keepRejoinHint, roomKey, userKey, watchKey, type ConnectionContext } from "../context";

/**
 * Whether the user's next `user-joined` / `user-left` may go out (the `join-announcements` row): past it
 * the join or leave happens unannounced, never refused.
 */
const mayAnnounce = ({ limits, user }: Pick<ConnectionContext, "limits" | "user">) =>
  limits.take("join-announcements", limitKeyOf(user)).then(
    () => true,
    () => false,
  );

/**
 * Puts the connection in a room: Socket.IO room, presence, and the seed's join announcement. It leaves
 * the room's watch list meanwhile: it gets every message, so `room-activity` would tell it nothing (and
 * the broadcast then needs no `except`, which would walk the whole room for every message). `roster`:
 * the members of a private room or DM as the join just read them (see Chat.members).
 *
 * Returns false, with the connection left out of the room, when the user was removed from the room
 * after `since` (ctx.revocations.mark(), taken by the caller before it read the membership: join-room's
 * page, a resumed connection's rooms). `remove-member` takes the user's connections out of the room
 * only after its removal committed: a removal that committed after that read and was announced before
 * this join found nothing to take out, and the connection would have kept the room's messages (and
 * `history`, posting and reacting through the joined room) until it left. One announced before the mark
 * was seen by the read; one announced after this join finds the connection in the room and takes it
 * out; one in between is in the revocation log, checked here once the connection is in the room.
 */
export async function enter(ctx: ConnectionContext, room: Room, since: number, roster?: Roster): Promise<boolean> {
  const { socket, presence, user, joined } = ctx;
  if (joined.has(room.id)) return true;
  joined.set(room.id, room);
  keepRejoinHint(ctx);
  await socket.join(roomKey(room.id));
  await socket.leave(watchKey(room.id));
  if (room.kind !== "public" && ctx.revocations.roomsLeftSince(since, user.id).includes(room.id)) {
    joined.delete(room.id);
    keepRejoinHint(ctx);
    await socket.leave(roomKey(room.id));
    return false;
  }
  if (await presence.add(room.id, user)) {
    const info = { room: room.name, name: user.name, ...(user.kind === "bot" ? { bot: true as const } : {}) };
    if (await mayAnnounce(ctx)) socket.to(roomKey(room.id)).emit("user-joined", `${user.name} has joined the room.`, info);
    await announcePresence(ctx, room, roster);
  }
  return true;
}

/**
 * Takes the connection out of a room; announces the departure when the user's last tab left. With
 * `watch`, the connection (still a member) goes back to the room's watch list for unread counts.
 */
export async function exit(ctx: ConnectionContext, room: Room, opts: { watch?: boolean } = {}) {
  const { socket, presence, user, joined } = ctx;
  const since = ctx.revocations.mark();
  if (!joined.delete(room.id)) return;
  keepRejoinHint(ctx);
  await socket.leave(roomKey(room.id));
  if (opts.watch) {
    await socket.join(watchKey(room.id));
    // Removed from the room while this was under way (heard here after `since`): not a member to watch it.
    // (A removal heard later takes the watch away itself: see the `member-removed` subscriber.)
    if (room.kind !== "public" && ctx.revocations.roomsLeftSince(since, user.id).includes(room.id)) await socket.leave(watchKey(room.id));
  }
  if (await presence.remove(room.id, user.id)) {
    if (await mayAnnounce(ctx)) ctx.io.to(roomKey(room.id)).emit("user-left", `${user.name} has left the room.`, { room: room.name, name: user.name });
    await announcePresence(ctx, room);
  }
}

/**
 * Tells everyone in the room who is there now (`presence`), throttled per room (see
 * createPresenceAnnouncer); `roster` as for enter().
 */
export function announcePresence({ announcer }: Pick<ConnectionContext, "announcer">, room: Room, roster?: Roster) {
  return announcer.announce(room, roster);
}

/**
 * Announces users who left a room (`user-left`) or came back to it (`user-joined`) without a connection
 * of theirs saying so: their instance died, or came back after being taken for dead. Then `presence`.
 */
export async function announceUsers(
  deps: Pick<ConnectionContext, "io" | "announcer">,
  room: Room,
  users: { name: string }[],
  event: "user-left" | "user-joined",
) {
  const verb = event === "user-left" ? "left" : "joined";
  for (const { name } of users) deps.io.to(roomKey(room.id)).emit(event, `${name} has ${verb} the room.`, { room: room.name, name });
  await announcePresence(deps, room);
}

export const roomRoutes: Route[] = [
  route("join-room", roomName, async (ctx, name) => {
    const { chat, user } = ctx;
    // Creating a room by joining an unknown name costs what create-room costs (its minute's and its day's rows).
    // One database round trip: the room, membership, history page, read marker and roster together.
    const since = ctx.revocations.mark();
    const { room, messages, hasMore, readSeq, readBefore, moved, roster, lastChange } = await chat.enterRoom(user, name, () => takeRoomCreation(ctx.limits, user));
    // Removed from a private room while this join read it: answered as any non-member is.
    if (!(await enter(ctx, room, since, roster))) throw notAMember();
    // Only news goes to the user's connections: a join that read nothing new (the marker stayed) tells
    // them nothing, and a user with many tabs joining an idle room would otherwise cost tabs² frames.
    if (moved) ctx.io.to(userKey(user.id)).emit("room-read", { room: room.name, readSeq });
    const summary = await chat.summary(room, user, roster, messages.at(-1));
    // The list in this acknowledgement is the room's presence as it is now: until the next change,
    // `presence` announcements (owed to the end of a window) skip this connection.
    const listed = ctx.announcer.listing(room.id);
    const members = await chat.members(room, roster);
    listed(ctx.socket.id);
    return { room: summary, messages, members, hasMore, readSeq, readBefore, lastChange };
  }, { heavy: true, limit: "message-pages" }),

  route("leave-room", roomName, async (ctx, name) => {
    const room = findJoined(ctx, name);
    if (room) await exit(ctx, room, { watch: true });
    return {};
  }),

  // A name no new room may take costs no point of the creation limits: they are taken once it passed.
  route("create-room", createRoomSchema, async ({ chat, user, limits }, input) => ({
    room: await chat.createRoom(user, input, () => takeRoomCreation(limits, user)),
  })),

  route("list-rooms", noPayload, async ({ chat, user }) => ({ rooms: await chat.listRooms(user) }), { limit: "room-lists" }),
];
