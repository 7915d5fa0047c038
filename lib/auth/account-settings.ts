import type { Database, Queryable } from "../db";
import { AppError } from "../errors";
import { normalizeDisplayName } from "../chat/names";
import { NAME_HOLD_MS, passwordHashOf, renameUser, retireGuestName, setPasswordHash, type User } from "../chat/users";
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
  const stored = await passwordHashOf(db, user.id);
  const ok = input.current.length <= 1024 && !!stored && (await verifyPassword(stored, input.current));
  if (!ok) throw new AppError("unauthorized", "the current password is wrong", { reason: "wrong_password", field: "current" });
  await setPasswordHash(db, user.id, await hashPassword(next));
  return endOtherSessions(db, user.id, input.keepSession);
}

/**
 * Renames an account: the name follows the display-name rules (lib/text, `bad_request`), and a name
 * taken by an account or bot — or one that looks the same (UTS #39 skeleton key), or one another
 * account gave up less than `holdMs` ms ago (NAME_HOLD_SECONDS, see renameUser) — is `conflict`
 * (`name_taken`, the same answer for all three: a held name is not told apart). The name given up is
 * held for this account for `holdMs`; it may take it back meanwhile. A
 * guest who uses the name (or a look-alike) hands it over, as when an account is created with it
 * (retireGuestName): accounts outrank guests. Messages keep the name they were written under. Returns
 * the stored name and the retired guests' ids, in one transaction; the caller closes the account's live
 * connections so they reconnect under the new one, and the retired guests'.
 */
export async function renameAccount(
  db: Database,
  user: User,
  rawName: string,
  holdMs = NAME_HOLD_MS,
): Promise<{ name: string; retiredGuestIds: string[] }> {
  if (user.kind !== "user") throw new AppError("forbidden", "only accounts can change their name");
  const name = normalizeDisplayName(rawName);
  return db.transaction(async (tx) => {
    const retiredGuestIds = await retireGuestName(tx, name);
    const stored = await renameUser(tx, user.id, name, holdMs);
    if (stored === undefined) throw new AppError("conflict", "that name, or one that looks the same, is already taken", { reason: "name_taken", field: "name" });
    return { name: stored, retiredGuestIds };
  });
}
