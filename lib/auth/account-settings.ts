import type { Queryable } from "../db";
import { AppError } from "../errors";
import { nameKey, normalizeDisplayName } from "../chat/names";
import type { User } from "../chat/users";
import { checkPassword, hashPassword, verifyPassword } from "./secrets";
import { endOtherSessions } from "./sessions";
import type { PasswordChange } from "../http/schemas";

/**
 * Changes an account's password after checking the current one (`unauthorized` when it is wrong, or
 * longer than 1,024 characters, which no password can be; the new one follows the sign-up rule,
 * `bad_request` otherwise). Every other session of the account ends: whoever knew the old password is
 * signed out. Returns the ended sessions' ids.
 */
export async function changePassword(db: Queryable, user: User, input: PasswordChange & { keepSession?: string }): Promise<string[]> {
  if (user.kind !== "user") throw new AppError("forbidden", "only accounts have a password");
  const next = checkPassword(input.password);
  const [row] = await db.query<{ password_hash: string | null }>("select password_hash from users where id = $1", [user.id]);
  const ok = input.current.length <= 1024 && !!row?.password_hash && (await verifyPassword(row.password_hash, input.current));
  if (!ok) throw new AppError("unauthorized", "the current password is wrong");
  await db.query("update users set password_hash = $2 where id = $1", [user.id, await hashPassword(next)]);
  return endOtherSessions(db, user.id, input.keepSession);
}

/**
 * Renames an account: the name follows the display-name rules (lib/text, `bad_request`), and a name
 * taken by anyone — or one that looks the same (UTS #39 skeleton key) — is `conflict`. Messages keep the
 * name they were written under. Returns the stored name; the caller closes the account's live
 * connections so they reconnect under the new one.
 */
export async function renameAccount(db: Queryable, user: User, rawName: string): Promise<string> {
  if (user.kind !== "user") throw new AppError("forbidden", "only accounts can change their name");
  const name = normalizeDisplayName(rawName);
  const rows = await db.query<{ name: string }>(
    `update users set name = $2, name_key = $3
      where id = $1 and not exists (select 1 from users o where o.name_key = $3 and o.id <> $1)
      returning name`,
    [user.id, name, nameKey(name)],
  ).catch((err: { code?: string }) => {
    // Two renames to look-alike names at once: the unique index decides.
    if (err.code === "23505") return [];
    throw err;
  });
  if (rows.length === 0) throw new AppError("conflict", "that name, or one that looks the same, is already taken");
  return rows[0].name;
}
