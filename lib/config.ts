import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

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
  /** redis://… enables multi-instance mode. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Longest message text, in characters, after trimming. */
  MESSAGE_MAX_CHARS: int(1, 100_000).default(4000),
  /**
   * Unauthenticated Socket.IO clients may connect with `auth.name` and use public rooms.
   * Unset: allowed until the first account exists.
   */
  GUEST_ACCESS: bool.optional(),
  /** Comma-separated origins allowed besides the server's own. */
  CORS_ORIGINS: z.string().default(""),
  /** Largest Socket.IO frame / HTTP body in bytes (at most 64 KiB). */
  MAX_PAYLOAD_BYTES: int(1024, 65_536).default(65_536),
  /** Messages each user may send per 10 seconds (bursts allowed); 0 disables the limit. */
  RATE_LIMIT_MESSAGES: int(0, 100_000).default(30),
  /** Searches each user may run per 10 seconds (bursts allowed); 0 disables the limit. */
  RATE_LIMIT_SEARCHES: int(0, 100_000).default(30),
  /** Live Socket.IO connections allowed per user. */
  MAX_CONNECTIONS_PER_USER: int(1, 10_000).default(20),
  /** Interval of the `:` heartbeat comment on Server-Sent Event streams. */
  SSE_HEARTBEAT_MS: int(100, 60_000).default(15_000),
  /** Lowest level shown on the admin live log stream (records below LOG_LEVEL are never made). */
  LOG_STREAM_LEVEL: z.enum(["trace", "debug", "info", "warn", "error"]).default("info"),
  /**
   * Which proxies may set X-Forwarded-For/-Proto (Express "trust proxy"): "loopback" (default), a
   * comma-separated list of addresses/subnets, a hop count, or "true"/"false".
   */
  TRUST_PROXY: z.string().min(1).default("loopback"),
  /** Prefix of every Redis key and stream this deployment uses (several deployments may share a Redis). */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,40}$/, "must be 1–40 of A-Z a-z 0-9 : _ -").default("hibiki"),
  /** How long a dropped connection may come back and have its rooms and missed events restored. */
  RECOVERY_MAX_DISCONNECTION_MS: int(0, 3_600_000).default(120_000),
  /** How long graceful shutdown may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: int(100, 60_000).default(10_000),
});

export type Config = {
  env: "development" | "production" | "test";
  dev: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  messageMaxChars: number;
  guestAccess?: boolean;
  corsOrigins: string[];
  maxPayloadBytes: number;
  trustProxy: boolean | number | string;
  redisPrefix: string;
  recoveryMaxDisconnectionMs: number;
  sseHeartbeatMs: number;
  logStreamLevel: "trace" | "debug" | "info" | "warn" | "error";
  rateLimitMessages: number;
  rateLimitSearches: number;
  maxConnectionsPerUser: number;
  shutdownTimeoutMs: number;
};

export class ConfigError extends Error {}

/** Parses the environment once. Throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (parsed.success && parsed.data.REDIS_URL && !parsed.data.DATABASE_URL) {
    throw new ConfigError(
      "Invalid configuration: REDIS_URL is set but DATABASE_URL is not — several instances must share one PostgreSQL (the embedded database is per process)",
    );
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(`Invalid configuration: ${name}=${JSON.stringify(env[name] ?? "")} — ${issue.message}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    dev: e.NODE_ENV === "development",
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    messageMaxChars: e.MESSAGE_MAX_CHARS,
    guestAccess: e.GUEST_ACCESS,
    corsOrigins: e.CORS_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean),
    maxPayloadBytes: e.MAX_PAYLOAD_BYTES,
    trustProxy: e.TRUST_PROXY === "true" ? true : e.TRUST_PROXY === "false" ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    redisPrefix: e.REDIS_PREFIX,
    recoveryMaxDisconnectionMs: e.RECOVERY_MAX_DISCONNECTION_MS,
    sseHeartbeatMs: e.SSE_HEARTBEAT_MS,
    logStreamLevel: e.LOG_STREAM_LEVEL,
    rateLimitMessages: e.RATE_LIMIT_MESSAGES,
    rateLimitSearches: e.RATE_LIMIT_SEARCHES,
    maxConnectionsPerUser: e.MAX_CONNECTIONS_PER_USER,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}
