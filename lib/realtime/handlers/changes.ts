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

  // The ack also says where the change stands in the room's change order (changeSeq, as the event does).
  route("react", reactSchema, async ({ chat, user }, p) => {
    const message = await chat.react(user, p);
    return { reactions: message.reactions ?? [], changeId: message.changeId ?? "", changeSeq: message.changeSeq ?? 0 };
  }, { limit: "changes" }),

  route("changes", changesSchema, ({ chat, user }, p) => chat.changes(user, p)),

  route("thread-history", threadHistorySchema, ({ chat, user }, p) => chat.threadHistory(user, p)),
];
