import type { Database, Queryable } from "../db";
import { AppError } from "../errors";
import { nameKey, nameSkeleton, normalizeDisplayName } from "../chat/names";
import {
  findAccountByName,
  findAccountWithPassword,
  findUserByName,
  guestOf,
  hasAccounts,
  insertUser,
  isRestrictedName,
  lookAlikeTaken,
  refuseNewRestrictedName,
  retireGuestName,
  setAdminFlag,
  setDeactivatedByName,
  setPasswordHash,
  toUser,
  type User,
  type UserRow,
} from "../chat/users";
import { parseRoomIds, seedPublicRoom } from "../chat/rooms";
import { checkPassword, hashPassword, hashToken, newJoinCode, newToken, verifyDecoy, verifyPassword } from "./secrets";
import { deleteUserSessions, endOtherSessions } from "./sessions";
import { getSetting, setSetting } from "./settings";
import type { Credentials, SignIn } from "../http/schemas";

/** Applies the name and password rules to a new account's credentials and hashes the password (before any transaction: it is slow). */
async function accountInput(input: Credentials) {
  const name = normalizeDisplayName(input.name);
  return { name, passwordHash: await hashPassword(checkPassword(input.password)) };
}

/**
 * Creates an account; `retiredGuestIds` are the guests who used the name, or a look-alike of it (its
 * second key, nameSkeleton), before (none, one or two). Such a guest hands the name over but never
 * becomes the account: its row keeps its own id (its messages keep their author text), gives up the name
 * and is deactivated, and the account gets a new id, so a live guest connection can never act as the
 * account. The caller must close the retired guests' live connections. A name whose key or second key
 * an account or bot has is `conflict`. Runs in the caller's transaction.
 */
async function insertAccount(
  tx: Queryable,
  { name, passwordHash, admin }: { name: string; passwordHash: string; admin: boolean },
): Promise<{ user: User; retiredGuestIds: string[] }> {
  const retiredGuestIds = await retireGuestName(tx, name);
  const user = await insertUser(tx, { name, kind: "user", passwordHash, admin });
  if (!user) throw nameTaken();
  return { user, retiredGuestIds };
}

/**
 * First run: creates the administrator and the public room `general`, only while no account exists.
 * Serialised by an advisory lock so two racing setups cannot both win.
 */
export async function setupFirstAdmin(db: Database, input: Credentials): Promise<{ user: User; retiredGuestIds: string[] }> {
  const account = await accountInput(input);
  return db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(7311043)");
    if (await hasAccounts(tx)) throw new AppError("conflict", "setup is already done", { reason: "setup_done" });
    const created = await insertAccount(tx, { ...account, admin: true });
    const admin = created.user;
    await seedPublicRoom(tx, admin, "general");
    await setSetting(tx, "join_code", newJoinCode());
    return created;
  });
}

/** True until the first account exists (first run: every page leads to setup). */
export const needsSetup = async (db: Queryable) => !(await hasAccounts(db));

/** Creates an account through the join link (see insertAccount); `not_found` for a wrong or rotated code. */
export async function joinWithCode(
  db: Database,
  code: string,
  input: Credentials,
): Promise<{ user: User; retiredGuestIds: string[] }> {
  if (!(await joinCodeMatches(db, code))) throw new AppError("not_found", "this join link is not valid", { reason: "join_link_invalid" });
  const account = await accountInput(input);
  return db.transaction((tx) => insertAccount(tx, { ...account, admin: false }));
}

/**
 * Whether `code` is the current invite link's code (compared by hash: the time taken does not depend on
 * how much of it matched). False when no link was issued yet or it was rotated since.
 */
export async function joinCodeMatches(db: Queryable, code: string): Promise<boolean> {
  const current = await getSetting(db, "join_code");
  return !!current && code.length === current.length && hashToken(code) === hashToken(current);
}

export async function getJoinCode(db: Queryable): Promise<string> {
  const code = await getSetting(db, "join_code");
  if (code) return code;
  return rotateJoinCode(db);
}

export async function rotateJoinCode(db: Queryable): Promise<string> {
  const code = newJoinCode();
  await setSetting(db, "join_code", code);
  return code;
}

/** The one answer to every sign-in that fails on the name or the password: `unauthorized` "wrong name or password". */
export const wrongCredentials = () => new AppError("unauthorized", "wrong name or password", { reason: "wrong_credentials", field: "password" });

/** A new account's or bot's name that an account, a bot or a look-alike of one has. */
const nameTaken = () => new AppError("conflict", "that name is already taken", { reason: "name_taken", field: "name" });

/**
 * Name + password (as `signInSchema` parsed them) → the account; wrongCredentials() whether the name or
 * the password is wrong, `forbidden` (`account_deactivated`) for a deactivated account whatever the password.
 */
export async function authenticate(db: Queryable, input: SignIn): Promise<User> {
  const wrong = wrongCredentials();
  const found = await findAccountWithPassword(db, input.name);
  const ok = found?.passwordHash ? await verifyPassword(found.passwordHash, input.password) : await verifyDecoy(input.password);
  // A deactivated account is said whatever the password (after checking it, so the time is the same):
  // answering it only to the right one told a guesser which guess was right.
  if (found?.user.deactivated) throw new AppError("forbidden", "this account is deactivated", { reason: "account_deactivated" });
  if (!ok || !found) throw wrong;
  return found.user;
}

/** Makes a bot account and returns its API token, which is shown once and stored hashed. `rawName` follows the display-name rules. */
export async function createBot(db: Database, rawName: string, actor?: User): Promise<{ user: User; token: string }> {
  const name = normalizeDisplayName(rawName);
  return db.transaction(async (tx) => {
    // An admin's request: still one when the bot is made (holdAdministrator), not only when it arrived.
    if (actor) await holdAdministrator(tx, actor);
    const user = await insertUser(tx, { name, kind: "bot" });
    if (!user) throw nameTaken();
    const token = `hbk_${newToken()}`;
    await tx.query("insert into api_tokens (token_hash, user_id) values ($1, $2)", [hashToken(token), user.id]);
    return { user, token };
  });
}

/**
 * The user behind a bearer token, or null (unknown token, or the user is deactivated). With `rooms`,
 * also the ids of the rooms the user is a member of, read in the same statement.
 */
export async function resolveApiToken(
  db: Queryable,
  token: string | undefined,
  opts: { rooms?: boolean } = {},
): Promise<{ user: User; roomIds?: string[] } | null> {
  if (!token || token.length > 200) return null;
  // token_identity() (migration 18): one call, its plan prepared once per database connection.
  const [found] = await db.query<{ row: string | null }>("select token_identity($1, $2)::text as row", [hashToken(token), opts.rooms === true]);
  const row = found?.row ? (JSON.parse(found.row) as JsonRow) : undefined;
  if (!row || row.deactivated_at !== null) return null;
  return { user: toUser(fromJson(row)), ...(opts.rooms ? { roomIds: parseRoomIds(row.room_ids) } : {}) };
}

/**
 * Checks, in transaction `tx`, that `actor` is still an active administrator, and holds every active
 * administrator's row (`for update`) until the transaction ends. An admin request is authorised when it
 * arrives, but two administrators demoting or deactivating each other at the same moment were each
 * authorised before the other's change: both changes committed and the install was left with no
 * administrator. With the rows held, the second change waits for the first and is then judged by its
 * author's rights as they are after it (PostgreSQL re-reads a locked row that changed before the lock
 * was granted: READ COMMITTED's EvalPlanQual). `forbidden` (`not_admin`) when the actor is one no longer.
 */
export async function holdActingAdmin(tx: Queryable, actor: User): Promise<void> {
  const admins = await tx.query<{ id: string }>("select id::text as id from users where is_admin and deactivated_at is null order by id for update");
  if (!admins.some((a) => a.id === String(actor.id))) {
    throw new AppError("forbidden", "you are no longer an administrator", { reason: "not_admin" });
  }
}

/**
 * Checks, in transaction `tx`, that `actor` is still an active administrator, for a change that does not
 * change who is one (a join link, a bot, the guest-access switch, an announcement): holds the actor's row
 * `FOR SHARE` until the transaction ends, so a demotion or deactivation of theirs waits for this change, or
 * this waits for it and then reads the row as it is after it (READ COMMITTED's EvalPlanQual). Not
 * `FOR UPDATE`, as holdActingAdmin takes every administrator's row: that conflicts with the foreign-key
 * checks of inserts that name a user (a notification or a message to or by an administrator), which an
 * announcement's transaction waits for in turn (the per-user notification locks): a deadlock.
 * `forbidden` (`not_admin`) when the actor is no longer one.
 */
export async function holdAdministrator(tx: Queryable, actor: User): Promise<void> {
  const rows = await tx.query("select 1 from users where id = $1 and is_admin and deactivated_at is null for share", [actor.id]);
  if (rows.length === 0) throw new AppError("forbidden", "you are no longer an administrator", { reason: "not_admin" });
}

/**
 * Deactivates (bans) or reactivates a user; a deactivated user's sessions are deleted at once. `actor`
 * must still be an administrator when the change is made (holdActingAdmin), and cannot deactivate
 * themselves: an install always keeps an active administrator. `kind`: the change is meant for a user of
 * that kind only (the admin's guest list bans guests): a name that is now another kind's (an account took
 * a listed guest's name since the list was read) is refused (`conflict`, `not_a_guest`) and nothing changes.
 */
export async function setDeactivated(db: Database, actor: User, name: unknown, deactivated: boolean, kind?: "guest"): Promise<User> {
  // Looked up by key, not validated as a new name: a name stored before today's rules must stay bannable.
  if (typeof name !== "string") throw new AppError("bad_request", "name must be a string");
  const target = name;
  return db.transaction(async (tx) => {
    await holdActingAdmin(tx, actor);
    const user = await setDeactivatedByName(tx, target, deactivated);
    if (!user) throw new AppError("not_found", "no such user", { reason: "no_such_account" });
    // Thrown inside the transaction: the change above rolls back.
    if (kind && user.kind !== kind) throw new AppError("conflict", "that name is no longer a guest's", { reason: "not_a_guest" });
    if (user.id === actor.id) throw new AppError("bad_request", "you cannot deactivate yourself", { reason: "self_deactivation" });
    if (deactivated) await deleteUserSessions(tx, user.id);
    return user;
  });
}

/**
 * An administrator gives someone else's account a new password when its owner lost theirs: a random one
 * (newJoinCode: 16 characters of an unambiguous alphabet, about 92 bits), returned once for the admin to hand over; its
 * owner can change it in Settings. Every session of the account ends (`ended`: their ids, for the caller
 * to close the live connections). `not_found` for a name no account has (bots and guests have no
 * password); `bad_request` (`self_reset`) for the admin's own, which Settings changes with the current one.
 * `actor` must still be an active administrator when the password is changed (holdActingAdmin:
 * `forbidden`, `not_admin`). `actor` null: the operator of the machine (`node dist/cli.js reset-password`), who may reset any
 * account, an admin's included (the way back in when the only admin lost their password).
 */
export async function resetPassword(db: Database, actor: User | null, name: unknown): Promise<{ user: User; password: string; ended: string[] }> {
  if (typeof name !== "string") throw new AppError("bad_request", "name must be a string");
  const found = await findAccountByName(db, name);
  if (!found) throw new AppError("not_found", "no such account", { reason: "no_such_account" });
  if (actor && found.id === actor.id) throw new AppError("bad_request", "change your own password in Settings", { reason: "self_reset" });
  const password = newJoinCode();
  const passwordHash = await hashPassword(password);
  const ended = await db.transaction(async (tx) => {
    // The admin must still be one when the password changes (argon2 above takes a while): one demoted or
    // deactivated meanwhile would otherwise hold another admin's password, and with it the role again.
    if (actor) await holdActingAdmin(tx, actor);
    await setPasswordHash(tx, found.id, passwordHash);
    return endOtherSessions(tx, found.id);
  });
  return { user: found, password, ended };
}

/**
 * Gives bot `name` a new API token (`hbk_…`, shown once) in place of every one it had: a leaked token
 * stops working at once, and the bot keeps its name, rooms and history (deactivating and reactivating it
 * brings the same token back). `not_found` (`no_such_account`) when `name` is not a bot; the admin must
 * still be one when the token changes (holdActingAdmin). The caller closes the bot's live connections
 * (they were identified by the old token) and forgets what identities it cached for it.
 */
export async function rotateBotToken(db: Database, actor: User, name: unknown): Promise<{ user: User; token: string }> {
  if (typeof name !== "string") throw new AppError("bad_request", "name must be a string");
  const token = `hbk_${newToken()}`;
  return db.transaction(async (tx) => {
    await holdActingAdmin(tx, actor);
    const user = await findUserByName(tx, name);
    if (user?.kind !== "bot") throw new AppError("not_found", "no such bot", { reason: "no_such_account" });
    await tx.query("delete from api_tokens where user_id = $1", [user.id]);
    await tx.query("insert into api_tokens (token_hash, user_id) values ($1, $2)", [hashToken(token), user.id]);
    return { user, token };
  });
}

/**
 * Gives or takes the admin role of an account (`not_found` for an unknown account; an admin cannot demote
 * themselves, and must still be one when the change is made — holdActingAdmin —, so an install always
 * keeps one). A deactivated account is not given the role (`conflict`, `promote_deactivated`): reactivated
 * later, it would come back an administrator nobody chose for the account as it is then. Taking the role
 * from one is allowed (it gives nothing). Returns the account as updated, with `changed`: whether its role
 * was another before. The caller closes the user's live connections when it changed, either way: they
 * cached the role when they connected (and come back with the new one).
 */
export async function setAdmin(db: Database, actor: User, name: unknown, admin: boolean): Promise<User & { changed: boolean }> {
  const target = normalizeDisplayName(name);
  return db.transaction(async (tx) => {
    await holdActingAdmin(tx, actor);
    const found = await findAccountByName(tx, target);
    if (!found) throw new AppError("not_found", "no such account", { reason: "no_such_account" });
    if (found.id === actor.id && !admin) throw new AppError("bad_request", "you cannot remove your own admin role", { reason: "self_demotion" });
    const user = await setAdminFlag(tx, found.id, admin);
    // Judged on the row as updated (locked, read after a deactivation committed meanwhile), not as found
    // above; thrown inside the transaction, the change rolls back.
    if (admin && user.deactivated) {
      throw new AppError("conflict", "this account is deactivated; reactivate it before making it an admin", { reason: "promote_deactivated" });
    }
    return { ...user, changed: found.admin !== user.admin };
  });
}

/** Guest access: the admin's switch when set, else GUEST_ACCESS, else on until the first account exists. */
export async function guestAccessEnabled(db: Queryable, configured?: boolean): Promise<boolean> {
  const stored = await getSetting(db, "guest_access");
  if (stored !== null) return stored === "true";
  if (configured !== undefined) return configured;
  return needsSetup(db);
}

/**
 * A guest arriving under display name `name` (already normalised), in one statement: whether guest access
 * is on, decided as guestAccessEnabled decides (`configured` is GUEST_ACCESS), and only then the guest,
 * created on first use as ensureGuest does (same refusals: see guestOf, and `conflict` for a new name
 * whose second key, nameSkeleton, another name has, and `bad_request` for a new name of mixed scripts or restricted letters).
 * With `rooms`, also the ids of the guest's rooms.
 * Null when guest access is off.
 */
export async function admitGuest(
  db: Queryable,
  name: string,
  opts: { configured?: boolean; rooms?: boolean } = {},
): Promise<{ user: User; roomIds?: string[] } | null> {
  // A new name of mixed scripts or restricted letters, or a room-wide mention word, is refused
  // (refuseNewRestrictedName), after guest access: off refuses any name.
  if (isRestrictedName(name)) {
    if (!(await guestAccessEnabled(db, opts.configured))) return null;
    await refuseNewRestrictedName(db, name);
  }
  // admit_guest() (migrations 18, 34, 40, 58): one call, its plans prepared once per database connection.
  const [found] = await db.query<{ row: string }>("select admit_guest($1, $2, $3, $4, $5)::text as row", [
    name,
    nameKey(name),
    nameSkeleton(name),
    opts.configured ?? null,
    opts.rooms === true,
  ]);
  const row = JSON.parse(found.row) as JsonRow & { allowed: boolean; taken?: boolean };
  if (!row.allowed) return null;
  if (row.taken) throw lookAlikeTaken();
  return { user: guestOf(fromJson(row)), ...(opts.rooms ? { roomIds: parseRoomIds(row.room_ids) } : {}) };
}

/** A user row as the identity functions of migration 18 return it (JSON: timestamps are strings). */
type JsonRow = Omit<UserRow, "deactivated_at"> & { deactivated_at: string | null; room_ids: string | null };
const fromJson = (row: JsonRow): UserRow => ({ ...row, deactivated_at: row.deactivated_at === null ? null : new Date(row.deactivated_at) });
