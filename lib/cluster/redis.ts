import { Redis } from "ioredis";
import type { Logger } from "../log";

/** How long (ms) closing waits for commands still queued for Redis before dropping them. */
const QUIT_WAIT_MS = 2_000;

export type RedisConnection = {
  /** Commands queue while Redis is away and run on reconnect (adapter, bus). */
  client: Redis;
  /** Commands fail at once while Redis is away (rate limits, presence: they have fallbacks). */
  fast: Redis;
  ping(): Promise<void>;
  close(): Promise<void>;
};

/** Where a Redis URL points, without its credentials: `redis://host:port`. */
export function redisAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}:${u.port || (u.protocol === "rediss:" ? 6380 : 6379)}`;
  } catch {
    return "(unparsable URL)";
  }
}

/**
 * One Redis connection for commands (the Socket.IO adapter duplicates what it needs). While Redis is
 * unreachable, commands wait in the client's queue and run on reconnect rather than failing: an acked
 * message's broadcast is delayed by an outage, never dropped.
 */
export async function openRedis(url: string, log: Logger): Promise<RedisConnection> {
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    lazyConnect: true,
  });
  let down = false;
  let lastError: string | undefined;
  client.on("error", (err) => {
    lastError = err.message;
    if (!down) log.warn({ module: "redis", err: { message: err.message } }, "redis connection problem");
    down = true;
  });
  client.on("ready", () => {
    if (down) log.info({ module: "redis" }, "redis connection restored");
    down = false;
  });
  const fast = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: (n) => Math.min(n * 100, 2000) });
  fast.on("error", () => undefined); // reported once through `client`
  await Promise.all([client.connect(), fast.connect()]).catch((err: Error) => {
    client.disconnect();
    fast.disconnect();
    // ioredis rejects a first connection that fails with only "Connection is closed."; say what and where.
    throw new Error(`cannot connect to Redis at ${redisAddress(url)} (REDIS_URL): ${lastError ?? err.message}`);
  });
  return {
    client,
    fast,
    async ping() {
      if (client.status !== "ready") throw new Error(`redis is ${client.status}`);
      await client.ping();
    },
    async close() {
      // QUIT waits for the commands queued while Redis is away (Redis may not come back): at most
      // QUIT_WAIT_MS, then the connection is dropped, and those commands with it.
      const quit = (c: Redis) =>
        Promise.race([c.quit().then(() => undefined, () => undefined), new Promise<void>((resolve) => setTimeout(resolve, QUIT_WAIT_MS).unref())]).then(() => c.disconnect());
      await Promise.all([quit(client), quit(fast)]);
    },
  };
}
