import { handle } from "../handle";
import { memberSchema, openDmSchema } from "../schemas";
import { roomKey, userKey, watchKey, type ConnectionContext } from "../context";
import { announcePresence, exit } from "./rooms";

export function registerMemberHandlers(ctx: ConnectionContext) {
  const { io, socket, log, chat, user, connections } = ctx;

  handle(socket, log, "add-member", memberSchema, async (p) => {
    const { room, target } = await chat.addMember(user, { room: p.room, name: p.name });
    io.in(userKey(target.id)).socketsJoin(watchKey(room.id));
    io.to(userKey(target.id)).emit("rooms-changed");
    await announcePresence(ctx, room);
    return {};
  });

  handle(socket, log, "remove-member", memberSchema, async (p) => {
    const { room, target } = await chat.removeMember(user, { room: p.room, name: p.name });
    // Deliveries stop at once: out of the Socket.IO room everywhere, out of presence here.
    io.in(userKey(target.id)).socketsLeave([roomKey(room.id), watchKey(room.id)]);
    for (const other of connections.get(target.id) ?? []) await exit(other, room);
    io.to(userKey(target.id)).emit("rooms-changed");
    await announcePresence(ctx, room);
    return {};
  });

  handle(socket, log, "open-dm", openDmSchema, async (p) => {
    const { room, summary, target } = await chat.openDm(user, p.name);
    io.in([userKey(user.id), userKey(target.id)]).socketsJoin(watchKey(room.id));
    io.to(userKey(target.id)).emit("rooms-changed");
    return { room: summary };
  });
}
