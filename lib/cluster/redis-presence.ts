import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { OnlineUser, PresenceStore, PresentUser } from "../chat/presence";

/** Users of a dead instance who are no longer online anywhere in one room. */
export type GoneListener = (roomId: string, users: { id: string; name: string }[]) => void;

/**
 * Cluster-wide presence in Redis. Per room, a hash counts connections per (instance, user); a user is
 * online in a room while any live instance counts them. Instances heartbeat into a sorted set every
 * `heartbeatMs`; one silent for two heartbeats is gone (killed, partitioned). Each instance also lists
 * the rooms it counts in, so a survivor can reap a dead instance: the first to win `SET NX` on the dead
 * id removes its counts and reports, once cluster-wide, the users who thereby left each room.
 */
export class RedisPresence implements PresenceStore {
  readonly instanceId = randomUUID().slice(0, 12);
  private live = new Set<string>([this.instanceId]);
  /** Instances silent for two heartbeats at our last look, not reaped yet: their counts do not count. */
  private dead = new Set<string>();
  private timer: NodeJS.Timeout;
  private refreshedAt = 0;
  private readonly ttlMs: number;
  /** This instance's own counts (room → user → connections), to write back if it was reaped while alive. */
  private mine = new Map<string, Map<string, { name: string; n: number }>>();
  private onGone: GoneListener = () => undefined;
  private onBack: GoneListener = () => undefined;

  constructor(private redis: Redis, private prefix: string, private heartbeatMs = 5_000) {
    this.ttlMs = 2 * heartbeatMs;
    this.timer = setInterval(() => void this.heartbeat().catch(() => undefined), heartbeatMs);
    this.timer.unref();
  }

  private roomKey = (roomId: string) => `${this.prefix}:presence:${roomId}`;
  private roomsOf = (instance: string) => `${this.prefix}:presence-rooms:${instance}`;
  private get instancesKey() {
    return `${this.prefix}:instances`;
  }
  private get namesKey() {
    return `${this.prefix}:names`;
  }
  /**
   * A hash of the ids of the bots ever present (id → "1"; a user's kind never changes): what marks them in
   * online(). A hash rather than a set: HMGET asks for many at once on any Redis (SMISMEMBER needs 6.2).
   */
  private get botsKey() {
    return `${this.prefix}:bots`;
  }

  /** Called with the users a reaped instance took out of a room (on the reaping instance only). */
  setGoneListener(listener: GoneListener) {
    this.onGone = listener;
  }

  /**
   * Called with the users this instance's restored counts make online again in a room (after a survivor
   * reaped it while it was only stalled and announced them as gone); on this instance only.
   */
  setBackListener(listener: GoneListener) {
    this.onBack = listener;
  }

  /** Announces this instance, refreshes which instances are alive, and reaps the dead ones. */
  async heartbeat() {
    const now = Date.now();
    const added = await this.redis.zadd(this.instancesKey, now, this.instanceId);
    // Not listed although counting: a survivor reaped us during a stall. Our counts come back.
    if (Number(added) === 1 && this.mine.size > 0) await this.restoreOwnCounts();
    const alive = await this.redis.zrangebyscore(this.instancesKey, now - this.ttlMs, "+inf");
    this.live = new Set([...alive, this.instanceId]);
    this.refreshedAt = now;
    const dead = (await this.redis.zrangebyscore(this.instancesKey, "-inf", `(${now - this.ttlMs}`)).filter((i) => i !== this.instanceId);
    this.dead = new Set(dead);
    for (const instance of dead) await this.reap(instance);
  }

  /** Removes a dead instance's counts and reports who left; only the instance that wins the lock does. */
  private async reap(instance: string) {
    const won = await this.redis.set(`${this.prefix}:reaping:${instance}`, this.instanceId, "PX", this.ttlMs, "NX");
    if (won !== "OK") return;
    for (const roomId of await this.redis.smembers(this.roomsOf(instance))) {
      const fields = Object.keys(await this.redis.hgetall(this.roomKey(roomId))).filter((f) => f.startsWith(`${instance}|`));
      if (fields.length === 0) continue;
      await this.redis.hdel(this.roomKey(roomId), ...fields);
      const still = await this.tally(roomId);
      const ids = fields.map((f) => f.slice(instance.length + 1)).filter((id) => !still.has(id));
      if (ids.length === 0) continue;
      const names = await this.redis.hmget(this.namesKey, ...ids);
      this.onGone(roomId, ids.map((id, i) => ({ id, name: names[i] ?? "?" })));
    }
    await this.redis.del(this.roomsOf(instance));
    await this.redis.zrem(this.instancesKey, instance);
  }

  private async restoreOwnCounts() {
    // Who is online elsewhere now: the others were announced as gone when we were reaped, and come back.
    // One round trip for every room's counts.
    const rooms = [...this.mine.keys()];
    const read = this.redis.pipeline();
    for (const roomId of rooms) read.hgetall(this.roomKey(roomId));
    const counts = (await read.exec()) ?? [];
    const elsewhere = new Map<string, Set<string>>();
    rooms.forEach((roomId, i) => {
      const [err, fields] = counts[i] ?? [null, {}];
      if (err) throw err;
      const others = Object.entries(fields as Record<string, string>).filter(([f, n]) => !f.startsWith(`${this.instanceId}|`) && Number(n) > 0);
      elsewhere.set(roomId, new Set(others.map(([f]) => f.slice(f.indexOf("|") + 1))));
    });
    const batch = this.redis.multi();
    for (const [roomId, users] of this.mine) {
      batch.sadd(this.roomsOf(this.instanceId), roomId);
      for (const [userId, { name, n }] of users) {
        batch.hset(this.namesKey, userId, name);
        batch.hset(this.roomKey(roomId), `${this.instanceId}|${userId}`, n);
      }
    }
    await batch.exec();
    for (const [roomId, users] of this.mine) {
      const back = [...users].filter(([userId]) => !elsewhere.get(roomId)?.has(userId)).map(([id, { name }]) => ({ id, name }));
      if (back.length > 0) this.onBack(roomId, back);
    }
  }

  /**
   * Connection counts per user in a room, over every instance but those found dead. Counts of an
   * instance not alive at our last heartbeat make us look again (at most four times a second): it may
   * have started since (an instance announces itself before it counts anyone), or come back after a
   * stall. Between two looks an instance we have never heard of counts: leaving it out made a new
   * instance's users invisible here for up to 250 ms (a `join-room` answered a room's online count
   * without them).
   */
  private async tally(roomId: string): Promise<Map<string, number>> {
    const fields = await this.redis.hgetall(this.roomKey(roomId));
    const unknown = Object.keys(fields).some((f) => !this.live.has(f.split("|")[0]));
    if (unknown && Date.now() - this.refreshedAt > 250) await this.heartbeat();
    const byUser = new Map<string, number>();
    for (const [field, count] of Object.entries(fields)) {
      const [instance, userId] = field.split("|");
      if (this.dead.has(instance)) continue;
      byUser.set(userId, (byUser.get(userId) ?? 0) + Number(count));
    }
    for (const [u, n] of byUser) if (n <= 0) byUser.delete(u);
    return byUser;
  }

  private track(roomId: string, user: { id: string; name: string }, delta: number) {
    let users = this.mine.get(roomId);
    if (!users) this.mine.set(roomId, (users = new Map()));
    const entry = users.get(user.id) ?? { name: user.name, n: 0 };
    entry.n += delta;
    if (entry.n > 0) users.set(user.id, entry);
    else users.delete(user.id);
    if (users.size === 0) this.mine.delete(roomId);
  }

  // Presence is advisory: while Redis is unreachable the chat keeps working and presence reads empty.
  add(roomId: string, user: PresentUser) {
    this.track(roomId, user, 1);
    return this.safe(false, async () => {
      await this.redis.hset(this.namesKey, user.id, user.name);
      if (user.kind === "bot") await this.redis.hset(this.botsKey, user.id, "1");
      await this.redis.sadd(this.roomsOf(this.instanceId), roomId);
      await this.redis.hincrby(this.roomKey(roomId), `${this.instanceId}|${user.id}`, 1);
      return (await this.tally(roomId)).get(user.id) === 1;
    });
  }

  remove(roomId: string, userId: string) {
    this.track(roomId, { id: userId, name: "" }, -1);
    return this.safe(false, async () => {
      const field = `${this.instanceId}|${userId}`;
      const left = await this.redis.hincrby(this.roomKey(roomId), field, -1);
      if (left <= 0) await this.redis.hdel(this.roomKey(roomId), field);
      return !(await this.tally(roomId)).has(userId);
    });
  }

  online(roomId: string) {
    return this.safe([] as OnlineUser[], async () => {
      const ids = [...(await this.tally(roomId)).keys()];
      if (ids.length === 0) return [];
      // Names and which are bots in one round trip.
      const replies = (await this.redis.pipeline().hmget(this.namesKey, ...ids).hmget(this.botsKey, ...ids).exec()) ?? [];
      const [names, bots] = replies.map(([err, value]) => {
        if (err) throw err;
        return value;
      }) as [(string | null)[], (string | null)[]];
      return ids.map((id, i): OnlineUser => (bots[i] === "1" ? { id, name: names[i] ?? "?", bot: true } : { id, name: names[i] ?? "?" }));
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

  /**
   * Stops heartbeating and marks this instance expired, so the next survivor's heartbeat reaps whatever
   * counts graceful shutdown left behind (and announces those users as gone).
   */
  async close() {
    clearInterval(this.timer);
    this.mine.clear();
    await this.redis.zadd(this.instancesKey, 0, this.instanceId).catch(() => undefined);
  }
}
