import type { Queryable } from "../db";
import { AppError } from "../errors";
import { isMentionable, isRoomMention } from "../notifications/mentions";
import { mixedScriptsRefused, restrictedLettersRefused } from "../text/rules";
import { inIdentifierProfile, isModeratelyRestrictive } from "../text/scripts";
import { nameKey, nameSkeleton, normalizeDisplayName } from "./names";
import { isoTime } from "./messages";
import type { NameSpan } from "./types";

export type UserKind = "guest" | "user" | "bot";

/** A person or bot as the domain sees it. Ids are strings (PostgreSQL bigint). */
export type User = {
  id: string;
  name: string;
  kind: UserKind;
  admin: boolean;
  deactivated: boolean;
  /**
   * A guest connection's key in the limiter table (see limitKeyOf): its client address, set when it
   * connects. Absent for accounts and bots, whose id is the key.
   */
  limitKey?: string;
};

/**
 * The `users` table's one home: every statement that writes it, and every read of it alone, is here
 * (docs/architecture.md, "One home per table"). Name rules and who may do what are the callers'.
 */
export type UserRow = { id: string; name: string; kind: UserKind; is_admin: boolean; deactivated_at: Date | null };
const COLUMNS = "id::text as id, name, kind, is_admin, deactivated_at";

export const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  admin: r.is_admin,
  deactivated: r.deactivated_at !== null,
});

/**
 * SQL condition: a hold (`name_holds`, migration 59, written by renameUser) that still lasts is on a
 * name whose key is the SQL expression `key` or whose second key (nameSkeleton) is `skeleton`, held for
 * anyone but the user whose id is the SQL expression `except` (omitted: anyone). Such a name is refused
 * to everyone else as a taken name is, in the statement that would take it, which must also look for
 * the name among users' rows itself (takenSql), not only leave it to the unique indexes: a rename
 * commits the name given up and its hold together, so one snapshot sees the name either still someone's
 * or held, never free in between; a unique index instead waits for the renaming transaction and then
 * lets the new row in, past a hold its statement's snapshot could not see.
 */
const heldSql = (key: string, skeleton: string, except?: string): string =>
  `exists (select 1 from name_holds h where (h.name_key = ${key} or h.name_skeleton = ${skeleton}) and h.until > now()${except ? ` and h.user_id <> ${except}` : ""})`;

/** SQL condition: a user (any kind) has a name whose key is the SQL expression `key` or second key `skeleton` (see heldSql). */
const takenSql = (key: string, skeleton: string): string => `exists (select 1 from users x where x.name_key = ${key} or x.name_skeleton = ${skeleton})`;

/** A name held for the account that gave it up (renameUser): `name` as it was written, `heldFor` the account's name now, `until` ISO-8601. */
export type NameHold = { name: string; heldFor: string; until: string };

/** The holds that still last (name_holds, migration 59), soonest to end first: for the operator (cli.ts). */
export async function listNameHolds(db: Queryable): Promise<NameHold[]> {
  const rows = await db.query<{ name: string; held_for: string; until: string }>(
    `select h.name, u.name as held_for, ${isoTime("h.until")} as until from name_holds h join users u on u.id = h.user_id
      where h.until > now() order by h.until, h.name`,
  );
  return rows.map((r) => ({ name: r.name, heldFor: r.held_for, until: r.until }));
}

/**
 * Ends the hold of a name given up (renameUser) at once, whoever it is held for, so someone else may take
 * it: the name under its key (nameKey: "ALICE" is "alice"). Returns the hold that ended, or null when
 * none lasts for that name. For the operator (cli.ts), with the former holder's agreement.
 */
export async function releaseNameHold(db: Queryable, name: string): Promise<NameHold | null> {
  const [row] = await db.query<{ name: string; held_for: string; until: string }>(
    `with gone as (delete from name_holds where name_key = $1 and until > now() returning name, user_id, until)
     select g.name, u.name as held_for, ${isoTime("g.until")} as until from gone g join users u on u.id = g.user_id`,
    [nameKey(normalizeDisplayName(name))],
  );
  return row ? { name: row.name, heldFor: row.held_for, until: row.until } : null;
}

/** NAME_HOLD_SECONDS' default (in ms): how long a name given up stays its former holder's, 30 days. */
export const NAME_HOLD_MS = 30 * 24 * 3600 * 1000;

/** The user (any kind) whose name has the same key as `name` (see nameKey), or null. */
export async function findUserByName(db: Queryable, name: string): Promise<User | null> {
  const [row] = await db.query<UserRow>(`select ${COLUMNS} from users where name_key = $1`, [nameKey(name)]);
  return row ? toUser(row) : null;
}

/**
 * SQL for the id of the user a `from:`-style name means, given the SQL expression `key` of its name key
 * (nameKey): the user whose name has that key now, else the one who gave that name up last (renameUser
 * records it), else the only user whose name's first word (or first words) it is: `from:Aiko` means
 * "Aiko Tanaka" while no other name starts with the word "Aiko" (a new team's trial looked for a first
 * name, as Slack and Mattermost users do, and found nothing). A name another user has taken since is
 * theirs: never the earlier holder's. Null for none, or for a first word several names share.
 */
export const nameHolderSql = (key: string): string =>
  `coalesce((select id from users where name_key = ${key}),
            (select f.user_id from user_former_names f where f.name_key = ${key} order by f.id desc limit 1),
            (select min(id) from users where left(name_key, length(${key}) + 1) = ${key} || ' ' having count(*) = 1))`;

/**
 * User `id`'s names (nameHistory): those given up (`user_former_names`, written by renameUser), oldest
 * first, then the current one, whose `since` is when the last one was given up (else the account's
 * creation). A name may appear more than once (taken back later). What a client decides which messages
 * are its own by: a message is the user's when its author is one of these names and it was written
 * while they had that name (a name given up may since be someone else's). Renames from before migration
 * 27 are not known: the first name known then seems held from the account's creation. One statement;
 * empty for an unknown id.
 */
export async function nameHistory(db: Queryable, id: string): Promise<NameSpan[]> {
  const rows = await db.query<{ name: string; since: string; until: string | null }>(
    `select h.name, ${isoTime("h.since")} as since, ${isoTime("h.until")} as until
       from users u,
            lateral (select f.name, coalesce(lag(f.until) over (order by f.id), u.created_at) as since, f.until, f.id as ord
                       from user_former_names f where f.user_id = u.id
                     union all
                     select u.name, coalesce((select max(f.until) from user_former_names f where f.user_id = u.id), u.created_at), null, null) h
      where u.id = $1
      order by h.ord nulls last`,
    [id],
  );
  return rows.map((r) => (r.until === null ? { name: r.name, since: r.since } : { name: r.name, since: r.since, until: r.until }));
}

/** The user with id `id`, or null. */
export async function findUserById(db: Queryable, id: string): Promise<User | null> {
  const [row] = await db.query<UserRow>(`select ${COLUMNS} from users where id = $1`, [id]);
  return row ? toUser(row) : null;
}

/**
 * Refuses `name` (normalised) as a new person's name, when nobody holds it or a look-alike of it, if it
 * mixes scripts beyond UTS #39's Moderately Restrictive level (lib/text/scripts.ts: `p\u0430ypal`,
 * Cyrillic а among Latin letters): `bad_request` `name_mixed_scripts` (mixedScriptsRefused); or if a
 * letter is outside the identifier profile that level requires (inIdentifierProfile: small capitals
 * such as `ᴀdmin`, which confusables.txt does not fold into `admin`): `bad_request`
 * `name_restricted_letters` (restrictedLettersRefused). Either way it cannot pose as a name that comes
 * later. A name someone holds (either key) is left to the caller's own answer: `conflict` for a
 * look-alike of another's name, as for any look-alike; the same guest or account coming back, or
 * recasing their own name (names stored before these rules). One indexed read, for such names only.
 * A new name that is a room-wide mention word (`here`, `ＡＬＬ`) is refused the same way, as
 * `name_reserved` (mentionWordRefused), and so is one no mention could reach (a quote mark, `,`, `@`, a
 * URL's start: isMentionable), as `name_unmentionable` (unmentionableRefused).
 */
export async function refuseNewRestrictedName(db: Queryable, name: string): Promise<void> {
  if (!isRestrictedName(name)) return;
  const word = isRoomMention(name);
  const reachable = isMentionable(name);
  const scripts = isModeratelyRestrictive(name);
  // `same`: someone holds this very name, in any case or width (the keys also join look-alikes).
  const [held] = await db.query<{ same: boolean }>(
    "select bool_or(lower(normalize(name, nfkc)) = $3) as same from users where name_key = $1 or name_skeleton = $2 having count(*) > 0",
    [nameKey(name), nameSkeleton(name), name.normalize("NFKC").toLowerCase()],
  );
  // No mention reaches it: refused unless it is the very name someone holds (its guest coming back, its
  // account recasing it). A look-alike of one's own name is a new name (a second outside trial renamed
  // "a''b" to 'a"b' past this rule).
  if (!reachable && !word && !held?.same) throw unmentionableRefused();
  if (!held) throw word ? mentionWordRefused(name) : !reachable ? unmentionableRefused() : scripts ? restrictedLettersRefused() : mixedScriptsRefused();
}

/**
 * Whether `name` (normalised) is one that refuseNewRestrictedName refuses when nobody holds it: mixed
 * scripts, restricted letters, a room-wide mention word, or a name no mention reaches. Synchronous and without the database, so a
 * caller can skip the read for the ordinary names.
 */
export const isRestrictedName = (name: string): boolean =>
  isRoomMention(name) || !isMentionable(name) || !isModeratelyRestrictive(name) || !inIdentifierProfile(name);

/**
 * The refusal of a new person's name no `@` mention could reach (isMentionable: a quote mark `"` “ ” „ ＂,
 * a `,`, a mention sign `@` ＠ ﹫, or a URL's start `http://`, `www.`): others could never notify them,
 * and "@Bob" as a name reads as a mention of Bob. `bad_request`, reason `name_unmentionable`, field `name`.
 */
export const unmentionableRefused = (): AppError =>
  new AppError("bad_request", "name must not contain quote marks, commas, @ or a web address: a mention could not reach it", {
    reason: "name_unmentionable",
    field: "name",
  });

/**
 * The refusal of a new person's name that is one of the words addressing a room in a mention (`room`,
 * `all`, `everyone`, `here`, compared as mentions compare them: NFKC, lower case; lib/notifications/mentions.ts
 * `isRoomMention`): `@here` always means the room, so such a person could never be mentioned, and picking
 * them from the `@` suggestions would write a room-wide mention. `bad_request`, reason `name_reserved`, field `name`.
 */
export const mentionWordRefused = (name: string): AppError =>
  new AppError("bad_request", `name "${name}" is reserved: @${name} addresses the whole room`, { reason: "name_reserved", field: "name" });

/**
 * The guest user for a display name, created on first use: the user whose name has its key (nameKey),
 * else a new guest. A name that belongs to an account or a bot is refused, and so is a new name whose
 * second key (nameSkeleton) another name has, or that an account gave up (held or not: as admit_guest)
 * (`conflict`, see guestOf): a guest must never speak as someone else.
 */
export async function ensureGuest(db: Queryable, rawName: unknown): Promise<User> {
  const name = normalizeDisplayName(rawName);
  await refuseNewRestrictedName(db, name);
  // Not a name an account gave up (migration 58, as admit_guest()): its old messages would read as the guest's.
  const [created] = await db.query<UserRow>(
    `insert into users (name, name_key, name_skeleton, kind)
     select $1, $2, $3, 'guest'
      where not exists (select 1 from user_former_names f join users a on a.id = f.user_id where f.name_key = $2 and a.kind <> 'guest')
        and not ${takenSql("$2", "$3")} and not ${heldSql("$2", "$3")}
     on conflict do nothing returning ${COLUMNS}`,
    [name, nameKey(name), nameSkeleton(name)],
  );
  const [row] = created ? [created] : await db.query<UserRow>(`select ${COLUMNS} from users where name_key = $1`, [nameKey(name)]);
  if (!row) throw lookAlikeTaken();
  return guestOf(row);
}

/** A new name whose second key (nameSkeleton) another name has: the `conflict` of a taken name. */
export const lookAlikeTaken = () => new AppError("conflict", "that name, or one that looks the same, is already taken", { reason: "name_taken", field: "name" });

/**
 * The guest in a row that ensureGuest's upsert returned; refuses a name that belongs to an account or a
 * bot (`conflict`) and a banned guest (`forbidden`).
 */
export function guestOf(row: UserRow): User {
  const user = toUser(row);
  if (user.kind !== "guest") throw new AppError("conflict", "name is already taken by an account", { reason: "name_taken", field: "name" });
  if (user.deactivated) throw new AppError("forbidden", "this name is banned", { reason: "name_banned", field: "name" });
  return user;
}

/** True once at least one account (not a guest) exists. */
export async function hasAccounts(db: Queryable): Promise<boolean> {
  const rows = await db.query("select 1 from users where kind = 'user' limit 1");
  return rows.length > 0;
}

/**
 * Up to `limit` people a direct message can be opened with whose name starts with `prefix`: accounts
 * and bots, not guests, not deactivated, not `self` (an id). The prefix is compared by name key
 * (nameKey: case and look-alikes folded) and by the lower-cased name; results are ordered by lower-cased name.
 * An empty prefix answers the first `limit` names. A table scan: fine for a team's few thousand rows.
 */
export async function findPeopleByPrefix(db: Queryable, prefix: string, self: string, limit: number): Promise<User[]> {
  const rows = await db.query<UserRow>(
    `select ${COLUMNS} from users
      where kind <> 'guest' and deactivated_at is null and id <> $3
        and (starts_with(name_key, $1) or starts_with(lower(name), $2))
      order by lower(name), name_key limit $4`,
    [nameKey(prefix), prefix.normalize("NFKC").trim().toLowerCase().replace(/\u0000/g, "\uFFFD"), self, limit],
  );
  return rows.map(toUser);
}

/** Every account and bot (no guests), by name key. */
export async function listAccountsAndBots(db: Queryable): Promise<User[]> {
  const rows = await db.query<UserRow>(`select ${COLUMNS} from users where kind <> 'guest' order by name_key`);
  return rows.map(toUser);
}

/** A guest as the admin's list shows it: its name, when it first came and was last seen (ISO-8601), banned or not. */
export type GuestSummary = { name: string; since: string; lastSeen: string; deactivated: boolean };

/**
 * The banned guests first (a banned guest never comes back to be seen: it would drop off the list, and
 * with it the way to lift its ban), then those seen most recently (last_seen_at is kept to the hour, see
 * admit_guest; their creation when never set), newest first; `limit` in all; guests retired when an account took their name (retireGuestName) are left
 * out. A table scan: fine for the guests a team's server keeps (pruneIdleGuests removes idle ones).
 */
export async function listGuests(db: Queryable, limit: number): Promise<GuestSummary[]> {
  const rows = await db.query<{ name: string; created_at: Date | string; seen: Date | string; deactivated_at: Date | null }>(
    `select name, created_at, coalesce(last_seen_at, created_at) as seen, deactivated_at from users
      where kind = 'guest' and left(name_key, 1) <> chr(1)
      order by deactivated_at is null, seen desc, id desc limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    name: r.name,
    since: new Date(r.created_at).toISOString(),
    lastSeen: new Date(r.seen).toISOString(),
    deactivated: r.deactivated_at !== null,
  }));
}

/** How long a guest may stay away before pruneIdleGuests() removes it (ms): 30 days. */
export const GUEST_IDLE_MS = 30 * 24 * 3600 * 1000;

/**
 * Deletes the guests not seen for `idleMs` (last_seen_at, or their creation when never set: migration
 * 40) that wrote no message and created no room (those keep their author; a guest's reactions are kept
 * by name in the message), and are not banned (a ban lasts until an admin lifts it). Memberships and read markers go with them; the same name may connect again
 * later and becomes a new guest. Returns how many were deleted.
 */
export async function pruneIdleGuests(db: Queryable, idleMs = GUEST_IDLE_MS): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `delete from users u
      where u.kind = 'guest' and u.deactivated_at is null
        and coalesce(u.last_seen_at, u.created_at) < now() - ($1::bigint * interval '1 millisecond')
        and not exists (select 1 from messages m where m.author_id = u.id)
        and not exists (select 1 from rooms r where r.created_by = u.id)
      returning u.id::text as id`,
    [idleMs],
  );
  return rows.length;
}

/** Ids of every account (kind `user`) that is not deactivated. */
export async function activeAccountIds(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ id: string }>("select id::text as id from users where kind = 'user' and deactivated_at is null");
  return rows.map((r) => r.id);
}

/** The account (kind `user`) whose name has the key of `name`, with its password hash; undefined if none. */
export async function findAccountWithPassword(db: Queryable, name: string): Promise<{ user: User; passwordHash: string | null } | undefined> {
  const [row] = await db.query<UserRow & { password_hash: string | null }>(
    `select ${COLUMNS}, password_hash from users where name_key = $1 and kind = 'user'`,
    [nameKey(name)],
  );
  return row && { user: toUser(row), passwordHash: row.password_hash };
}

/** The account (kind `user`, not a guest or bot) whose name has the key of `name`, or null. */
export async function findAccountByName(db: Queryable, name: string): Promise<User | null> {
  const [row] = await db.query<UserRow>(`select ${COLUMNS} from users where name_key = $1 and kind = 'user'`, [nameKey(name)]);
  return row ? toUser(row) : null;
}

/** The stored password hash of user `id` (null for a guest or bot, or an unknown id). */
export async function passwordHashOf(db: Queryable, id: string): Promise<string | null> {
  const [row] = await db.query<{ password_hash: string | null }>("select password_hash from users where id = $1", [id]);
  return row?.password_hash ?? null;
}

/**
 * Stores a new account (`kind: "user"`, with its argon2 `passwordHash` and admin flag) or bot under
 * `name` (already normalised), with both keys. Undefined when either key (nameKey, nameSkeleton) is
 * taken, by anyone, or held for an account that gave the name up (renameUser; the caller answers both
 * alike); `bad_request` for a new name of mixed scripts or restricted letters (refuseNewRestrictedName).
 */
export async function insertUser(
  db: Queryable,
  input: { name: string; kind: "user" | "bot"; passwordHash?: string; admin?: boolean },
): Promise<User | undefined> {
  await refuseNewRestrictedName(db, input.name);
  const [row] = await db.query<UserRow>(
    `insert into users (name, name_key, name_skeleton, kind, password_hash, is_admin)
     select $1::text, $2::text, $3::text, $4::text, $5::text, $6::boolean where not ${takenSql("$2", "$3")} and not ${heldSql("$2", "$3")}
     on conflict do nothing
     returning ${COLUMNS}`,
    [input.name, nameKey(input.name), nameSkeleton(input.name), input.kind, input.passwordHash ?? null, input.admin ?? false],
  );
  return row ? toUser(row) : undefined;
}

/**
 * Takes the name `name` away from the guests who hold it or a look-alike of it, so an account can have
 * it: the guest whose name has its key (nameKey) and the one whose name has its second key
 * (nameSkeleton), at most two. Each guest row keeps its id (its messages keep their author text) but
 * gets a key no name can have, loses its second key and is deactivated. Returns the retired guests' ids.
 */
export async function retireGuestName(db: Queryable, name: string): Promise<string[]> {
  // chr(1) never occurs in a display name, so a retired key can never collide with a real one.
  const retired = await db.query<{ id: string }>(
    `update users set name_key = chr(1) || 'retired-guest:' || id::text, name_skeleton = null,
                      deactivated_at = coalesce(deactivated_at, now())
      where (name_key = $1 or name_skeleton = $2) and kind = 'guest' returning id::text as id`,
    [nameKey(name), nameSkeleton(name)],
  );
  return retired.map((r) => r.id);
}

/** Deactivates (now) or reactivates the user whose name has the key of `name`; the user as stored, or undefined if none. */
export async function setDeactivatedByName(db: Queryable, name: string, deactivated: boolean): Promise<User | undefined> {
  const [row] = await db.query<UserRow>(
    `update users set deactivated_at = ${deactivated ? "now()" : "null"} where name_key = $1 returning ${COLUMNS}`,
    [nameKey(name)],
  );
  return row ? toUser(row) : undefined;
}

/** Gives (`true`) or takes the admin role of user `id`; the user as stored. */
export async function setAdminFlag(db: Queryable, id: string, admin: boolean): Promise<User> {
  const [row] = await db.query<UserRow>(`update users set is_admin = $2 where id = $1 returning ${COLUMNS}`, [id, admin]);
  return toUser(row);
}

/** Replaces user `id`'s password hash (argon2, see lib/auth/secrets.ts). */
export async function setPasswordHash(db: Queryable, id: string, passwordHash: string): Promise<void> {
  await db.query("update users set password_hash = $2 where id = $1", [id, passwordHash]);
}

/**
 * Renames user `id` to `name` (already normalised), storing both keys; returns the stored name, or
 * undefined when someone else's name has the same key or the same second key (nameSkeleton; also when
 * a concurrent rename to a look-alike won: the unique indexes decide), or a name someone else gave up
 * is held for them with either key (see below); `bad_request` for a new name of mixed scripts or
 * restricted letters (refuseNewRestrictedName).
 * The name given up (whenever it is written differently, a recasing too) is recorded in
 * `user_former_names` by the same statement, so search's `from:` still finds the user by it (see
 * nameHolderSql; a key the user still holds resolves to them anyway) and nameHistory knows when the
 * user went by it (the client's own messages: those written as "Dave" before a recasing to "dave").
 * A name given up under another key (not a recasing) is held for the user for `holdMs` ms
 * (NAME_HOLD_SECONDS; `name_holds`, migration 59), also by the same statement: until then nobody else
 * may take it (this, insertUser, ensureGuest, admit_guest), so it cannot pass to someone who would read
 * as the user in the chat, at sign-in, in DMs and mentions (an outside security trial). Taking back a
 * name held for oneself ends its hold; a hold of the new name that has run out goes too.
 */
export async function renameUser(db: Queryable, id: string, name: string, holdMs = NAME_HOLD_MS): Promise<string | undefined> {
  await refuseNewRestrictedName(db, name);
  // The old name is read by the row lock (`for update`), so a concurrent rename of the same user is seen.
  // The hold is written with the rename, in one statement: see heldSql for why that closes the race.
  const rows = await db
    .query<{ name: string }>(
      `with up as (update users u set name = $2, name_key = $3, name_skeleton = $4
                     from (select id, name, name_key, name_skeleton from users where id = $1 for update) o
                    where u.id = o.id and not exists (select 1 from users x where (x.name_key = $3 or x.name_skeleton = $4) and x.id <> $1)
                      and not ${heldSql("$3", "$4", "$1")}
                    returning u.name, o.name as old_name, o.name_key as old_key, o.name_skeleton as old_skeleton),
            former as (insert into user_former_names (name_key, name, user_id)
                       select old_key, old_name, $1 from up where old_name <> $2),
            held as (insert into name_holds (name_key, name_skeleton, name, user_id, until)
                     select old_key, old_skeleton, old_name, $1, now() + ($5::bigint * interval '1 millisecond') from up where old_key <> $3
                     on conflict (name_key) do update
                       set name_skeleton = excluded.name_skeleton, name = excluded.name, user_id = excluded.user_id, until = excluded.until),
            taken_back as (delete from name_holds h using up where h.name_key = $3 and (h.user_id = $1 or h.until <= now()))
       select name from up`,
      [id, name, nameKey(name), nameSkeleton(name), Math.max(0, Math.round(holdMs))],
    )
    .catch((err: { code?: string }) => {
      if (err.code === "23505") return [];
      throw err;
    });
  return rows[0]?.name;
}
