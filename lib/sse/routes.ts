import { Router, type Request, type Response } from "express";
import type { Database } from "../db";
import type { EventBus } from "../events/bus";
import type { Identify, Identity } from "../auth/identify";
import type { LogHub, LogRecord } from "../log-hub";
import type { Logger } from "../log";
import { listNotificationsAfter, latestNotificationId } from "../notifications/store";
import { bearerToken, identifyRequest } from "../http/guards";
import { crossSiteRefusal } from "../http/origin";
import { lastEventId, openSse, type SseStream } from "./stream";
import type { SessionEndReason } from "../realtime/events";

export type SseDeps = {
  db: Database;
  bus: EventBus;
  identify: Identify;
  logHub: LogHub;
  log: Logger;
  heartbeatMs: number;
  /** Streams one user may hold open at once on this instance (MAX_SSE_STREAMS_PER_USER). */
  maxStreamsPerUser: number;
  /** CORS_ORIGINS: browser origins besides the server's own that may open a stream. */
  corsOrigins: string[];
};

/** Open streams by session and by user, so sign-out and bans can close them. */
export class StreamRegistry {
  private streams = new Set<{ stream: SseStream; identity: Identity }>();
  add(stream: SseStream, identity: Identity) {
    const entry = { stream, identity };
    this.streams.add(entry);
    stream.onClose(() => this.streams.delete(entry));
  }
  /**
   * Closes the streams of session `sessionId`. With `ended` (the session is over: signed out, a new
   * password, ...), each is told first why, as a `session-ended` event `{ reason }` without an id (an event
   * without one leaves the client's Last-Event-ID as it was), like Socket.IO's `session-ended`.
   */
  closeSession(sessionId: string, ended?: SessionEndReason) {
    for (const e of [...this.streams]) if (e.identity.session?.id === sessionId) this.end(e.stream, ended);
  }
  /** Closes the streams of user `userId` (a ban, with `ended`: "account_deactivated"; a right taken away, without), as closeSession. */
  closeUser(userId: string, ended?: SessionEndReason) {
    for (const e of [...this.streams]) if (e.identity.user.id === userId) this.end(e.stream, ended);
  }
  private end(stream: SseStream, ended?: SessionEndReason) {
    if (ended) stream.send({ event: "session-ended", data: { reason: ended } });
    stream.close();
  }
  /** Streams `userId` has open on this instance. */
  countUser(userId: string) {
    let n = 0;
    for (const e of this.streams) if (e.identity.user.id === userId) n++;
    return n;
  }
  closeAll() {
    for (const e of [...this.streams]) e.stream.close();
  }
  get size() {
    return this.streams.size;
  }
}

/**
 * The caller of a stream request made from an allowed page, or null (answered): `403` when a page of
 * another origin or site asks (see crossSiteRefusal: such a page could otherwise hold the victim's
 * streams, up to MAX_SSE_STREAMS_PER_USER, with the cookie its request carries), `401` without an account
 * or a bot token.
 */
async function signedIn(deps: SseDeps, req: Request, res: Response): Promise<Identity | null> {
  const refusal = crossSiteRefusal(req, deps.corsOrigins, req.protocol);
  if (refusal !== undefined) {
    res.status(403).json({ error: { code: "forbidden", message: refusal } });
    return null;
  }
  const identity = await identifyRequest(deps.identify, req, res);
  if (!identity || identity.via === "guest") {
    res.status(401).json({ error: { code: "unauthorized", message: "sign in, or send Authorization: Bearer <token>" } });
    return null;
  }
  return identity;
}

/**
 * Whether the caller of a stream is still who `identity` says (the same account through the same
 * session or token, active, and an admin when `admin` is asked), read again after the stream was
 * registered. `identity` was read before: sign-out, "sign out other sessions", a ban or a lost admin
 * role close the streams registered when it is announced, which happens after its commit, so one that
 * committed between that read and the registration found no stream to close, and the stream would
 * have gone on (a signed-out session's notifications, the live log to a former admin). A change
 * committed before this read is seen here; one committed after it finds the stream registered.
 */
async function stillSignedIn(deps: SseDeps, req: Request, identity: Identity, opts: { admin?: boolean } = {}): Promise<boolean> {
  const now = await deps.identify({ cookie: req.headers.cookie, token: bearerToken(req) }).catch(() => null);
  if (!now || now.via !== identity.via || now.user.id !== identity.user.id || now.session?.id !== identity.session?.id) return false;
  return !opts.admin || now.user.admin;
}

/**
 * Answers 429 and returns true when the user already holds MAX_SSE_STREAMS_PER_USER streams. Call it
 * right before opening and registering the stream, with no await in between, so parallel requests
 * cannot all pass the count.
 */
function overCap(deps: SseDeps, registry: StreamRegistry, identity: Identity, res: Response): boolean {
  if (registry.countUser(identity.user.id) < deps.maxStreamsPerUser) return false;
  const message = `too many open streams (at most ${deps.maxStreamsPerUser} per user); close one first`;
  res.status(429).json({ error: { code: "rate_limited", message } });
  return true;
}

/** GET /notifications/stream and GET /admin/logs/stream. */
export function sseRoutes(deps: SseDeps, registry: StreamRegistry): Router {
  const r = Router();

  r.get("/notifications/stream", async (req, res) => {
    const identity = await signedIn(deps, req, res);
    if (!identity) return;
    const after = lastEventId(req);
    // The stream's position is fixed before its response starts: a client that has the headers may rely
    // on every notification stored from then on reaching it. (Read after the headers, a notification
    // stored in between counted as older than the stream and was never sent.)
    let start: string;
    try {
      start = after ?? (await latestNotificationId(deps.db, identity.user.id));
    } catch (err) {
      deps.log.error({ err, module: "sse" }, "could not open a notification stream");
      res.status(503).json({ error: { code: "internal", message: "could not open the notification stream; try again" } });
      return;
    }
    // A client gone while the position was read gets nothing (its close event has already passed).
    if (req.socket.destroyed || overCap(deps, registry, identity, res)) return;
    const stream = openSse(req, res, { heartbeatMs: deps.heartbeatMs });
    registry.add(stream, identity);
    if (!(await stillSignedIn(deps, req, identity))) return stream.close();
    // The stream sends what the database holds after the last id it sent, in id order, and a bus event
    // only says "look again": events of several instances (or of transactions that commit out of id
    // order) arrive in any order, and sending the event itself would either skip an older one that
    // arrives later or send it behind a newer id, which Last-Event-ID could not resume from. A person's
    // notifications commit in id order (storeNotifications), so nothing older can still appear. The
    // first read (below) covers what was stored between fixing the position and subscribing.
    let sentUpTo = start;
    const failed = (err: unknown, id: string) => {
      deps.log.error({ err, module: "sse" }, "notification replay failed");
      stream.send({ event: "error", id, data: { message: "could not replay missed notifications; reconnect to retry" } });
    };
    let reading = false;
    let again = false;
    // One read at a time; a wake-up during a read makes it read once more. `reading` is cleared in the
    // same turn as the last check of `again`, so no wake-up falls between them.
    const pump = () => {
      if (stream.closed) return;
      again = true;
      if (reading) return;
      reading = true;
      void (async () => {
        try {
          while (again && !stream.closed) {
            again = false;
            for (const n of await listNotificationsAfter(deps.db, identity.user.id, sentUpTo)) {
              if (BigInt(n.id) <= BigInt(sentUpTo)) continue;
              sentUpTo = n.id;
              stream.send({ id: n.id, data: n });
            }
          }
        } catch (err) {
          // Tried again at the next notification (or by reconnecting).
          failed(err, sentUpTo);
        } finally {
          reading = false;
        }
      })();
    };
    const unsubscribe = deps.bus.subscribe((e) => {
      if (e.type === "notification" && e.userId === identity.user.id) pump();
      // Not a notification: its `id:` is the last one this stream sent (every event has one, CONTRACT.md
      // "SSE"), so Last-Event-ID stays where it was; a dismissal is not replayed anyway.
      if ((e.type === "announcement-dismissed" || e.type === "notification-withdrawn") && e.userId === identity.user.id) {
        stream.send({ event: "dismissed", id: sentUpTo, data: { id: e.id } });
      }
    });
    stream.onClose(unsubscribe);
    stream.send({ id: start, data: { type: "connected" } });
    pump();
  });

  r.get("/admin/logs/stream", async (req, res) => {
    const identity = await signedIn(deps, req, res);
    if (!identity) return;
    if (!identity.user.admin) {
      res.status(403).json({ error: { code: "forbidden", message: "admins only" } });
      return;
    }
    if (overCap(deps, registry, identity, res)) return;
    const stream = openSse(req, res, { heartbeatMs: deps.heartbeatMs });
    registry.add(stream, identity);
    if (!(await stillSignedIn(deps, req, identity, { admin: true }))) return stream.close();
    const send = (rec: LogRecord) => stream.send({ event: rec.level, id: rec.id, data: rec });
    const backlog = deps.logHub.since(lastEventId(req));
    // `level`: the lowest level that reaches this stream (LOG_LEVEL and LOG_STREAM_LEVEL), so the viewer
    // can say why the levels below it stay empty.
    stream.send({ id: backlog.at(-1)?.id ?? lastEventId(req) ?? "0", data: { type: "connected", level: deps.logHub.level } });
    for (const rec of backlog) send(rec);
    stream.onClose(deps.logHub.subscribe(send));
  });

  return r;
}
