import { ECDH } from "node:crypto";
import { z } from "zod";
import type { Queryable } from "../db";
import { AppError } from "../errors";
import { PUSH_LANGS } from "./strings";

/** How the key material of a subscription is written: base64url (RFC 4648 §5), padding allowed. */
const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const keyBytes = (bytes: number, message: string, valid: (key: Buffer) => boolean = () => true) =>
  z.string({ error: message }).refine((s) => {
    if (!B64URL.test(s)) return false;
    const key = Buffer.from(s, "base64url");
    return key.length === bytes && valid(key);
  }, message);

/**
 * Whether `bytes` is a P-256 public key as RFC 8291 §3.1 sends it: the uncompressed form (SEC 1 §2.3.3,
 * 0x04 then X and Y, 65 bytes) of a point on the curve. A point off the curve cannot be used for the
 * ECDH of RFC 8291's encryption, so every push to it would fail.
 */
export function isP256PublicKey(bytes: Buffer): boolean {
  if (bytes.length !== 65 || bytes[0] !== 0x04) return false;
  try {
    // OpenSSL's EC_POINT_oct2point refuses a point that is not on the curve.
    ECDH.convertKey(bytes, "prime256v1");
    return true;
  } catch {
    return false;
  }
}

/**
 * A push endpoint as stored: an absolute http(s) URL of at most 2,048 characters, in the WHATWG URL
 * serialisation (so subscribing and unsubscribing the same endpoint compare equal, and nothing the
 * database refuses, such as NUL, reaches it). Whether it may be reached is the outbound guard's decision
 * when a push is sent. No fragment and no user name or password: a push service's endpoint has neither
 * (RFC 8030 §5), neither is sent with a push, so each would only make another spelling of the same
 * endpoint, stored apart from it (an outside trial aimed pushes at another account's browser with
 * `endpoint + "#x"`, past the rule that keeps an endpoint with its holder). For the same reason the
 * other spellings of one endpoint are made one (normalizeEndpoint; a second trial used `?`, `%61` and a
 * host ending in a dot).
 */
export const pushEndpointSchema = z
  .string({ error: "endpoint must be a URL" })
  .max(2048, "endpoint must be a URL")
  .transform((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: "custom", message: "endpoint must be a URL" });
      return z.NEVER;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      ctx.addIssue({ code: "custom", message: "endpoint must be an http(s) URL" });
      return z.NEVER;
    }
    if (raw.includes("#") || url.username !== "" || url.password !== "") {
      ctx.addIssue({ code: "custom", message: "endpoint must be a push service's URL, with no fragment, user name or password" });
      return z.NEVER;
    }
    return normalizeEndpoint(url);
  });

/** An unreserved character of RFC 3986 (§2.3): the same whether percent-encoded or not. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** Each percent-encoding in `part`: decoded when it is an unreserved character, else in upper case (RFC 3986 §6.2.2.2). */
const normalizePercentEncoding = (part: string) =>
  part.replace(/%[0-9A-Fa-f]{2}/g, (escape) => {
    const char = String.fromCharCode(parseInt(escape.slice(1), 16));
    return UNRESERVED.test(char) ? char : escape.toUpperCase();
  });

/**
 * `url` (already parsed, so with the WHATWG URL parser's normalisation: scheme and host in lower case,
 * default port dropped, dot segments resolved) in one spelling per endpoint: percent-encodings
 * normalised (RFC 3986 §6.2.2.2), the host's trailing dot dropped (`push.example.com.` is the same
 * host in DNS), an empty query and empty `&`-separated parts of a query dropped (no push service's URL
 * needs them). Paths that differ otherwise (`//send`, a trailing `/`) stay apart: RFC 3986 makes them
 * other resources.
 */
export function normalizeEndpoint(url: URL): string {
  const out = new URL(url.href);
  if (out.hostname.endsWith(".") && out.hostname.length > 1) out.hostname = out.hostname.slice(0, -1);
  out.pathname = normalizePercentEncoding(out.pathname);
  const query = normalizePercentEncoding(out.search.slice(1)).split("&").filter((part) => part !== "").join("&");
  out.search = query === "" ? "" : `?${query}`;
  return out.toString();
}

/**
 * A browser's push subscription as PushSubscription.toJSON() gives it: the endpoint (RFC 8030, see
 * pushEndpointSchema), a P-256 public key (65 bytes uncompressed, a point on the curve: isP256PublicKey) and
 * a 16-byte auth secret, both
 * base64url (RFC 8291 §3), and optionally `lang` (PUSH_LANGS), the language of the server's own sentences
in its pushes (lib/push/strings.ts). Other fields (`expirationTime`) are dropped.
 */
export const pushSubscriptionSchema = z.object(
  {
    endpoint: pushEndpointSchema,
    keys: z.object(
      {
        p256dh: keyBytes(65, "keys.p256dh must be a base64url P-256 public key", isP256PublicKey),
        auth: keyBytes(16, "keys.auth must be a base64url 16-byte secret"),
      },
      { error: "keys must be an object with p256dh and auth" },
    ),
    // The language the browser's pushes speak (the web client's UI language); absent: English.
    lang: z.enum(PUSH_LANGS, { error: `lang must be one of ${PUSH_LANGS.join(", ")}` }).optional(),
  },
  { error: "subscription must be an object" },
);
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;
export type StoredSubscription = PushSubscriptionInput & { id: string; userId: string };

/** At most this many browsers per person; subscribing another replaces the oldest. */
export const MAX_SUBSCRIPTIONS_PER_USER = 10;

/**
 * Stores (or moves to `userId`) a browser's subscription, for as long as session `sessionId` lasts (the
 * session id is its token's hash; null for a caller without a session, a bot): ending the session
 * (sign-out, "sign out other sessions", a password reset, deactivation) deletes the subscription with
 * it (migration 41), so a browser left signed out gets no more of the person's pushes. An endpoint is
 * one browser profile: if it was someone else's or another session's (the browser changed hands, or
 * was signed in again), it is now this user's and this session's only, provided the caller shows it is
 * that browser's: the same user, or the same keys (the `auth` secret is the browser's, RFC 8291 §3.2,
 * never shown to the server's other users), or the holder's session is over (expired). Otherwise the
 * endpoint stays its holder's and `conflict` (`push_subscription_taken`) is thrown: an endpoint alone,
 * seen in a log or a proxy, must not take another person's pushes away from them (an outside trial
 * moved one). Its language is `sub.lang`, or, when not given, the one stored for the endpoint (English
 * for a new one).
 */
export async function saveSubscription(db: Queryable, userId: string, sessionId: string | null, sub: PushSubscriptionInput): Promise<void> {
  const saved = await db.query(
    `insert into push_subscriptions (user_id, session_id, endpoint, p256dh, auth, lang) values ($1, $2, $3, $4, $5, coalesce($6, 'en'))
     on conflict (endpoint) do update set user_id = excluded.user_id, session_id = excluded.session_id, p256dh = excluded.p256dh, auth = excluded.auth,
       lang = coalesce($6, push_subscriptions.lang), created_at = now()
     where push_subscriptions.user_id = excluded.user_id
        or (push_subscriptions.p256dh = excluded.p256dh and push_subscriptions.auth = excluded.auth)
        or (push_subscriptions.session_id is not null
            and not exists (select 1 from sessions s where s.token_hash = push_subscriptions.session_id and s.expires_at > now()))
     returning id`,
    [userId, sessionId, sub.endpoint, sub.keys.p256dh, sub.keys.auth, sub.lang ?? null],
  );
  if (saved.length === 0) {
    throw new AppError("conflict", "this browser's push subscription belongs to another account", { reason: "push_subscription_taken" });
  }
  await db.query(
    `delete from push_subscriptions where id in (
       select id from push_subscriptions where user_id = $1 order by created_at desc, id desc offset $2)`,
    [userId, MAX_SUBSCRIPTIONS_PER_USER],
  );
}

/**
 * Exactly this subscription (endpoint and keys) as stored already for `userId` and session `sessionId`
 * (null: none), with its language: saving it again would change nothing (a browser renewing its
 * subscription on every visit) but the language (relabelSubscription). Undefined when not stored.
 */
export async function findSavedSubscription(
  db: Queryable,
  userId: string,
  sessionId: string | null,
  sub: PushSubscriptionInput,
): Promise<{ id: string; lang: string } | undefined> {
  const [row] = await db.query<{ id: string; lang: string }>(
    `select id::text as id, lang from push_subscriptions
      where endpoint = $1 and user_id = $2 and session_id is not distinct from $3 and p256dh = $4 and auth = $5`,
    [sub.endpoint, userId, sessionId, sub.keys.p256dh, sub.keys.auth],
  );
  return row;
}

/** Sets stored subscription `id`'s language (`en` or `ja`, the languages of lib/push/strings.ts). */
export async function relabelSubscription(db: Queryable, id: string, lang: string): Promise<void> {
  await db.query("update push_subscriptions set lang = $2 where id = $1", [id, lang]);
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
