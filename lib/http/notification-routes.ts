import { Router } from "express";
import type { Database } from "../db";
import type { Identify } from "../auth/identify";
import type { Limits } from "../limits";
import { chooseLevel, listRoomLevels, roomLevel } from "../notifications/levels";
import { dismissAnnouncement, listAnnouncements } from "../notifications/store";
import { notificationUrl } from "../notifications/notifier";
import type { VapidKeys } from "../push/keys";
import { enqueuePush } from "../push/queue";
import { TEST_PUSH_TEXT } from "../push/strings";
import { getPushSettings, savePushSettings } from "../push/settings";
import { deleteSubscription, findSavedSubscription, relabelSubscription, saveSubscription } from "../push/subscriptions";
import { AppError } from "../errors";
import { parseAllowList } from "../net/address-policy";
import { checkOutboundUrl, OutboundError } from "../net/outbound";
import { identityOf, requireUser } from "./guards";
import { byUser, limitBy } from "./rate-limit";
import { levelSchema, parseBody, pushSettingsSchema, pushSubscriptionSchema, unsubscribeSchema } from "./schemas";

export type NotificationRouteDeps = {
  db: Database;
  identify: Identify;
  keys: VapidKeys;
  /** Subscribing and test pushes are costly (a row, a request to a push service): the `push` row. */
  limits: Limits;
  /** User `userId` changed their level in a room: every instance drops its cached view of that room. */
  onLevelChanged: (roomId: string, userId: string) => void;
  /** Pushes were queued: send them now. */
  onPushQueued: () => void;
  /** The user dismissed announcement `id`: their other open pages (every instance) take its toast away. */
  onAnnouncementDismissed: (userId: string, id: string) => void;
  /** OUTBOUND_ALLOW's `host:port` entries: an endpoint there is taken even at an address the guard refuses. */
  outboundAllow?: string[];
};

/**
 * Per-room notification levels and Web Push subscriptions (contract v2, "Notifications and Web Push"):
 * GET/PUT /api/rooms/:room/notifications, GET /api/push/key, POST/DELETE /api/push/subscriptions, and
 * POST /api/push/test (a push to the caller's own browsers, sent even while they are online), and
 * GET/PUT /api/push/settings `{ whenHidden }` (push also while every tab of theirs is hidden), and
 * GET /api/announcements, DELETE /api/announcements/:id (the caller's announcements not yet dismissed).
 */
export function notificationRoutes(deps: NotificationRouteDeps): Router {
  const { db } = deps;
  const allow = parseAllowList(deps.outboundAllow ?? []);
  const r = Router();
  const user = requireUser(deps.identify);

  r.get("/notifications/levels", user, async (_req, res) => {
    res.json({ rooms: await listRoomLevels(db, identityOf(res).user) });
  });

  r.get("/rooms/:room/notifications", user, async (req, res) => {
    const { level } = await roomLevel(db, identityOf(res).user, req.params.room);
    res.json({ level });
  });

  r.put("/rooms/:room/notifications", user, limitBy(deps.limits, "preferences", byUser), async (req, res) => {
    const me = identityOf(res).user;
    const { room, level } = await chooseLevel(db, me, req.params.room, parseBody(levelSchema, req).level);
    deps.onLevelChanged(room.id, me.id);
    res.json({ level });
  });

  r.get("/announcements", user, async (_req, res) => {
    res.json({ announcements: await listAnnouncements(db, identityOf(res).user.id) });
  });

  r.delete("/announcements/:id", user, async (req, res) => {
    const id = String(req.params.id);
    if (!/^\d{1,18}$/.test(id)) throw new AppError("bad_request", "announcement id must be a string of digits");
    const userId = identityOf(res).user.id;
    if (!(await dismissAnnouncement(db, userId, id))) throw new AppError("not_found", "no such announcement");
    deps.onAnnouncementDismissed(userId, id);
    res.status(204).end();
  });

  // The public key is public by design (browsers pass it to pushManager.subscribe).
  r.get("/push/key", (_req, res) => {
    res.json({ publicKey: deps.keys.publicKey });
  });

  r.post("/push/subscriptions", user, async (req, res) => {
    const { user: me, session } = identityOf(res);
    const sub = parseBody(pushSubscriptionSchema, req);
    // An endpoint the outbound guard will never send to (a loopback or private address, a localhost name)
    // is refused now, not taken and then failed at every push (an outside trial). A name is judged by its
    // addresses at each push, as before.
    try {
      checkOutboundUrl(sub.endpoint, allow);
    } catch (err) {
      if (err instanceof OutboundError && err.code === "blocked") {
        throw new AppError("bad_request", "endpoint is at an address push messages are never sent to", { reason: "push_endpoint_refused" });
      }
      throw err;
    }
    const sessionId = session?.id ?? null;
    // The web client renews its subscription on every visit: one that is stored already costs no point of
    // the `push` row (it subscribes no other browser). A new language for it (the person switched the UI's)
    // is a preference saved: a point of `preferences`, as every other notification setting.
    const saved = await findSavedSubscription(db, me.id, sessionId, sub);
    if (!saved) {
      await deps.limits.take("push", me.id);
      await saveSubscription(db, me.id, sessionId, sub);
    } else if (sub.lang !== undefined && sub.lang !== saved.lang) {
      await deps.limits.take("preferences", me.id);
      await relabelSubscription(db, saved.id, sub.lang);
    }
    res.status(201).json({});
  });

  r.delete("/push/subscriptions", user, async (req, res) => {
    await deleteSubscription(db, identityOf(res).user.id, parseBody(unsubscribeSchema, req).endpoint);
    res.status(204).end();
  });

  r.get("/push/settings", user, async (_req, res) => {
    res.json(await getPushSettings(db, identityOf(res).user.id));
  });

  r.put("/push/settings", user, limitBy(deps.limits, "preferences", byUser), async (req, res) => {
    const settings = parseBody(pushSettingsSchema, req);
    res.json(await savePushSettings(db, identityOf(res).user.id, settings));
  });

  r.post("/push/test", user, async (_req, res) => {
    const me = identityOf(res).user;
    await deps.limits.take("push", me.id);
    const queued = await enqueuePush(db, [me.id], { type: "test", message: TEST_PUSH_TEXT.en, url: notificationUrl() }, "high", { always: true, localized: TEST_PUSH_TEXT });
    if (queued === 0) throw new AppError("not_found", "this account has no push subscription yet", { reason: "no_push_subscription" });
    deps.onPushQueued();
    res.status(202).json({ queued });
  });

  return r;
}
