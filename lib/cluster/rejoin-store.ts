import type { Redis } from "ioredis";

/**
 * What the server remembers of a dropped connection so that, if Socket.IO's connection-state recovery
 * cannot restore it, the server can still put it back in its chat rooms: the user, the chat room ids it
 * had joined, and the time (ms since the epoch) from which it may have missed messages. `open`: written
 * while the connection was still up (its rooms as they changed), for an instance that dies without
 * seeing the drop; `since` is then the connection's start, and the drop's time is unknown.
 */
export type RejoinHint = { userId: string; rooms: string[]; since: number; open?: boolean };

/**
 * Rejoin hints keyed by the connection's Socket.IO private session id (`pid`): socket.io-client sends
 * it on every reconnection of the same manager, even when recovery then fails. `take` reads once.
 */
export interface RejoinStore {
  /**
   * Whether hints outlive this instance (Redis): only then are a live connection's rooms written as they
   * change, so that its clients are put back in them elsewhere if this instance dies.
   */
  readonly shared: boolean;
  save(pid: string, hint: RejoinHint): Promise<void>;
  take(pid: string): Promise<RejoinHint | undefined>;
}

/** How long a hint is kept: a laptop that slept through the night still comes back to its rooms. */
export const REJOIN_HINT_TTL_MS = 24 * 3600_000;
/** At most this many hints in memory (oldest dropped first): one per dropped connection. */
const MAX_MEMORY_HINTS = 100_000;

/** Hints for a single instance, in memory. Entries are kept in save order, so expired ones are at the front. */
export class MemoryRejoinStore implements RejoinStore {
  readonly shared = false;
  private hints = new Map<string, { hint: RejoinHint; expires: number }>();

  async save(pid: string, hint: RejoinHint) {
    const now = Date.now();
    for (const [key, entry] of this.hints) {
      if (entry.expires > now && this.hints.size < MAX_MEMORY_HINTS) break;
      this.hints.delete(key);
    }
    this.hints.delete(pid);
    this.hints.set(pid, { hint, expires: now + REJOIN_HINT_TTL_MS });
  }

  async take(pid: string) {
    const entry = this.hints.get(pid);
    this.hints.delete(pid);
    return entry && entry.expires > Date.now() ? entry.hint : undefined;
  }
}

/** Hints shared by every instance (a client may come back through another one), expiring in Redis. */
export class RedisRejoinStore implements RejoinStore {
  readonly shared = true;
  constructor(private redis: Redis, private prefix: string) {}

  private key = (pid: string) => `${this.prefix}:rejoin:${pid}`;

  async save(pid: string, hint: RejoinHint) {
    await this.redis.set(this.key(pid), JSON.stringify(hint), "PX", REJOIN_HINT_TTL_MS);
  }

  async take(pid: string) {
    const raw = await this.redis.getdel(this.key(pid));
    return raw ? (JSON.parse(raw) as RejoinHint) : undefined;
  }
}
