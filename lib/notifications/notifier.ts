import type { Database } from "../db";
import type { EventBus } from "../events/bus";
import type { Logger } from "../log";
import { nameKey } from "../chat/names";
import type { PresenceStore } from "../chat/presence";
import type { Room } from "../chat/rooms";
import type { Message } from "../chat/types";
import type { User } from "../chat/users";
import { findMentions } from "./mentions";
import { isolate, truncateChars } from "../text/unicode";
import { storeNotifications, type NewNotification } from "./store";

/** At most 200 code points (lib/text's counting rule: a cut never splits a surrogate pair). */
const preview = (text: string) => truncateChars(text, 200);

/** Decides who is notified of what, stores it, and publishes it on the bus for the SSE streams. */
export function createNotifier(deps: { db: Database; bus: EventBus; presence: PresenceStore; log: Logger }) {
  const { db, bus } = deps;

  async function send(userIds: string[], n: NewNotification) {
    if (userIds.length === 0) return;
    const stored = await storeNotifications(db, userIds, n);
    await Promise.all(stored.map(({ userId, notification }) => bus.publish({ type: "notification", userId, notification })));
  }

  /** Accounts named by `keys` (mentions) who may read `room`, excluding `except`. */
  async function mentionedReaders(room: Room, keys: string[], except: Set<string>): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = await db.query<{ id: string }>(
      `select u.id::text as id from users u
        where u.name_key = any($1::text[]) and u.kind = 'user' and u.deactivated_at is null
          and ($2 = 'public' or exists (select 1 from memberships m where m.room_id = $3 and m.user_id = u.id))`,
      [keys, room.kind, room.id],
    );
    return rows.map((r) => r.id).filter((id) => !except.has(id));
  }

  return {
    /** After a message is stored: a DM to a recipient not viewing it, and @mentions. */
    async messagePosted(room: Room, message: Message, author: User) {
      const keys = findMentions(message.text).map(nameKey);
      // The common case, a message in a room that mentions no one, costs nothing more.
      if (room.kind !== "dm" && keys.length === 0) return;
      const skip = new Set([author.id]);
      if (room.kind === "dm") {
        const viewing = new Set((await deps.presence.online(room.id)).map((u) => u.id));
        const others = await db.query<{ id: string }>(
          "select user_id::text as id from memberships where room_id = $1 and user_id <> $2",
          [room.id, author.id],
        );
        const away = others.map((r) => r.id).filter((id) => !viewing.has(id));
        others.forEach((r) => skip.add(r.id));
        await send(away, { type: "dm", message: preview(message.text), room: room.name, roomTitle: author.name, from: author.name });
      }
      const mentioned = await mentionedReaders(room, keys, skip);
      await send(mentioned, { type: "mention", message: preview(message.text), room: room.name, from: author.name });
    },

    /** Someone was added to a private room. */
    invited: (room: Room, target: User, by: User) =>
      send([target.id], { type: "invite", message: `${isolate(by.name)} added you to ${isolate(room.name)}`, room: room.name, from: by.name }),

    /** An admin announcement to every active account. */
    async announce(text: string, by: User) {
      const rows = await db.query<{ id: string }>("select id::text as id from users where kind = 'user' and deactivated_at is null");
      await send(rows.map((r) => r.id), { type: "system", message: preview(text), from: by.name });
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
