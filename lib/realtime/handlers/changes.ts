import { route, type Route } from "../handle";
import { changesSchema, deleteSchema, editSchema, reactSchema, threadHistorySchema } from "../schemas";

/** Edit, delete, react, threads: one domain call each; delivery follows the domain's `changed` event. */
export const changeRoutes: Route[] = [
  route("edit-message", editSchema, async ({ chat, user }, p) => ({
    message: await chat.editMessage(user, { room: p.room, id: p.id, text: p.message }),
  })),

  route("delete-message", deleteSchema, async ({ chat, user }, p) => {
    await chat.deleteMessage(user, p);
    return {};
  }),

  route("react", reactSchema, async ({ chat, user }, p) => ({ reactions: (await chat.react(user, p)).reactions ?? [] })),

  route("changes", changesSchema, ({ chat, user }, p) => chat.changes(user, p)),

  route("thread-history", threadHistorySchema, ({ chat, user }, p) => chat.threadHistory(user, p)),
];
