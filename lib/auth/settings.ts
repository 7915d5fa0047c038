import type { Queryable } from "../db";

/**
 * Small server-wide settings (join code, guest switch, VAPID keys): the `settings` table's one home.
 * `getSetting`: the value of `key`, or null.
 */
export async function getSetting(db: Queryable, key: string): Promise<string | null> {
  const [row] = await db.query<{ value: string }>("select value from settings where key = $1", [key]);
  return row?.value ?? null;
}

/** Stores `value` under `key`, replacing what was there. */
export async function setSetting(db: Queryable, key: string, value: string): Promise<void> {
  await db.query("insert into settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value", [key, value]);
}

/** Stores `value` under `key` unless `key` has a value already (the first of racing writers wins). */
export async function setSettingOnce(db: Queryable, key: string, value: string): Promise<void> {
  await db.query("insert into settings (key, value) values ($1, $2) on conflict (key) do nothing", [key, value]);
}
