import type { Queryable } from "../db";
import { AppError } from "../errors";

/** A browser's push subscription as PushSubscription.toJSON() gives it (RFC 8030 endpoint, RFC 8291 keys). */
export type PushSubscriptionInput = { endpoint: string; keys: { p256dh: string; auth: string } };
export type StoredSubscription = PushSubscriptionInput & { id: string; userId: string };

const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/**
 * Checks a subscription's shape: an absolute http(s) endpoint (at most 2,048 characters; whether it may
 * be reached is the outbound guard's decision when a push is sent), a P-256 public key (65 bytes
 * uncompressed) and a 16-byte auth secret, both base64url (RFC 8291 §3). `bad_request` otherwise.
 */
export function checkSubscription(raw: unknown): PushSubscriptionInput {
  const s = raw as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } } | null;
  if (!s || typeof s !== "object") throw new AppError("bad_request", "subscription must be an object");
  const endpoint = checkEndpoint(s.endpoint);
  const { p256dh, auth } = s.keys ?? {};
  if (typeof p256dh !== "string" || !B64URL.test(p256dh) || Buffer.from(p256dh, "base64url").length !== 65) {
    throw new AppError("bad_request", "keys.p256dh must be a base64url P-256 public key");
  }
  if (typeof auth !== "string" || !B64URL.test(auth) || Buffer.from(auth, "base64url").length !== 16) {
    throw new AppError("bad_request", "keys.auth must be a base64url 16-byte secret");
  }
  return { endpoint, keys: { p256dh, auth } };
}

/**
 * A push endpoint as stored: an absolute http(s) URL of at most 2,048 characters, in the WHATWG URL
 * serialisation (so subscribing and unsubscribing the same endpoint compare equal, and nothing the
 * database refuses, such as NUL, reaches it). `bad_request` otherwise.
 */
export function checkEndpoint(raw: unknown): string {
  if (typeof raw !== "string" || raw.length > 2048) throw new AppError("bad_request", "endpoint must be a URL");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("bad_request", "endpoint must be a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AppError("bad_request", "endpoint must be an http(s) URL");
  return url.toString();
}

/** At most this many browsers per person; subscribing another replaces the oldest. */
export const MAX_SUBSCRIPTIONS_PER_USER = 10;

/**
 * Stores (or moves to `userId`) a browser's subscription. An endpoint is one browser profile: if it was
 * someone else's (the browser changed hands), it is now this user's only.
 */
export async function saveSubscription(db: Queryable, userId: string, sub: PushSubscriptionInput): Promise<void> {
  await db.query(
    `insert into push_subscriptions (user_id, endpoint, p256dh, auth) values ($1, $2, $3, $4)
     on conflict (endpoint) do update set user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, created_at = now()`,
    [userId, sub.endpoint, sub.keys.p256dh, sub.keys.auth],
  );
  await db.query(
    `delete from push_subscriptions where id in (
       select id from push_subscriptions where user_id = $1 order by created_at desc, id desc offset $2)`,
    [userId, MAX_SUBSCRIPTIONS_PER_USER],
  );
}

/** Removes the caller's subscription for `endpoint` (nothing happens for someone else's). */
export async function deleteSubscription(db: Queryable, userId: string, endpoint: string): Promise<void> {
  await db.query("delete from push_subscriptions where user_id = $1 and endpoint = $2", [userId, endpoint]);
}

/** Drops a subscription the push service said is gone (404/410). */
export async function dropSubscription(db: Queryable, id: string): Promise<void> {
  await db.query("delete from push_subscriptions where id = $1", [id]);
}

/** How many browsers `userId` has subscribed. */
export async function countSubscriptions(db: Queryable, userId: string): Promise<number> {
  const [row] = await db.query<{ n: string }>("select count(*)::text as n from push_subscriptions where user_id = $1", [userId]);
  return Number(row.n);
}
