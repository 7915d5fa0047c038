import type { Database } from "../db";
import type { Logger } from "../log";
import type { Attention } from "../realtime/attention";
import type { VapidKeys } from "./keys";
import { claimPushes, finishPush, retryPush, type PushJob } from "./queue";
import { dropSubscription } from "./subscriptions";

/**
 * What the sender needs from the outbound guard (lib/net/outbound.ts `OutboundFetch`): one HTTP request to
 * a user-supplied URL. Throws an error whose `code` is "blocked" or "bad_url" when the guard refuses the
 * address, another code for timeouts and network failures.
 */
export type OutboundSend = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: Uint8Array; maxRedirects: number; maxBytes: number; timeoutMs: number },
) => Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>;

let webPush: typeof import("web-push") | undefined;
/** web-push (RFC 8291 encryption, RFC 8292 VAPID), loaded by the first push rather than at every start. */
const loadWebPush = () => (webPush ??= require("web-push") as typeof import("web-push"));

type ResponseHeaders = Record<string, string | string[] | undefined>;

export type PushSenderOptions = {
  db: Database;
  log: Logger;
  keys: VapidKeys;
  /** VAPID `sub` claim (RFC 8292 §2.1): a mailto: or https: contact for the push services. */
  subject: string;
  /** Every request goes through the outbound guard (push endpoints are user-supplied URLs). */
  send: OutboundSend;
  /**
   * How the person's live connections anywhere in the cluster show the app (lib/realtime/attention.ts):
   * with a visible tab they see the toast instead; with every tab hidden they get the push only if they
   * chose to (`PushJob.whenHidden`); with no connection they always get it.
   */
  attention: (userId: string) => Promise<Attention>;
  /** How long a push service keeps an undelivered push (RFC 8030 §5.2 TTL), in seconds. */
  ttlSeconds?: number;
  /** How often the queue is polled when nothing kicked it, in ms. */
  pollMs?: number;
  /** Attempts before a push that keeps failing with 429/5xx is dropped. */
  maxAttempts?: number;
  /** First retry delay in ms; doubled per attempt (with jitter), or the service's Retry-After. */
  retryBaseMs?: number;
};

/**
 * Whether a person whose connections show `attention` gets a push (issue #15: "sent only when the person
 * has no live connection, or, opt-in, when all their tabs are hidden").
 */
export function wantsPush(attention: Attention, whenHidden: boolean): boolean {
  return attention === "none" || (attention === "hidden" && whenHidden);
}

/** Pushes sent at once by one instance. */
const CONCURRENCY = 32;
/** How long one push may take, answer included (the outbound guard's default deadline, docs/protocol.md). */
const PUSH_TIMEOUT_MS = 5000;
/** A claimed push is not due again for this long (far beyond PUSH_TIMEOUT_MS: only a dead sender lets it lapse). */
const LEASE_MS = 60_000;

/**
 * Sends queued Web Pushes (RFC 8030) with RFC 8291 aes128gcm payloads and RFC 8292 VAPID, outside the
 * message path: notifications enqueue, this loop sends. Any instance may run it; claims keep two from
 * sending the same push. 404/410 drop the subscription; 429/5xx retry with backoff; a refusal by the
 * outbound guard or any other 4xx drops the push. `kick()` asks for a prompt pass after an enqueue.
 */
export function createPushSender(opts: PushSenderOptions) {
  const { db, log } = opts;
  const ttl = opts.ttlSeconds ?? 24 * 3600;
  const maxAttempts = opts.maxAttempts ?? 5;
  const retryBaseMs = opts.retryBaseMs ?? 5000;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  function retryDelay(job: PushJob, headers?: ResponseHeaders): number {
    const after = Number(headers?.["retry-after"]);
    if (Number.isFinite(after) && after > 0) return Math.min(after, 3600) * 1000;
    const base = retryBaseMs * 2 ** (job.attempts - 1);
    return base / 2 + Math.random() * base;
  }

  async function deliver(job: PushJob): Promise<void> {
    if (!job.always && !wantsPush(await opts.attention(job.userId), job.whenHidden)) return finishPush(db, job.id);
    let request: ReturnType<typeof import("web-push").generateRequestDetails>;
    try {
      request = loadWebPush().generateRequestDetails({ endpoint: job.endpoint, keys: { p256dh: job.p256dh, auth: job.auth } }, job.payload, {
        vapidDetails: { subject: opts.subject, publicKey: opts.keys.publicKey, privateKey: opts.keys.privateKey },
        TTL: ttl,
        urgency: job.urgency,
        contentEncoding: "aes128gcm",
      });
    } catch (err) {
      // The RFC 8291 encryption refused the subscription's keys (a p256dh off the curve, stored before
      // subscriptions were checked for it): no push to it can ever be sent.
      log.warn({ subscriptionId: job.subscriptionId, reason: (err as Error).message }, "push subscription has unusable keys; removed");
      return dropSubscription(db, job.subscriptionId);
    }
    let res: { status: number; headers: ResponseHeaders };
    try {
      // A push service answers 201 with no body; it never redirects (RFC 8030 §5).
      res = await opts.send(request.endpoint, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: request.body as Buffer,
        maxRedirects: 0,
        maxBytes: 64 * 1024,
        timeoutMs: PUSH_TIMEOUT_MS,
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "blocked" || code === "bad_url") {
        log.warn({ subscriptionId: job.subscriptionId, reason: (err as Error).message }, "push endpoint refused by the outbound guard");
        return finishPush(db, job.id);
      }
      return retryOrDrop(job, undefined, (err as Error).message);
    }
    if (res.status >= 200 && res.status < 300) return finishPush(db, job.id);
    if (res.status === 404 || res.status === 410) {
      log.info({ subscriptionId: job.subscriptionId, status: res.status }, "push subscription is gone; removed");
      return dropSubscription(db, job.subscriptionId);
    }
    if (res.status === 429 || res.status >= 500) return retryOrDrop(job, res.headers, `status ${res.status}`);
    log.warn({ subscriptionId: job.subscriptionId, status: res.status }, "push service refused the push");
    return finishPush(db, job.id);
  }

  async function retryOrDrop(job: PushJob, headers: ResponseHeaders | undefined, reason: string) {
    if (job.attempts >= maxAttempts) {
      log.warn({ subscriptionId: job.subscriptionId, attempts: job.attempts, reason }, "push dropped after repeated failures");
      return finishPush(db, job.id);
    }
    const delay = retryDelay(job, headers);
    log.debug({ subscriptionId: job.subscriptionId, attempts: job.attempts, reason, delay }, "push will be retried");
    return retryPush(db, job.id, delay);
  }

  /** One push, whatever happens: an unexpected failure counts as a failed attempt, never a lost lease. */
  async function attempt(job: PushJob): Promise<void> {
    try {
      await deliver(job);
    } catch (err) {
      log.error({ err, pushId: job.id }, "push failed");
      await retryOrDrop(job, undefined, (err as Error).message).catch((e: unknown) => log.error({ err: e, pushId: job.id }, "push could not be rescheduled"));
    }
  }

  // Pushes in flight, each ended by its own answer or PUSH_TIMEOUT_MS: a slow or silent endpoint holds
  // one slot, never the pushes of anyone else (they are claimed as soon as a slot is free or a kick says
  // there are new ones).
  const inFlight = new Set<Promise<void>>();
  let wake: (() => void) | undefined;

  async function drain() {
    for (;;) {
      again = false;
      const free = stopped ? 0 : CONCURRENCY - inFlight.size;
      const jobs = free > 0 ? await claimPushes(db, free, LEASE_MS) : [];
      for (const job of jobs) {
        const p: Promise<void> = attempt(job).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (inFlight.size === 0) {
        if (again && !stopped) continue;
        return;
      }
      // A kick queued more while a slot is free: claim again at once; else wait for a slot or a kick.
      if (!stopped && again && inFlight.size < CONCURRENCY) continue;
      await Promise.race([...inFlight, new Promise<void>((resolve) => (wake = resolve))]);
      wake = undefined;
    }
  }

  function kick() {
    if (stopped) return;
    if (running) {
      again = true;
      wake?.();
      return;
    }
    running = drain()
      .catch((err: unknown) => log.error({ err }, "push queue pass failed"))
      .finally(() => (running = undefined));
  }

  const timer = setInterval(kick, opts.pollMs ?? 1000);
  timer.unref();

  return {
    kick,
    /** Stops polling and waits for the pass in progress. */
    async stop() {
      stopped = true;
      clearInterval(timer);
      wake?.();
      await running;
    },
  };
}

export type PushSender = ReturnType<typeof createPushSender>;
