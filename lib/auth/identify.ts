import { parse as parseCookie } from "cookie";
import type { Database } from "../db";
import { AppError } from "../errors";
import { ensureGuest, type User } from "../chat/users";
import { guestAccessEnabled, resolveApiToken } from "./accounts";
import { resolveSession, type Session } from "./sessions";

/** The session cookie's name. */
export const SESSION_COOKIE = "hibiki_session";

export type Credentials = {
  /** The raw Cookie header. */
  cookie?: string;
  /** `Authorization: Bearer …` token, or the handshake's `auth.token`. */
  token?: string;
  /** Display name for a guest (handshake `auth.name`); untrusted. */
  guestName?: unknown;
  /** Slide the session's expiry (see resolveSession): only for HTTP requests, which re-issue the cookie. */
  renewSession?: boolean;
};

/** Who the caller is; `token` is the session cookie's value when `via` is "session" (to re-issue it). */
export type Identity = { user: User; via: "session" | "token" | "guest"; session?: Session; token?: string };

/**
 * Who is this? One resolver for pages' API calls, the Socket.IO handshake and SSE: a session cookie,
 * else a bearer token, else — while guest access is on — a guest by display name. Anything else is
 * AppError("unauthorized").
 */
export function createIdentify(deps: { db: Database; guestAccess?: boolean }) {
  const { db } = deps;
  return async function identify(creds: Credentials): Promise<Identity> {
    const token = creds.cookie ? parseCookie(creds.cookie)[SESSION_COOKIE] : undefined;
    if (token) {
      const session = await resolveSession(db, token, { renew: creds.renewSession });
      if (session) return { user: session.user, via: "session", session, token };
    }
    if (creds.token !== undefined) {
      const user = await resolveApiToken(db, creds.token);
      if (!user) throw new AppError("unauthorized", "unauthorized");
      return { user, via: "token" };
    }
    if (!(await guestAccessEnabled(db, deps.guestAccess))) throw new AppError("unauthorized", "unauthorized");
    if (creds.guestName === undefined) throw new AppError("unauthorized", "name is required: pass auth.name");
    return { user: await ensureGuest(db, creds.guestName), via: "guest" };
  };
}

export type Identify = ReturnType<typeof createIdentify>;
