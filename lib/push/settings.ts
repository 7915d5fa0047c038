import { z } from "zod";
import type { Queryable } from "../db";
import { object } from "../validation";

/**
 * A person's push settings, and the body of `PUT /api/push/settings`: every field, each a boolean (the
 * shape a client reads back). `whenHidden`: push also while they are connected, as long as every one of
 * their connections reports a hidden tab (default false: only when no connection is live).
 */
export const pushSettingsSchema = object({ whenHidden: z.boolean({ error: "whenHidden must be a boolean" }) });
export type PushSettings = z.infer<typeof pushSettingsSchema>;

/** `userId`'s push settings (the defaults when they never chose). */
export async function getPushSettings(db: Queryable, userId: string): Promise<PushSettings> {
  const [row] = await db.query<{ when_hidden: boolean }>("select when_hidden from push_settings where user_id = $1", [userId]);
  return { whenHidden: row?.when_hidden === true };
}

/** Stores `userId`'s push settings; returns them as stored. */
export async function savePushSettings(db: Queryable, userId: string, settings: PushSettings): Promise<PushSettings> {
  await db.query(
    `insert into push_settings (user_id, when_hidden) values ($1, $2)
     on conflict (user_id) do update set when_hidden = excluded.when_hidden`,
    [userId, settings.whenHidden],
  );
  return getPushSettings(db, userId);
}

/** Those of `userIds` who chose to be pushed while every tab of theirs is hidden (one index probe each). */
export async function pushWhenHidden(db: Queryable, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db.query<{ id: string }>("select user_id::text as id from push_settings where user_id = any($1::bigint[]) and when_hidden", [userIds]);
  return rows.map((r) => r.id);
}
