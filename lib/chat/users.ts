import type { Queryable } from "../db";
import { AppError } from "../errors";
import { nameKey, normalizeDisplayName } from "./names";

export type UserKind = "guest" | "user" | "bot";

/** A person or bot as the domain sees it. Ids are strings (PostgreSQL bigint). */
export type User = { id: string; name: string; kind: UserKind; admin: boolean; deactivated: boolean };

type UserRow = { id: string; name: string; kind: UserKind; is_admin: boolean; deactivated_at: Date | null };
const COLUMNS = "id::text as id, name, kind, is_admin, deactivated_at";

export const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  admin: r.is_admin,
  deactivated: r.deactivated_at !== null,
});

export async function findUserByName(db: Queryable, name: string): Promise<User | null> {
  const [row] = await db.query<UserRow>(`select ${COLUMNS} from users where name_key = $1`, [nameKey(name)]);
  return row ? toUser(row) : null;
}

export async function findUserById(db: Queryable, id: string): Promise<User | null> {
  const [row] = await db.query<UserRow>(`select ${COLUMNS} from users where id = $1`, [id]);
  return row ? toUser(row) : null;
}

/**
 * The guest user for a display name, created on first use. A name that belongs to an account or a bot
 * is refused: a guest must never speak as someone else.
 */
export async function ensureGuest(db: Queryable, rawName: unknown): Promise<User> {
  const name = normalizeDisplayName(rawName);
  const [row] = await db.query<UserRow>(
    `insert into users (name, name_key, kind) values ($1, $2, 'guest')
     on conflict (name_key) do update set name_key = excluded.name_key
     returning ${COLUMNS}`,
    [name, nameKey(name)],
  );
  return guestOf(row);
}

/**
 * The guest in a row that ensureGuest's upsert returned; refuses a name that belongs to an account or a
 * bot (`conflict`) and a banned guest (`forbidden`).
 */
export function guestOf(row: UserRow): User {
  const user = toUser(row);
  if (user.kind !== "guest") throw new AppError("conflict", "name is already taken by an account");
  if (user.deactivated) throw new AppError("forbidden", "this name is banned");
  return user;
}

/** True once at least one account (not a guest) exists. */
export async function hasAccounts(db: Queryable): Promise<boolean> {
  const rows = await db.query("select 1 from users where kind = 'user' limit 1");
  return rows.length > 0;
}
