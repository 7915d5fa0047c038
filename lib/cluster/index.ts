import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { ServerOptions } from "socket.io";
import { LocalBus, type EventBus } from "../events/bus";
import { MemoryPresence, type PresenceStore } from "../chat/presence";
import { createLimits, type Limits } from "../limits";
import type { Logger } from "../log";
import { AdapterBus } from "./adapter-bus";
import { RedisPresence } from "./redis-presence";
import { openRedis } from "./redis";

/** What differs between one instance and several: where presence, limits and events live. */
export type Cluster = {
  mode: "single" | "redis";
  bus: EventBus;
  presence: PresenceStore;
  limits: Limits;
  /** Socket.IO server options for this mode (the adapter). */
  socketOptions: Partial<ServerOptions>;
  /** Connects the bus to the Socket.IO server once it exists. */
  attach(io: Parameters<AdapterBus["attach"]>[0]): void;
  ping(): Promise<void>;
  close(): Promise<void>;
};

export async function openCluster(opts: {
  redisUrl?: string;
  prefix: string;
  messagesPer10s: number;
  /** Searches per user per 10 s (0 = unlimited). */
  searchesPer10s?: number;
  log: Logger;
}): Promise<Cluster> {
  const onError = (err: unknown) => opts.log.error({ err }, "bus listener failed");
  if (!opts.redisUrl) {
    return {
      mode: "single",
      bus: new LocalBus(onError),
      presence: new MemoryPresence(),
      limits: createLimits({ messagesPer10s: opts.messagesPer10s, searchesPer10s: opts.searchesPer10s }),
      socketOptions: {},
      attach: () => undefined,
      ping: async () => undefined,
      close: async () => undefined,
    };
  }
  const redis = await openRedis(opts.redisUrl, opts.log);
  const presence = new RedisPresence(redis.fast, opts.prefix);
  await presence.heartbeat();
  const bus = new AdapterBus(onError);
  opts.log.info({ module: "cluster", instance: presence.instanceId }, "multi-instance mode (Redis)");
  return {
    mode: "redis",
    bus,
    presence,
    limits: createLimits({ messagesPer10s: opts.messagesPer10s, searchesPer10s: opts.searchesPer10s, redis: redis.fast, prefix: opts.prefix }),
    socketOptions: {
      adapter: createAdapter(redis.client, {
        streamName: `${opts.prefix}:socket.io`,
        // Inter-server events (the bus) use pub/sub channels; prefix them too so deployments sharing a Redis stay apart.
        channelPrefix: `${opts.prefix}:socket.io`,
        sessionKeyPrefix: `${opts.prefix}:sio:session:`,
        maxLen: 100_000,
      }),
    },
    attach: (io) => bus.attach(io),
    ping: () => redis.ping(),
    async close() {
      await presence.close();
      await bus.close();
      await redis.close();
    },
  };
}
