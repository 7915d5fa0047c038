import { Router, type Request } from "express";
import type { Database } from "../db";
import { createBot, getJoinCode, guestAccessEnabled, holdAdministrator, resetPassword, rotateBotToken, rotateJoinCode, setAdmin, setDeactivated } from "../auth/accounts";
import { listAccountsAndBots, listGuests } from "../chat/users";
import type { Identify } from "../auth/identify";
import { setSetting } from "../auth/settings";
import { AppError } from "../errors";
import type { Limits } from "../limits";
import { cleanMessageText } from "../text/rules";
import { adminSettingsSchema, announcementSchema, nameSchema, parseBody } from "./schemas";
import type { Notifier } from "../notifications/notifier";
import { identityOf, requireAdmin } from "./guards";
import { byUser, limitBy } from "./rate-limit";

export type AdminRouteDeps = {
  db: Database;
  identify: Identify;
  guestAccess?: boolean;
  notifier: Notifier;
  limits: Limits;
  /** Closes every live connection of a deactivated user. */
  onBan: (userId: string) => void;
  /** Closes every live guest connection (the guest switch went off). */
  onGuestsDisabled: () => void;
  /** Closes every live connection of a user whose rights changed (the admin role given or taken away): they come back with the new ones. */
  onRightsRevoked: (userId: string) => void;
  /** A session ended (its account's password was reset): its sockets and streams close on every instance. */
  /** A session ended; `reason` when it was not a plain sign-out (an admin's password reset). */
  onSessionEnded: (sessionId: string, reason?: "password_reset") => void;
};

/** The most guests `GET /guests` lists (those seen most recently). */
export const GUEST_LIST_MAX = 200;

const joinUrl = (req: Request, code: string) => `${req.protocol}://${req.get("host")}/join/${code}`;

/** Admin-only: join link, bots, users (deactivate = ban), guests, guest access switch. */
export function adminRoutes(deps: AdminRouteDeps): Router {
  const { db, limits } = deps;
  const r = Router();
  r.use(requireAdmin(deps.identify));

  r.get("/join-code", async (req, res) => {
    const code = await getJoinCode(db);
    res.json({ code, url: joinUrl(req, code) });
  });

  // Changes are made by one still an administrator when they are made (holdAdministrator, in the change's
  // transaction): a request that arrived before its author was demoted or deactivated, and waited, is refused.
  r.post("/join-code", limitBy(limits, "rotate-join-code", byUser), async (req, res) => {
    const code = await db.transaction(async (tx) => {
      await holdAdministrator(tx, identityOf(res).user);
      return rotateJoinCode(tx);
    });
    res.json({ code, url: joinUrl(req, code) });
  });

  r.post("/bots", limitBy(limits, "create-bot", byUser), async (req, res) => {
    const { user, token } = await createBot(db, parseBody(nameSchema, req).name, identityOf(res).user);
    res.status(201).json({ name: user.name, token });
  });

  r.get("/users", async (_req, res) => {
    const users = await listAccountsAndBots(db);
    res.json({ users: users.map((u) => ({ name: u.name, kind: u.kind, admin: u.admin, deactivated: u.deactivated })) });
  });

  // Guests are not in /users (an open server has them by the hundred); one is banned by
  // POST /guests/:name/deactivate (below), a guest's name only.
  r.get("/guests", async (_req, res) => {
    res.json({ guests: await listGuests(db, GUEST_LIST_MAX) });
  });

  r.post("/users/:name/reset-password", async (req, res) => {
    const actor = identityOf(res).user;
    // argon2 per call: the `password-change` row, per admin.
    await limits.take("password-change", actor.id);
    const { user, password, ended } = await resetPassword(db, actor, req.params.name);
    // Its sessions end, each told why (`session-ended` "password_reset": an admin did it, not a sign-out).
    for (const sessionId of ended) deps.onSessionEnded(sessionId, "password_reset");
    res.json({ user: { name: user.name, kind: user.kind, admin: user.admin, deactivated: user.deactivated }, password });
  });

  // A bot's leaked token: a new one in its place; the bot's connections (identified by the old one) close.
  r.post("/users/:name/reset-token", limitBy(limits, "create-bot", byUser), async (req, res) => {
    const { user, token } = await rotateBotToken(db, identityOf(res).user, req.params.name);
    deps.onRightsRevoked(user.id);
    res.json({ user: { name: user.name, kind: user.kind, admin: user.admin, deactivated: user.deactivated }, token });
  });

  // The guest list's Ban and Lift ban: a guest's only. One by name through /users/:name/deactivate would
  // hit whoever holds the name now, an account that took a listed guest's name since the list was read.
  r.post("/guests/:name/:action", async (req, res) => {
    const action = req.params.action;
    if (action !== "deactivate" && action !== "activate") throw new AppError("not_found", "no such endpoint");
    const user = await setDeactivated(db, identityOf(res).user, req.params.name, action === "deactivate", "guest");
    if (user.deactivated) deps.onBan(user.id);
    res.json({ user: { name: user.name, kind: user.kind, admin: user.admin, deactivated: user.deactivated } });
  });

  r.post("/users/:name/:action", async (req, res) => {
    const action = req.params.action;
    let user;
    if (action === "promote" || action === "demote") {
      user = await setAdmin(db, identityOf(res).user, req.params.name, action === "promote");
      // The connections hold the role they connected with: a demoted admin's always close (a promotion
      // racing this one may have let them come back with it), and a new admin's, whose open pages come
      // back at once with the role (`session`'s `admin`).
      if (!user.admin || user.changed) deps.onRightsRevoked(user.id);
    } else if (action === "deactivate" || action === "activate") {
      user = await setDeactivated(db, identityOf(res).user, req.params.name, action === "deactivate");
      if (user.deactivated) deps.onBan(user.id);
    } else throw new AppError("not_found", "no such endpoint");
    res.json({ user: { name: user.name, kind: user.kind, admin: user.admin, deactivated: user.deactivated } });
  });

  r.post("/announcements", limitBy(limits, "announce", byUser), async (req, res) => {
    const message = cleanMessageText(parseBody(announcementSchema, req).message, 2000);
    await deps.notifier.announce(message, identityOf(res).user);
    res.status(202).json({});
  });

  r.get("/settings", async (_req, res) => {
    res.json({ guestAccess: await guestAccessEnabled(db, deps.guestAccess) });
  });

  r.put("/settings", async (req, res) => {
    const { guestAccess } = parseBody(adminSettingsSchema, req);
    await db.transaction(async (tx) => {
      await holdAdministrator(tx, identityOf(res).user);
      await setSetting(tx, "guest_access", String(guestAccess));
    });
    if (!guestAccess) deps.onGuestsDisabled();
    res.json({ guestAccess });
  });

  return r;
}
