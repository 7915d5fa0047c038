import type { Queryable } from "../db";
import { guestAccessEnabled, needsSetup } from "./accounts";
import type { Identity } from "./identify";
import { nameHistory, type UserKind } from "../chat/users";
import type { NameSpan } from "../chat/types";

/**
 * The signed-in account as pages see it (`GET /api/session`'s `user`). `id` is the account's own, kept
 * through renames (a name can change hands): what the client keys the account's tab-local state by.
 * `names`: the account's names with when it had them (nameHistory), the current one last; what the
 * client decides which messages are the account's by. GET /api/session and pages rendered on the
 * server carry it; the answers of sign-in, setup and join do not.
 */
export type SessionUser = { id: string; name: string; admin: boolean; kind: UserKind; names?: NameSpan[] };

/**
 * What `GET /api/session` answers (contract "Session"): the account behind the caller's session or
 * bearer token (null for a guest or nobody), whether the install still needs its first account, and
 * whether guests may chat. Pages rendered on the server read the same through lib/pages/page-data.ts.
 */
export type SessionInfo = {
  /** Null for a visitor without a session (a guest, if guests are allowed). */
  user: SessionUser | null;
  /** No account exists yet: every page leads to /setup. */
  setupRequired: boolean;
  guestAccess: boolean;
};

/**
 * Describes `identity` (null: nobody signed in) as GET /api/session does, the account's name history
 * included (one more statement, for the caller's own account only); `guestAccess` is GUEST_ACCESS.
 */
export async function describeSession(db: Queryable, identity: Identity | null, guestAccess?: boolean): Promise<SessionInfo> {
  const u = identity && identity.via !== "guest" ? identity.user : null;
  // Three small reads, at once (PostgreSQL's pool runs them side by side; PGlite in turn, as ever).
  const [names, setupRequired, guests] = await Promise.all([u ? nameHistory(db, u.id) : null, needsSetup(db), guestAccessEnabled(db, guestAccess)]);
  return {
    user: u && { id: u.id, name: u.name, admin: u.admin, kind: u.kind, names: names! },
    setupRequired,
    guestAccess: guests,
  };
}
