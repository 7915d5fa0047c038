import type { Database } from "../db";
import { AppError } from "../errors";
import { ensureGuest, hasAccounts, type User } from "../chat/users";

export type Credentials = {
  /** Handshake `auth` object or equivalent, as sent by the client (untrusted). */
  auth: unknown;
};

/**
 * Who is this? Resolves the user behind a connection's credentials or throws AppError("unauthorized").
 * Guests (a bare display name) are let in while guest access is on: explicitly via GUEST_ACCESS, or by
 * default until the first account exists.
 */
export function createIdentify(deps: { db: Database; guestAccess?: boolean }) {
  return async function identify(creds: Credentials): Promise<User> {
    const auth = creds.auth && typeof creds.auth === "object" ? (creds.auth as Record<string, unknown>) : {};
    const guestsAllowed = deps.guestAccess ?? !(await hasAccounts(deps.db));
    if (!guestsAllowed) throw new AppError("unauthorized", "unauthorized");
    if (auth.name === undefined) throw new AppError("unauthorized", "name is required: pass auth.name");
    return ensureGuest(deps.db, auth.name);
  };
}

export type Identify = ReturnType<typeof createIdentify>;
