import { parse as parseCookie } from "cookie";
import type { Database } from "../db";
import { AppError, isAppError, UNAVAILABLE_RETRY_AFTER_S } from "../errors";
import { normalizeDisplayName } from "../chat/names";
import type { User } from "../chat/users";
import { admitGuest, guestAccessEnabled, resolveApiToken } from "./accounts";
import { resolveSession, type Session } from "./sessions";
import type { IdentityCache } from "./identity-cache";
import { hashToken } from "./secrets";

/** The session cookie's name. */
export const SESSION_COOKIE = "hibiki_session";

/**
 * The session token a Cookie header carries: the value of its `hibiki_session` cookie; undefined when
 * it has none; null when it has several with different values. The last is no session at all: a site on
 * another port of the same host, or on a sibling subdomain, can set a cookie of that name for a narrower
 * path ("cookie tossing"), which the browser sends first (RFC 6265 §5.4), and a server that took the
 * first would run the victim's requests as an account of the other site's choosing (whatever they type
 * or upload going to it). identify() refuses such a request; the HTTP app and the Socket.IO handshake
 * expire every such cookie but Hibiki's own (sessionCookieClears, lib/http/session-cookie.ts), so the
 * next request is the person's again.
 */
export function sessionTokenOf(cookieHeader: string | undefined): string | null | undefined {
  if (!cookieHeader) return undefined;
  let token: string | undefined;
  for (const part of cookieHeader.split(";")) {
    const value = part.trimStart().startsWith(`${SESSION_COOKIE}=`) ? parseCookie(part)[SESSION_COOKIE] : undefined;
    if (value === undefined || value === "") continue;
    if (token !== undefined && token !== value) return null;
    token = value;
  }
  return token;
}

export type Credentials = {
  /** The raw Cookie header. */
  cookie?: string;
  /** `Authorization: Bearer …` token, or the handshake's `auth.token`. */
  token?: string;
  /** Display name for a guest (handshake `auth.name`); untrusted. */
  guestName?: unknown;
  /** Slide the session's expiry (see resolveSession): only for HTTP requests, which re-issue the cookie. */
  renewSession?: boolean;
  /** Also return the ids of the user's rooms (`Identity.roomIds`), read in the same statement as the user. */
  withRooms?: boolean;
};

/** Who the caller is; `token` is the session cookie's value when `via` is "session" (to re-issue it). */
export type Identity = { user: User; via: "session" | "token" | "guest"; session?: Session; token?: string; roomIds?: string[] };

/**
 * Who is this? One resolver for pages' API calls, the Socket.IO handshake and SSE: a bearer token when
 * one is given (it is the caller's explicit choice: a wrong one is refused even beside a valid cookie),
 * else a session cookie, else — while guest access is on — a guest by display name. Anything else is
 * AppError("unauthorized").
 *
 * Each way in is one statement (one round trip to the database), the rooms included with `withRooms`.
 * With `cache` (one instance only: see IdentityCache), a handshake (`withRooms`, no renewal) of a session
 * or token looked up in the last seconds takes none; the cache is told of every sign-out, ban, rename,
 * revoked right and membership change at once. HTTP requests always ask the database.
 *
 * A failure to find out (the database did not answer) is never a refusal: it is AppError("unavailable")
 * with `retryAfter` (HTTP 503), whatever the credential, so a client keeps a valid session or token
 * through an outage instead of being told it was revoked. See nobodyUnlessUnavailable.
 */
export function createIdentify(deps: { db: Database; guestAccess?: boolean; cache?: IdentityCache }) {
  const { db, cache } = deps;
  const rooms = (creds: Credentials) => creds.withRooms === true;
  /** The cache key of a credential for this request, when the answer may come from (and go to) the cache. */
  const keyOf = (creds: Credentials, kind: "s" | "t", secret: string) =>
    cache && creds.withRooms === true && creds.renewSession !== true && secret.length <= 200 ? `${kind}:${hashToken(secret)}` : undefined;

  return async function identify(creds: Credentials): Promise<Identity> {
    try {
      return await resolve(creds);
    } catch (err) {
      if (isAppError(err)) throw err;
      throw new AppError("unavailable", "the server cannot check who you are right now; try again shortly", { cause: err, retryAfter: UNAVAILABLE_RETRY_AFTER_S });
    }
  };

  async function resolve(creds: Credentials): Promise<Identity> {
    if (creds.token !== undefined) {
      const key = keyOf(creds, "t", creds.token);
      const hit = key ? cache!.get(key) : undefined;
      if (hit) return hit;
      const mark = cache?.mark() ?? 0;
      const found = await resolveApiToken(db, creds.token, { rooms: rooms(creds) });
      if (!found) throw new AppError("unauthorized", "unauthorized");
      const identity: Identity = { user: found.user, via: "token", roomIds: found.roomIds };
      if (key) cache!.put(key, identity, mark);
      return identity;
    }
    const token = sessionTokenOf(creds.cookie);
    // Several session cookies (sessionTokenOf): which one is the person's own cannot be told. Refused,
    // and not taken as a guest either (the guest rules would read the request as nobody's).
    if (token === null) throw new AppError("unauthorized", "unauthorized");
    if (token) {
      const key = keyOf(creds, "s", token);
      const hit = key ? cache!.get(key) : undefined;
      if (hit) return { ...hit, token };
      const mark = cache?.mark() ?? 0;
      const session = await resolveSession(db, token, { renew: creds.renewSession, rooms: rooms(creds) });
      if (session) {
        const identity: Identity = { user: session.user, via: "session", session, roomIds: session.roomIds };
        if (key) cache!.put(key, identity, mark);
        return { ...identity, token };
      }
    }
    let name: string;
    try {
      name = normalizeDisplayName(creds.guestName);
    } catch (err) {
      // Refused in the order of the rules: guest access off first, whatever the name.
      if (!(await guestAccessEnabled(db, deps.guestAccess))) throw new AppError("unauthorized", "unauthorized");
      if (creds.guestName === undefined) throw new AppError("unauthorized", "name is required: pass auth.name");
      throw err;
    }
    const admitted = await admitGuest(db, name, { configured: deps.guestAccess, rooms: rooms(creds) });
    if (!admitted) throw new AppError("unauthorized", "unauthorized");
    return { user: admitted.user, via: "guest", roomIds: admitted.roomIds };
  }
}

/**
 * For `identify(…).catch(nobodyUnlessUnavailable)`: a refused credential is nobody (null), but the
 * server failing to find out (AppError "unavailable") is rethrown, so it is answered 503, not 401.
 */
export function nobodyUnlessUnavailable(err: unknown): null {
  if (isAppError(err) && err.code === "unavailable") throw err;
  return null;
}

export type Identify = ReturnType<typeof createIdentify>;
