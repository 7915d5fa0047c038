import type { Queryable } from "../db";
import { toUser, type User } from "../chat/users";
import { parseRoomIds } from "../chat/rooms";
import { hashToken, newToken } from "./secrets";

/** How long a session lives without use; each use at least RENEW_AFTER after the last renewal extends it. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
const RENEW_AFTER_MS = 24 * 3600 * 1000;
/**
 * The absolute lifetime of a session, however often it is used (OWASP Session Management Cheat Sheet,
 * "Absolute Timeout"): renewals never move its expiry past its sign-in plus this, so a stolen cookie
 * that is kept in use still ends, and the person signs in again. 90 days, in milliseconds.
 */
export const SESSION_MAX_AGE_MS = 90 * 24 * 3600 * 1000;

/** `roomIds`: the user's rooms, when asked for with `rooms` (see resolveSession). */
export type Session = { id: string; user: User; expiresAt: Date; renewed: boolean; roomIds?: string[] };

/** Starts a session; returns the token for the cookie (only its hash is stored). */
export async function createSession(db: Queryable, userId: string): Promise<{ token: string; id: string; expiresAt: Date }> {
  const token = newToken();
  const id = hashToken(token);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.query("insert into sessions (token_hash, user_id, expires_at) values ($1, $2, $3)", [id, userId, expiresAt]);
  return { token, id, expiresAt };
}

/**
 * The live session for a cookie token, or null (unknown, expired, or the user is deactivated).
 * Sliding renewal (only with `renew`): a session used a day or more after its last renewal gets a fresh
 * expiry (SESSION_TTL_MS from now, never past its sign-in plus SESSION_MAX_AGE_MS: null once that has
 * passed), and `renewed` says so. Only callers that answer with an HTTP response renew, because they must
 * then re-issue the cookie with the new expiry (the browser drops the cookie at its own `Expires`); the
 * Socket.IO handshake has no response to carry a cookie and does not renew. With `rooms`, the ids of
 * the rooms the user is a member of come back as `roomIds`, read in the same statement.
 */
export async function resolveSession(db: Queryable, token: string | undefined, opts: { renew?: boolean; rooms?: boolean } = {}): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const id = hashToken(token);
  // session_identity() (migration 18): one call, its plan prepared once per database connection.
  const [found] = await db.query<{ row: string | null }>("select session_identity($1, $2)::text as row", [id, opts.rooms === true]);
  const row = found?.row
    ? (JSON.parse(found.row) as {
        id: string; name: string; kind: "user"; is_admin: boolean; deactivated_at: string | null; expires_at: string; renewed_at: string; room_ids: string | null;
      })
    : undefined;
  if (!row || new Date(row.expires_at).getTime() <= Date.now() || row.deactivated_at) return null;
  let expiresAt = new Date(row.expires_at);
  let renewed = false;
  if (opts.renew && Date.now() - new Date(row.renewed_at).getTime() >= RENEW_AFTER_MS) {
    const [kept] = await db.query<{ expires_at: string }>(
      "update sessions set renewed_at = now(), expires_at = least($2::timestamptz, created_at + $3::double precision * interval '1 millisecond') where token_hash = $1 returning expires_at",
      [id, new Date(Date.now() + SESSION_TTL_MS), SESSION_MAX_AGE_MS],
    );
    // Signed out meanwhile (no row), or past its absolute lifetime (an expiry that did not move forward).
    if (!kept || new Date(kept.expires_at).getTime() <= Date.now()) return null;
    expiresAt = new Date(kept.expires_at);
    renewed = true;
  }
  return { id, user: toUser({ ...row, deactivated_at: row.deactivated_at === null ? null : new Date(row.deactivated_at) }), expiresAt, renewed, ...(opts.rooms ? { roomIds: parseRoomIds(row.room_ids) } : {}) };
}

/** Ends one session (sign-out), by its id (the token's hash). */
/**
 * Whether the account `userId` is still active and, when `sessionId` (a session's id: its token's hash) is
 * given, that session of it still exists and has not expired. For a connection Socket.IO restores
 * without reading its cookie (connection-state recovery); a bot's or guest's connection without a
 * session is judged by its account alone.
 */
export async function sessionStillLive(db: Queryable, userId: string, sessionId?: string): Promise<boolean> {
  const [row] = await db.query<{ live: boolean }>(
    `select exists (select 1 from users u
                     where u.id = $1::bigint and u.deactivated_at is null
                       and ($2::text is null or exists (select 1 from sessions s where s.token_hash = $2 and s.user_id = u.id and s.expires_at > now()))) as live`,
    [userId, sessionId ?? null],
  );
  return row?.live === true;
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.query("delete from sessions where token_hash = $1", [id]);
}

/** Ends every session of `userId` (a deactivated user's, at once). */
export async function deleteUserSessions(db: Queryable, userId: string): Promise<void> {
  await db.query("delete from sessions where user_id = $1", [userId]);
}

/**
 * Ends every session of `userId` except `keep` (the caller's own, when they have one). Returns the ended
 * sessions' ids so the caller can close their live sockets and streams everywhere.
 */
export async function endOtherSessions(db: Queryable, userId: string, keep?: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    "delete from sessions where user_id = $1 and ($2::text is null or token_hash <> $2) returning token_hash as id",
    [userId, keep ?? null],
  );
  return rows.map((r) => r.id);
}
