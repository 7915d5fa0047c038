import { z } from "zod";
import { parseLimitOverrides, type LimitName, type LimitRule } from "./limits";
import { parseAllowList } from "./net/address-policy";
import { parseAllowedHosts } from "./http/allowed-hosts";
import { compileTrustProxy } from "./http/origin";
import leven from "leven";

/** Whether `value` is an http(s) origin exactly as a browser's Origin header spells it (RFC 6454 §6.1). */
function isSerializedOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * Bytes a Socket.IO frame or JSON body around a message's text may take besides the text: the event
 * name, the keys, a room name (64 code points), a clientId (128), a thread id, 10 attachment ids and
 * the ack id, each at 4 bytes per code point where user-given. About 1.2 KiB at most; 2 KiB leaves room.
 */
export const MESSAGE_ENVELOPE_BYTES = 2048;

/**
 * The smallest MAX_PAYLOAD_BYTES (bytes) that carries a message of `messageMaxChars` code points in any
 * script, sent in NFC as the web client sends it: 4 bytes per code point, UTF-8's longest (RFC 3629 §3;
 * JSON as browsers and Socket.IO write it escapes only `"`, `\` and control characters, in 2 bytes),
 * plus MESSAGE_ENVELOPE_BYTES. A smaller limit would have the transport close a sender's connection on a
 * message the server allows. (Length is counted after NFC: text sent decomposed, such as Hangul as
 * jamo, takes up to 9 bytes per counted character, and a client that writes every non-ASCII character
 * as `\uXXXX` up to 6; API clients should send NFC.)
 */
export function payloadBytesForMessage(messageMaxChars: number): number {
  return messageMaxChars * 4 + MESSAGE_ENVELOPE_BYTES;
}

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");
/**
 * A whole number from `min` to `max`, written in decimal digits only: no blanks (Number(" ") is 0: a
 * random port), hex (`0x10ea`), exponents, signs or fractions, which a coercing parser would take.
 */
const int = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}, in decimal digits`;
  return z.string().regex(/^\d+$/, message).transform(Number).pipe(z.number().int().min(min, message).max(max, message));
};

/**
 * Whether `value` is a TRUST_PROXY setting Express takes: `true`/`false`, a hop count, or comma-separated
 * addresses, subnets and names (`loopback`, `uniquelocal` …) compiled by proxy-addr as the server does
 * (lib/http/origin.ts), so a bad one stops startup here instead of throwing once the server is built.
 */
function trustProxyProblem(value: string): string | undefined {
  if (value === "true" || value === "false" || /^\d+$/.test(value)) return undefined;
  try {
    compileTrustProxy(value);
    return undefined;
  } catch (err) {
    return `must be true, false, a hop count, or comma-separated addresses, subnets, loopback, linklocal or uniquelocal (${(err as Error).message})`;
  }
}

/** Every environment variable Hibiki reads, with its default. Documented in .env.example and README. */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /** TCP port for pages, API, SSE and Socket.IO. */
  PORT: int(0, 65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Where the embedded database (PGlite) keeps its files when DATABASE_URL is unset. */
  DATA_DIR: z.string().min(1).default("./data"),
  /** postgres://… switches from embedded PGlite to PostgreSQL. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  /**
   * With DATABASE_URL: how long a statement may wait for PostgreSQL's answer, in ms, before it fails as
   * "the database is not answering" (`unavailable`, try again) and its connection is dropped; 0: no limit.
   * Longer than any statement this server sends (searches stop at 2 s, batches are bounded); migrations
   * at start are not timed.
   */
  DATABASE_QUERY_TIMEOUT_MS: int(0, 3_600_000).default(30_000),
  /** redis://… enables multi-instance mode. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `json` or `pretty` (human-readable lines); unset: pretty when stdout is a terminal, JSON otherwise. */
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  /** Longest message text, in characters, after trimming. */
  MESSAGE_MAX_CHARS: int(1, 100_000).default(4000),
  /**
   * Unauthenticated Socket.IO clients may connect with `auth.name` and use public rooms.
   * Unset: allowed until the first account exists.
   */
  GUEST_ACCESS: bool.optional(),
  /**
   * Comma-separated origins allowed besides the server's own. Each must be an origin as a browser sends
   * it (`https://app.example.com`, RFC 6454 serialisation: scheme, host and a non-default port, lower
   * case, no path or trailing slash): the Origin header is compared to it as written, so anything else
   * (`https://app.example.com/`, `https://App.example.com`, `*`) would never match and silently allow
   * nothing.
   */
  CORS_ORIGINS: z
    .string()
    .default("")
    .refine(
      (v) => v.split(",").map((s) => s.trim()).filter(Boolean).every(isSerializedOrigin),
      "must be a comma-separated list of origins like https://app.example.com (scheme and host, no path or trailing slash)",
    ),
  /**
   * Host names this server answers to (the `Host` header; DNS rebinding defence), comma-separated: a
   * name, `.example.com` for it and its subdomains, `*` for any. IP literals and localhost always pass.
   * Unset: the machine's host name (and `<name>.local`) and HOST when it is a name.
   */
  ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      try {
        return parseAllowedHosts(text);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /**
   * Largest Socket.IO frame / HTTP body in bytes (at most 64 KiB; at least what the longest message
   * takes, payloadBytesForMessage(MESSAGE_MAX_CHARS), so never below that of a one-character message).
   */
  MAX_PAYLOAD_BYTES: int(payloadBytesForMessage(1), 65_536).default(65_536),
  /** Messages each user may send per 10 seconds (bursts allowed); 0 disables the limit. */
  RATE_LIMIT_MESSAGES: int(0, 100_000).default(30),
  /** Searches each user may run per 10 seconds (bursts allowed); 0 disables the limit. */
  RATE_LIMIT_SEARCHES: int(0, 100_000).default(30),
  /** Live Socket.IO connections allowed per user. */
  MAX_CONNECTIONS_PER_USER: int(1, 10_000).default(20),
  /** Live Socket.IO guest connections allowed per client address (IPv4 address or IPv6 /64), whatever their names. */
  MAX_GUEST_CONNECTIONS_PER_ADDRESS: int(1, 1_000_000).default(300),
  /**
   * Open TCP connections (requests, streams, WebSockets) one client address (IPv4 address or IPv6 /64)
   * may hold at once; TRUST_PROXY's proxies are not counted. 0 switches the cap off.
   */
  MAX_CONNECTIONS_PER_ADDRESS: int(0, 1_000_000).default(2000),
  /**
   * The connect throttle: new Socket.IO connections doing their database work (identity lookup and
   * catch-up) at once; the others wait their turn in arrival order. 0 turns the throttle off.
   */
  CONNECT_CONCURRENCY: int(0, 10_000).default(32),
  /** Handshakes that may wait for the connect throttle; one more is refused at once with `retryAfter`. */
  CONNECT_QUEUE_MAX: int(0, 1_000_000).default(50_000),
  /** Interval of the `:` heartbeat comment on Server-Sent Event streams. */
  SSE_HEARTBEAT_MS: int(100, 60_000).default(15_000),
  /** Lowest level shown on the admin live log stream (records below LOG_LEVEL are never made). */
  LOG_STREAM_LEVEL: z.enum(["trace", "debug", "info", "warn", "error"]).default("info"),
  /**
   * Which proxies may set X-Forwarded-For/-Proto (Express "trust proxy"): "loopback" (default), a
   * comma-separated list of addresses/subnets, a hop count, or "true"/"false".
   */
  TRUST_PROXY: z
    .string()
    .min(1)
    .superRefine((v, ctx) => {
      const problem = trustProxyProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .default("loopback"),
  /** Prefix of every Redis key and stream this deployment uses (several deployments may share a Redis). */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,40}$/, "must be 1–40 of A-Z a-z 0-9 : _ -").default("hibiki"),
  /** How long a dropped connection may come back and have its rooms and missed events restored. */
  RECOVERY_MAX_DISCONNECTION_MS: int(0, 3_600_000).default(120_000),
  /** VAPID contact (RFC 8292 `sub`): a mailto: or https: URL push services may use to reach the operator. */
  PUSH_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)\S+$/, "must be a mailto: or https:// URL").default("mailto:admin@hibiki.invalid"),
  /** How long a push service keeps a push for a device that is offline (RFC 8030 TTL), in seconds. */
  PUSH_TTL_SECONDS: int(0, 2_419_200).default(86_400),
  /** `@room`/`@all`/`@here` notify the whole room only when sent by an admin or in rooms of at most this many members. */
  ROOM_MENTION_MAX_MEMBERS: int(0, 1_000_000).default(50),
  /** How long graceful shutdown may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: int(100, 60_000).default(10_000),
  /**
   * Multi-instance presence heartbeat, in ms. An instance silent for two heartbeats counts as gone and a
   * surviving instance announces its users' departure (within about two to three heartbeats of a crash).
   */
  PRESENCE_HEARTBEAT_MS: int(50, 60_000).default(5_000),
  /**
   * `presence` goes to a room at most once per this many ms: the first change after a quiet spell at
   * once, later ones collapsed into one announcement with the latest list at the end of the window. `0`
   * announces every change.
   */
  PRESENCE_ANNOUNCE_MS: int(0, 10_000).default(50),
  /**
   * How long a Socket.IO handshake's identity (session or bot token, with the user's room ids) is kept in
   * memory, so reconnects skip the database; sign-out, bans, renames, revoked rights and membership
   * changes reach it at once. Only without REDIS_URL (one instance). `0` turns it off.
   */
  IDENTITY_CACHE_MS: int(0, 60_000).default(10_000),
  /**
   * Overrides rows of the limiter table (lib/limits.ts, listed in docs/operations.md): comma-separated
   * `name=points/seconds` (`name=0` turns one off), e.g. `create-room=50/60,join=100/600`.
   */
  RATE_LIMITS: z
    .string()
    .default("")
    .transform((text, ctx) => {
      try {
        return parseLimitOverrides(text);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /**
   * Longest time a client may take to send one whole HTTP request (headers at most 20 s of it), so a
   * slow or stalled sender (Slowloris) cannot hold a connection. Node applies it only while the request
   * is being received: SSE streams and Socket.IO long-polling responses are not cut.
   */
  HTTP_REQUEST_TIMEOUT_MS: int(100, 3_600_000).default(300_000),
  /**
   * Longest time a file download may go without the client taking any of it (nginx's `send_timeout`):
   * a client that stops reading is cut off, so stalled readers cannot hold connections and open files.
   */
  SEND_TIMEOUT_MS: int(100, 3_600_000).default(60_000),
  /**
   * How long, in seconds, a name an account gives up by renaming stays its own (30 days by default):
   * nobody else may take it meanwhile (it is refused as a taken name is), the account may take it back.
   * `0`: a name given up is free at once.
   */
  NAME_HOLD_SECONDS: int(0, 3_153_600_000).default(2_592_000),
  /** Server-Sent Event streams (notifications, admin log) open at once per user, per instance. */
  MAX_SSE_STREAMS_PER_USER: int(1, 10_000).default(10),
  /**
   * Comma-separated `host:port` pairs that server-side requests to user-supplied URLs (link previews,
   * Web Push) may reach even though they resolve to a private, loopback or otherwise refused address.
   */
  OUTBOUND_ALLOW: z
    .string()
    .default("")
    .refine((v) => {
      try {
        parseAllowList(v.split(","));
        return true;
      } catch {
        return false;
      }
    }, "must be a comma-separated list of host:port"),
  /** Fetch a preview card for the first http(s) link of each message. */
  LINK_PREVIEWS: bool.default(true),
  /** Largest uploaded file in bytes (default 25 MiB); larger uploads are cut off with 413 while streaming. */
  UPLOAD_MAX_BYTES: int(1, 2 ** 40).default(26_214_400),
  /** Uploads each user may start per minute (bursts allowed); 0 disables the limit. */
  RATE_LIMIT_UPLOADS: int(0, 100_000).default(20),
  /** Files each user may upload per day (rolling 24 h); 0 disables the quota. */
  UPLOAD_DAILY_FILES: int(0, 10_000_000).default(500),
  /** Bytes each user may upload per day (rolling 24 h); 0 disables the quota. Default 2 GiB. */
  UPLOAD_DAILY_BYTES: int(0, 2 ** 50).default(2_147_483_648),
  /** S3-compatible bucket for uploaded files; set, it replaces local disk (required with REDIS_URL). */
  S3_BUCKET: z.string().min(1).optional(),
  /** S3 endpoint URL (MinIO, R2, Garage …); unset: AWS for S3_REGION. */
  S3_ENDPOINT: z.url({ error: "must be a URL" }).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** Static credentials; unset: the AWS SDK's default chain (environment, instance role). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style addressing (`endpoint/bucket/key`), which MinIO and Garage usually need. */
  S3_FORCE_PATH_STYLE: bool.default(false),
  /** Bearer token that `GET /metrics` requires; unset: no metrics are collected and /metrics answers 404. */
  METRICS_TOKEN: z.string().regex(/^\S+$/, "must not contain spaces").optional(),
});

export type Config = {
  env: "development" | "production" | "test";
  dev: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** DATABASE_QUERY_TIMEOUT_MS (PostgreSQL only; 0: none). */
  databaseQueryTimeoutMs: number;
  redisUrl?: string;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  logFormat?: "json" | "pretty";
  messageMaxChars: number;
  guestAccess?: boolean;
  corsOrigins: string[];
  /** ALLOWED_HOSTS, normalised (see lib/http/allowed-hosts.ts); undefined: the default (defaultAllowedHosts). */
  allowedHosts?: string[];
  maxPayloadBytes: number;
  trustProxy: boolean | number | string;
  redisPrefix: string;
  recoveryMaxDisconnectionMs: number;
  sseHeartbeatMs: number;
  logStreamLevel: "trace" | "debug" | "info" | "warn" | "error";
  rateLimitMessages: number;
  rateLimitSearches: number;
  maxConnectionsPerUser: number;
  maxGuestConnectionsPerAddress: number;
  /** See MAX_CONNECTIONS_PER_ADDRESS. */
  maxConnectionsPerAddress: number;
  /** CONNECT_CONCURRENCY: connect-throttle slots (0: off). */
  connectConcurrency: number;
  /** CONNECT_QUEUE_MAX: handshakes that may wait for a slot. */
  connectQueueMax: number;
  shutdownTimeoutMs: number;
  presenceHeartbeatMs: number;
  presenceAnnounceMs: number;
  identityCacheMs: number;
  rateLimits: Partial<Record<LimitName, LimitRule>>;
  httpRequestTimeoutMs: number;
  /** SEND_TIMEOUT_MS: a file download with no progress for this long is cut off. */
  sendTimeoutMs: number;
  /** NAME_HOLD_SECONDS: how long a name given up by a rename stays its former holder's (0: not at all). */
  nameHoldSeconds: number;
  maxSseStreamsPerUser: number;
  outboundAllow: string[];
  linkPreviews: boolean;
  pushSubject: string;
  pushTtlSeconds: number;
  roomMentionMaxMembers: number;
  uploads: UploadConfig;
  /** Object storage for uploaded files; unset: local disk under DATA_DIR/files. */
  s3?: S3Config;
  /** METRICS_TOKEN: bearer token of `GET /metrics`; unset turns metrics off. */
  metricsToken?: string;
};

/** Limits of uploaded files (bytes; counts per user; 0 = no limit). */
export type UploadConfig = { maxBytes: number; perMinute: number; dailyFiles: number; dailyBytes: number };

export type S3Config = {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
};

export class ConfigError extends Error {}

/** Variables whose value a configuration error must not print (it lands in terminals and service logs). */
const SECRETS = new Set(["METRICS_TOKEN", "S3_SECRET_ACCESS_KEY"]);

/** A `user:password@` anywhere in a value (the user part may be empty). */
const PASSWORD_BEFORE_HOST = /([^\s:/@]*):([^\s/@]*)@/g;
/** The user information of a URL (`scheme://user:password@`), which holds credentials (RFC 3986 §3.2.1). */
const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/i;

/**
 * How a configuration error shows variable `name`'s value: `[redacted]` for a secret (SECRETS), and any
 * value written as a URL with credentials (DATABASE_URL, REDIS_URL, S3_ENDPOINT, or a URL put in the
 * wrong variable) with its password, or a lone token in its user part, as `[redacted]`:
 * `postgres://app:[redacted]@db/chat`. Quoted as JSON.
 */
export function shownValue(name: string, value: string): string {
  if (SECRETS.has(name)) return "[redacted]";
  const hidden = value
    .replace(URL_USERINFO, (_, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(":");
      return `${scheme}${colon < 0 ? "[redacted]" : `${userinfo.slice(0, colon)}:[redacted]`}@`;
    })
    // A URL written wrong ("postgres:/u:pw@host", "//u:pw@host", "redis//:pw@host", a leading space): any
    // `user:password@` left is credentials all the same.
    .replace(PASSWORD_BEFORE_HOST, (_, user: string, password: string) => (password === "[redacted]" ? `${user}:${password}@` : `${user}:[redacted]@`));
  return JSON.stringify(hidden);
}

/**
 * Variables in `env` that are no setting of Hibiki's but look like a misspelt one, each with the setting
 * it is nearest to: `DATABSE_URL` → `DATABASE_URL`. Nearest is the Levenshtein distance (the `leven`
 * package): at most 1, or 2 for a name of 10 or more characters, so that the environment's own
 * variables (`HOME`, `PATH`, `HOSTNAME`) are not taken for `HOST` or `PORT`. Only names written as
 * settings are (upper case, digits, `_`). The server logs each at start-up: such a setting is otherwise
 * silently not applied (an operator trial started on the embedded database with `DATABSE_URL` set).
 */
export function misspelledSettings(env: Record<string, string | undefined> = process.env): { name: string; setting: string }[] {
  const known = Object.keys(schema.shape);
  const out: { name: string; setting: string }[] = [];
  for (const name of Object.keys(env)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name) || known.includes(name)) continue;
    const most = name.length >= 10 ? 2 : 1;
    let best: { setting: string; distance: number } | undefined;
    for (const setting of known) {
      const distance = leven(name, setting);
      if (distance <= most && (!best || distance < best.distance)) best = { setting, distance };
    }
    if (best) out.push({ name, setting: best.setting });
  }
  return out;
}

/** Parses the environment once. Throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (parsed.success && parsed.data.REDIS_URL && !parsed.data.DATABASE_URL) {
    throw new ConfigError(
      "Invalid configuration: REDIS_URL is set but DATABASE_URL is not — several instances must share one PostgreSQL (the embedded database is per process)",
    );
  }
  if (parsed.success && parsed.data.REDIS_URL && !parsed.data.S3_BUCKET) {
    throw new ConfigError(
      "Invalid configuration: REDIS_URL is set but S3_BUCKET is not — several instances must share one file store (local disk is per instance)",
    );
  }
  // S3 settings without a bucket would leave files on local disk while the operator thinks they go to S3.
  const s3Without = ["S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"].find((name) => cleaned[name] !== undefined);
  if (parsed.success && s3Without && !parsed.data.S3_BUCKET) {
    throw new ConfigError(`Invalid configuration: ${s3Without} is set but S3_BUCKET is not — files would stay on local disk; set S3_BUCKET to use S3`);
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(`Invalid configuration: ${name}=${shownValue(name, env[name] ?? "")} — ${issue.message}`);
  }
  const e = parsed.data;
  const needed = payloadBytesForMessage(e.MESSAGE_MAX_CHARS);
  if (needed > e.MAX_PAYLOAD_BYTES) {
    const fits = Math.floor((e.MAX_PAYLOAD_BYTES - MESSAGE_ENVELOPE_BYTES) / 4);
    throw new ConfigError(
      `Invalid configuration: MESSAGE_MAX_CHARS=${e.MESSAGE_MAX_CHARS} does not fit in MAX_PAYLOAD_BYTES=${e.MAX_PAYLOAD_BYTES} — ` +
        `a message that long takes up to ${needed} bytes (4 per character, plus ${MESSAGE_ENVELOPE_BYTES} for the event around it); ` +
        `set MESSAGE_MAX_CHARS to ${fits} or less, or raise MAX_PAYLOAD_BYTES (at most 65536)`,
    );
  }
  return {
    env: e.NODE_ENV,
    dev: e.NODE_ENV === "development",
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databaseQueryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    messageMaxChars: e.MESSAGE_MAX_CHARS,
    guestAccess: e.GUEST_ACCESS,
    corsOrigins: e.CORS_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean),
    allowedHosts: e.ALLOWED_HOSTS,
    maxPayloadBytes: e.MAX_PAYLOAD_BYTES,
    trustProxy: e.TRUST_PROXY === "true" ? true : e.TRUST_PROXY === "false" ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    redisPrefix: e.REDIS_PREFIX,
    recoveryMaxDisconnectionMs: e.RECOVERY_MAX_DISCONNECTION_MS,
    sseHeartbeatMs: e.SSE_HEARTBEAT_MS,
    logStreamLevel: e.LOG_STREAM_LEVEL,
    rateLimitMessages: e.RATE_LIMIT_MESSAGES,
    rateLimitSearches: e.RATE_LIMIT_SEARCHES,
    maxConnectionsPerUser: e.MAX_CONNECTIONS_PER_USER,
    maxGuestConnectionsPerAddress: e.MAX_GUEST_CONNECTIONS_PER_ADDRESS,
    maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
    connectConcurrency: e.CONNECT_CONCURRENCY,
    connectQueueMax: e.CONNECT_QUEUE_MAX,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    presenceHeartbeatMs: e.PRESENCE_HEARTBEAT_MS,
    presenceAnnounceMs: e.PRESENCE_ANNOUNCE_MS,
    identityCacheMs: e.IDENTITY_CACHE_MS,
    rateLimits: e.RATE_LIMITS,
    httpRequestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    sendTimeoutMs: e.SEND_TIMEOUT_MS,
    nameHoldSeconds: e.NAME_HOLD_SECONDS,
    maxSseStreamsPerUser: e.MAX_SSE_STREAMS_PER_USER,
    outboundAllow: e.OUTBOUND_ALLOW.split(",").map((s) => s.trim()).filter(Boolean),
    linkPreviews: e.LINK_PREVIEWS,
    pushSubject: e.PUSH_SUBJECT,
    pushTtlSeconds: e.PUSH_TTL_SECONDS,
    roomMentionMaxMembers: e.ROOM_MENTION_MAX_MEMBERS,
    uploads: { maxBytes: e.UPLOAD_MAX_BYTES, perMinute: e.RATE_LIMIT_UPLOADS, dailyFiles: e.UPLOAD_DAILY_FILES, dailyBytes: e.UPLOAD_DAILY_BYTES },
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          endpoint: e.S3_ENDPOINT,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE,
        }
      : undefined,
    metricsToken: e.METRICS_TOKEN,
  };
}
