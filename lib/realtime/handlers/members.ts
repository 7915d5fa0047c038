import { route, type Route } from "../handle";
import { memberSchema, openDmSchema } from "../schemas";
import { roomKey, userKey, watchKey } from "../context";
import { announcePresence } from "./rooms";

export const memberRoutes: Route[] = [
  route("add-member", memberSchema, async (ctx, p) => {
    const { io, chat, user } = ctx;
    const { room, target, added } = await chat.addMember(user, { room: p.room, name: p.name });
    // The caller's member list shows the account at once: whether it is a bot, as the list marks them.
    const answer = target.kind === "bot" ? { bot: true as const } : {};
    // Already a member: nothing changed, nothing to tell anyone.
    if (!added) return answer;
    io.in(userKey(target.id)).socketsJoin(watchKey(room.id));
    io.to(userKey(target.id)).emit("rooms-changed");
    await announcePresence(ctx, room);
    return answer;
  }, { limit: "add-member" }),

  route("remove-member", memberSchema, async (ctx, p) => {
    const { io, chat, user, bus } = ctx;
    // Heard here before the removal commits (other instances hear it from the bus): a join of theirs
    // already past its read of the membership, waiting behind the deletion, is refused (see enter()).
    const { room, target, removed, left } = await chat.removeMember(
      user,
      { room: p.room, name: p.name },
      { beforeCommit: (r, t) => ctx.revocations.record({ userId: t.id, roomId: r.id }) },
    );
    // Not a member: nothing changed, nothing to tell anyone (nor to make their pages fetch their rooms
    // again). Leaving a public room always changes their list (`left`), and whatever a connection of
    // theirs still holds of it goes as for a removal.
    if (!removed && !left) return {};
    // And again now it has committed, for a join that read the membership after the first record (a
    // public room left is anyone's to join again: no join of it is refused).
    if (!left) ctx.revocations.record({ userId: target.id, roomId: room.id });
    // Deliveries stop at once: out of the Socket.IO room everywhere; every instance (this one at once)
    // then takes the user's connections out of the room's presence and announces the departure.
    io.in(userKey(target.id)).socketsLeave([roomKey(room.id), watchKey(room.id)]);
    await bus.publish({ type: "member-removed", roomId: room.id, userId: target.id });
    io.to(userKey(target.id)).emit("rooms-changed");
    // Leaving dropped a level of `all` (chat.removeMember): the notifier's cache of who follows every
    // message, and the person's pages that show the level, hear of it.
    if (left) await bus.publish({ type: "levels-changed", roomId: room.id, userId: target.id });
    if (removed) await announcePresence(ctx, room);
    return {};
  }, { limit: "remove-member" }),

  route("open-dm", openDmSchema, async (ctx, p) => {
    const { io, chat, user } = ctx;
    const { room, summary, target, targetAdded } = await chat.openDm(user, p.name);
    io.in([userKey(user.id), userKey(target.id)]).socketsJoin(watchKey(room.id));
    // Their list changes once, when the DM is new to them; opening it again tells them nothing.
    if (targetAdded) io.to(userKey(target.id)).emit("rooms-changed");
    return { room: summary };
  }, { limit: "open-dm" }),
];
