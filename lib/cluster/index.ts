import type { ServerOptions } from "socket.io";
import { LocalBus, type EventBus } from "../events/bus";
import { MemoryPresence, type PresenceStore } from "../chat/presence";
import { createLimits, type LimitName, type LimitRule, type Limits, type UploadLimitsConfig } from "../limits";
import type { Logger } from "../log";
import { StreamBus } from "./stream-bus";
import { RedisPresence, type GoneListener } from "./redis-presence";
import { MemoryRejoinStore, RedisRejoinStore, type RejoinStore } from "./rejoin-store";

/** What differs between one instance and several: where presence, limits and events live. */
export type Cluster = {
  mode: "single" | "redis";
  bus: EventBus;
  presence: PresenceStore;
  /** What dropped connections had joined, for when connection-state recovery cannot restore them. */
  rejoin: RejoinStore;
  limits: Limits;
  /** Socket.IO server options for this mode (the adapter). */
  socketOptions: Partial<ServerOptions>;
  /**
   * Who left which room because their instance died (Redis mode; called on the one instance that reaped
   * it). A single instance never outlives itself, so in single mode it is never called.
   */
  onPresenceGone(listener: GoneListener): void;
  /**
   * Who is online in which room again because this instance, taken for dead during a stall (and its
   * users announced as gone), put its counts back (Redis mode; called on that instance only).
   */
  onPresenceBack(listener: GoneListener): void;
  ping(): Promise<void>;
  close(): Promise<void>;
};

export async function openCluster(opts: {
  redisUrl?: string;
  prefix: string;
  messagesPer10s: number;
  /** Presence heartbeat interval (Redis mode), ms. */
  heartbeatMs?: number;
  /** RATE_LIMITS: rows of the limiter table replaced by configuration. */
  limitOverrides?: Partial<Record<LimitName, LimitRule>>;
  /** UPLOAD_* settings: the points of the upload rows. */
  uploads?: UploadLimitsConfig;
  /** RATE_LIMIT_SEARCHES: the points of the search row. */
  searchesPer10s?: number;
  log: Logger;
}): Promise<Cluster> {
  const onError = (err: unknown) => opts.log.error({ err }, "bus listener failed");
  if (!opts.redisUrl) {
    return {
      mode: "single",
      bus: new LocalBus(onError),
      presence: new MemoryPresence(),
      rejoin: new MemoryRejoinStore(),
      limits: createLimits({ messagesPer10s: opts.messagesPer10s, uploads: opts.uploads, searchesPer10s: opts.searchesPer10s, overrides: opts.limitOverrides }),
      socketOptions: {},
      onPresenceGone: () => undefined,
      onPresenceBack: () => undefined,
      ping: async () => undefined,
      close: async () => undefined,
    };
  }
  // ioredis and the adapter are loaded only in Redis mode: a single instance does without their memory.
  const { openRedis } = require("./redis") as typeof import("./redis");
  const { createAdapter } = require("@socket.io/redis-streams-adapter") as typeof import("@socket.io/redis-streams-adapter");
  const redis = await openRedis(opts.redisUrl, opts.log);
  const presence = new RedisPresence(redis.fast, opts.prefix, opts.heartbeatMs);
  await presence.heartbeat();
  const bus = new StreamBus(
    redis.client,
    `${opts.prefix}:bus`,
    presence.instanceId,
    (err) => opts.log.error({ err, module: "cluster" }, "event bus: a listener, an entry or an append failed"),
    (missedAfter, firstKept) =>
      opts.log.warn(
        { module: "cluster", missedAfter, firstKept },
        "event bus: this instance was cut off from Redis for longer than the bus's stream keeps; sign-outs, bans or notifications of that time may not have reached its open connections (restart it to be sure)",
      ),
  );
  opts.log.info({ module: "cluster", instance: presence.instanceId }, "multi-instance mode (Redis)");
  return {
    mode: "redis",
    bus,
    presence,
    rejoin: new RedisRejoinStore(redis.fast, opts.prefix),
    limits: createLimits({ messagesPer10s: opts.messagesPer10s, uploads: opts.uploads, searchesPer10s: opts.searchesPer10s, overrides: opts.limitOverrides, redis: redis.fast, prefix: opts.prefix }),
    socketOptions: {
      adapter: createAdapter(redis.client, {
        streamName: `${opts.prefix}:socket.io`,
        // The adapter's requests to other instances use pub/sub channels; prefix them too so deployments sharing a Redis stay apart.
        channelPrefix: `${opts.prefix}:socket.io`,
        sessionKeyPrefix: `${opts.prefix}:sio:session:`,
        maxLen: 100_000,
      }),
    },
    onPresenceGone: (listener) => presence.setGoneListener(listener),
    onPresenceBack: (listener) => presence.setBackListener(listener),
    ping: () => redis.ping(),
    async close() {
      await presence.close();
      await bus.close();
      await redis.close();
    },
  };
}
