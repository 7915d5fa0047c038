import { Router } from "express";
import type { Database } from "../db";
import { authenticate, guestAccessEnabled, joinWithCode, needsSetup, setupFirstAdmin } from "../auth/accounts";
import type { Identify } from "../auth/identify";
import { createSession, deleteSession } from "../auth/sessions";
import type { User } from "../chat/users";
import { AppError } from "../errors";
import { consume, isBlocked, type Limits } from "../limits";
import { nameKey } from "../chat/names";
import { identifyRequest } from "./guards";
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

const me = (u: User) => ({ name: u.name, admin: u.admin, kind: u.kind });

/** First run, sign-in, sign-out and the join link. */
export function authRoutes(deps: AuthRouteDeps): Router {
  const { db } = deps;
  const r = Router();

  const startSession = async (req: Parameters<typeof setSessionCookie>[0], res: Parameters<typeof setSessionCookie>[1], user: User) => {
    const session = await createSession(db, user.id);
    setSessionCookie(req, res, session.token, session.expiresAt);
  };

  r.get("/session", async (req, res) => {
    const identity = await identifyRequest(deps.identify, req, res);
    res.json({
      user: identity && identity.via !== "guest" ? me(identity.user) : null,
      setupRequired: await needsSetup(db),
      guestAccess: await guestAccessEnabled(db, deps.guestAccess),
    });
  });

  r.post("/setup", async (req, res) => {
    const { user, retiredGuestId } = await setupFirstAdmin(db, req.body ?? {});
    if (retiredGuestId) deps.onRightsRevoked(retiredGuestId);
    if (!(await guestAccessEnabled(db, deps.guestAccess))) deps.onGuestsDisabled();
    await startSession(req, res, user);
    res.status(201).json({ user: me(user) });
  });

  r.post("/session", async (req, res) => {
    const body = req.body ?? {};
    const ip = req.ip ?? "unknown";
    const key = typeof body.name === "string" ? nameKey(body.name.trim()).slice(0, 64) : "";
    const wait = Math.max(await isBlocked(deps.limits.loginByIp, ip), await isBlocked(deps.limits.loginByName, key));
    if (wait > 0) {
      res.setHeader("Retry-After", String(Math.ceil(wait / 1000)));
      throw new AppError("rate_limited", `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`);
    }
    let user: User;
    try {
      user = await authenticate(db, body);
    } catch (err) {
      if (err instanceof AppError && err.code === "unauthorized") {
        await Promise.allSettled([consume(deps.limits.loginByIp, ip, "sign-ins"), consume(deps.limits.loginByName, key, "sign-ins")]);
      }
      throw err;
    }
    await deps.limits.loginByName.delete(key);
    await startSession(req, res, user);
    res.json({ user: me(user) });
  });

  r.delete("/session", async (req, res) => {
    const identity = await deps.identify({ cookie: req.headers.cookie }).catch(() => null);
    if (identity?.session) {
      await deleteSession(db, identity.session.id);
      deps.onSignOut(identity.session.id);
    }
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  r.post("/join/:code", async (req, res) => {
    const { user, retiredGuestId } = await joinWithCode(db, String(req.params.code), req.body ?? {});
    if (retiredGuestId) deps.onRightsRevoked(retiredGuestId);
    await startSession(req, res, user);
    res.status(201).json({ user: me(user) });
  });

  return r;
}
