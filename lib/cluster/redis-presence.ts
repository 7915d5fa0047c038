import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { PresenceStore } from "../chat/presence";

/** An instance that missed this many milliseconds of heartbeats is considered gone (killed, partitioned). */
const INSTANCE_TTL_MS = 15_000;
const HEARTBEAT_MS = 5_000;

/**
 * Cluster-wide presence in Redis. Per room, a hash counts connections per (instance, user); a user is
 * online in a room while any live instance counts them. Instances heartbeat into a sorted set, so the
 * counts of an instance that died without cleaning up stop counting within INSTANCE_TTL_MS.
 */
export class RedisPresence implements PresenceStore {
  readonly instanceId = randomUUID().slice(0, 12);
  private live = new Set<string>([this.instanceId]);
  private timer: NodeJS.Timeout;

  constructor(private redis: Redis, private prefix: string) {
    this.timer = setInterval(() => void this.heartbeat().catch(() => undefined), HEARTBEAT_MS);
    this.timer.unref();
  }

  private roomKey = (roomId: string) => `${this.prefix}:presence:${roomId}`;
  private get instancesKey() {
    return `${this.prefix}:instances`;
  }
  private get namesKey() {
    return `${this.prefix}:names`;
  }

  /** Announces this instance and refreshes which instances are alive. */
  async heartbeat() {
    const now = Date.now();
    await this.redis.zadd(this.instancesKey, now, this.instanceId);
    const alive = await this.redis.zrangebyscore(this.instancesKey, now - INSTANCE_TTL_MS, "+inf");
    this.live = new Set([...alive, this.instanceId]);
    this.refreshedAt = now;
    await this.redis.zremrangebyscore(this.instancesKey, "-inf", now - 10 * INSTANCE_TTL_MS);
  }

  private refreshedAt = 0;

  /** Connection counts per user in a room, over live instances only. */
  private async tally(roomId: string): Promise<Map<string, number>> {
    const fields = await this.redis.hgetall(this.roomKey(roomId));
    // An instance we have not heard of may have started since our last heartbeat: look again (at most four times a second).
    const unknown = Object.keys(fields).some((f) => !this.live.has(f.split("|")[0]));
    if (unknown && Date.now() - this.refreshedAt > 250) await this.heartbeat();
    const byUser = new Map<string, number>();
    for (const [field, count] of Object.entries(fields)) {
      const [instance, userId] = field.split("|");
      if (!this.live.has(instance)) continue;
      byUser.set(userId, (byUser.get(userId) ?? 0) + Number(count));
    }
    for (const [u, n] of byUser) if (n <= 0) byUser.delete(u);
    return byUser;
  }

  // Presence is advisory: while Redis is unreachable the chat keeps working and presence reads empty.
  add(roomId: string, user: { id: string; name: string }) {
    return this.safe(false, async () => {
      await this.redis.hset(this.namesKey, user.id, user.name);
      await this.redis.hincrby(this.roomKey(roomId), `${this.instanceId}|${user.id}`, 1);
      return (await this.tally(roomId)).get(user.id) === 1;
    });
  }

  remove(roomId: string, userId: string) {
    return this.safe(false, async () => {
      const field = `${this.instanceId}|${userId}`;
      const left = await this.redis.hincrby(this.roomKey(roomId), field, -1);
      if (left <= 0) await this.redis.hdel(this.roomKey(roomId), field);
      return !(await this.tally(roomId)).has(userId);
    });
  }

  online(roomId: string) {
    return this.safe([] as { id: string; name: string }[], async () => {
      const ids = [...(await this.tally(roomId)).keys()];
      if (ids.length === 0) return [];
      const names = await this.redis.hmget(this.namesKey, ...ids);
      return ids.map((id, i) => ({ id, name: names[i] ?? "?" }));
    });
  }

  counts(roomIds: string[]) {
    return this.safe(new Map(roomIds.map((id) => [id, 0])), async () => {
      const tallies = await Promise.all(roomIds.map((id) => this.tally(id)));
      return new Map(roomIds.map((id, i) => [id, tallies[i].size]));
    });
  }

  private async safe<T>(fallback: T, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch {
      return fallback;
    }
  }

  /** Removes this instance's counts (graceful shutdown) and stops heartbeating. */
  async close() {
    clearInterval(this.timer);
    await this.redis.zrem(this.instancesKey, this.instanceId).catch(() => undefined);
  }
}
