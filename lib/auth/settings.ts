import type { Queryable } from "../db";

/** Small server-wide settings changed at run time by admins (join code, guest switch). */
export async function getSetting(db: Queryable, key: string): Promise<string | null> {
  const [row] = await db.query<{ value: string }>("select value from settings where key = $1", [key]);
  return row?.value ?? null;
}

export async function setSetting(db: Queryable, key: string, value: string): Promise<void> {
  await db.query("insert into settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value", [key, value]);
}
