import { Router } from "express";
import type { Database } from "../db";
import { authenticate, guestAccessEnabled, joinWithCode, setupFirstAdmin, wrongCredentials } from "../auth/accounts";
import { nobodyUnlessUnavailable, type Identify } from "../auth/identify";
import { describeSession } from "../auth/session-info";
import { createSession, deleteSession } from "../auth/sessions";
import type { User } from "../chat/users";
import { AppError } from "../errors";
import type { Limits } from "../limits";
import { signInLimits } from "../auth/sign-in-limits";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S, deviceCookies } from "../auth/device-cookies";
import { parse as parseCookie } from "cookie";
import { nameKey } from "../chat/names";
import { identifyRequest } from "./guards";
import { credentialsSchema, parseBody, signInSchema } from "./schemas";
import { byIp, limitBy } from "./rate-limit";
import { clearSessionCookie, setSessionCookie } from "./session-cookie";

export type AuthRouteDeps = {
  db: Database;
  identify: Identify;
  limits: Limits;
  guestAccess?: boolean;
  /** Closes the live connections of a signed-out session. */
  onSignOut: (sessionId: string) => void;
  /** Closes every live connection of a user who lost a right (a guest whose name became an account). */
  onRightsRevoked: (userId: string) => void;
  /** Closes every live guest connection (guest access went off, e.g. at setup when nothing turned it on). */
  onGuestsDisabled: () => void;
};

const me = (u: User) => ({ id: u.id, name: u.name, admin: u.admin, kind: u.kind });

/** First run, sign-in, sign-out and the join link. */
export function authRoutes(deps: AuthRouteDeps): Router {
  const { db, limits } = deps;
  const r = Router();
  const signIns = signInLimits(limits);
  const devices = deviceCookies(db);

  /**
   * Signs `user` in on this browser: a session, and a device cookie for the account, which lets this
   * browser in while the account is locked for others (sign-in-limits.ts): `known`, the one the browser
   * presented when it was valid for the account (kept, its year renewed: signing in again does not make a
   * new device), else a new one. Only the sign-in route reads it; it outlives signing out.
   */
  const startSession = async (req: Parameters<typeof setSessionCookie>[0], res: Parameters<typeof setSessionCookie>[1], user: User, known?: string) => {
    const session = await createSession(db, user.id);
    setSessionCookie(req, res, session.token, session.expiresAt);
    const device = known ?? (await devices.issue(user.id).catch(() => null));
    if (device) res.cookie(DEVICE_COOKIE, device, { httpOnly: true, sameSite: "strict", secure: req.secure, path: "/api/session", maxAge: DEVICE_COOKIE_MAX_AGE_S * 1000 });
  };

  r.get("/session", async (req, res) => {
    const identity = await identifyRequest(deps.identify, req, res);
    res.json(await describeSession(db, identity, deps.guestAccess));
  });

  r.post("/setup", limitBy(limits, "setup", byIp), async (req, res) => {
    const { user, retiredGuestIds } = await setupFirstAdmin(db, parseBody(credentialsSchema, req));
    for (const id of retiredGuestIds) deps.onRightsRevoked(id);
    if (!(await guestAccessEnabled(db, deps.guestAccess))) deps.onGuestsDisabled();
    await startSession(req, res, user);
    res.status(201).json({ user: me(user) });
  });

  r.post("/session", async (req, res) => {
    const ip = byIp(req);
    // The limiter's key is the name as sent, even in a body that is refused below (that counts as a failure).
    const sent: unknown = req.body?.name;
    const name = typeof sent === "string" ? nameKey(sent.normalize("NFC").trim()).slice(0, 64) : "";
    // A browser that signed in to this account before (its device cookie) is counted apart from others,
    // its attempts too: whoever shares its address (an office NAT, a proxy not trusted) cannot use up its turn.
    const presented = parseCookie(req.headers.cookie ?? "")[DEVICE_COOKIE];
    const device = await devices.verify(presented, name).catch(() => null);
    await limits.take(device === null ? "sign-in" : "sign-in-device", ip);
    const attempt = await signIns.reserve(name, ip, device);
    let user: User;
    try {
      user = await authenticate(db, parseBody(signInSchema, req, wrongCredentials));
    } catch (err) {
      await (err instanceof AppError && err.code === "unauthorized" ? attempt.failed() : attempt.abandoned());
      throw err;
    }
    await attempt.succeeded();
    await startSession(req, res, user, device !== null ? presented : undefined);
    res.json({ user: me(user) });
  });

  r.delete("/session", async (req, res) => {
    // The database not answering is 503: a cookie cleared while its session stays live is no sign-out.
    const identity = await deps.identify({ cookie: req.headers.cookie }).catch(nobodyUnlessUnavailable);
    if (identity?.session) {
      await deleteSession(db, identity.session.id);
      deps.onSignOut(identity.session.id);
    }
    clearSessionCookie(req, res);
    // Files are kept by the browser for good (they never change, see file-routes.ts): on a shared
    // computer the next person would find a private room's pictures in the cache. Signing out empties
    // this site's HTTP cache (W3C Clear Site Data; browsers honour it on https and localhost).
    res.setHeader("Clear-Site-Data", '"cache"');
    res.status(204).end();
  });

  r.post("/join/:code", limitBy(limits, "join", byIp), async (req, res) => {
    const credentials = parseBody(credentialsSchema, req);
    const { user, retiredGuestIds } = await joinWithCode(db, String(req.params.code), credentials);
    for (const id of retiredGuestIds) deps.onRightsRevoked(id);
    await startSession(req, res, user);
    res.status(201).json({ user: me(user) });
  });

  return r;
}
