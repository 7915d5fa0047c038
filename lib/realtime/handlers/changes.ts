import { joinedRoom } from "../context";
import { route, type Route } from "../handle";
import { changesSchema, deleteSchema, editSchema, reactSchema, threadHistorySchema } from "../schemas";

/** Edit, delete, react, threads: one domain call each; delivery follows the domain's `changed` event. */
export const changeRoutes: Route[] = [
  route("edit-message", editSchema, async ({ chat, user }, p) => ({
    message: await chat.editMessage(user, { room: p.room, id: p.id, text: p.message }),
  }), { limit: "changes" }),

  route("delete-message", deleteSchema, async ({ chat, user }, p) => {
    await chat.deleteMessage(user, p);
    return {};
  }, { limit: "changes" }),

  // The ack also says where the change stands in the room's change order (changeSeq, as the event does)
  // and what the toggle did (added or taken away).
  route("react", reactSchema, async (ctx, p) => {
    const joined = joinedRoom(ctx, p.room);
    const { message, change } = joined ? await ctx.chat.reactInJoined(ctx.user, joined, p) : await ctx.chat.react(ctx.user, p);
    return { reactions: message.reactions ?? [], changeId: message.changeId ?? "", changeSeq: message.changeSeq ?? 0, toggle: change.reaction };
  }, { limit: "changes" }),

  route("changes", changesSchema, ({ chat, user }, p) => chat.changes(user, p), { heavy: true, limit: "message-pages" }),

  route("thread-history", threadHistorySchema, ({ chat, user }, p) => chat.threadHistory(user, p), { heavy: true, limit: "message-pages" }),
];
