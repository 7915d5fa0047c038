import type { Identity } from "./identify";

type Entry = { identity: Identity; at: number };
/** One invalidation: everything cached for `userId` or for `sessionId` went stale at position `seq`. */
type Stale = { seq: number; userId?: string; sessionId?: string };

/** How many recent invalidations are remembered for lookups still in flight (older lookups are not stored). */
const RECENT = 512;

/**
 * The Socket.IO handshake's identities (a signed-in user's session or a bot token, with the ids of their
 * rooms) for `ttlMs`, so that a reconnect, a second tab or a bot's many connections skip the database.
 * Guests are never kept (admitting one also records them).
 *
 * Correctness rests on being told, in this process and at once, of everything that changes an answer:
 * a session ended (sign-out, "sign out everywhere"), a user banned, renamed or stripped of a right, and
 * every membership change (the room ids). server.ts wires the event bus and the chat domain to it; with
 * several instances it is not used at all (the bus between instances can lose events while Redis is
 * away, and a refusal must not wait for the TTL). A session past its expiry is refused as the database
 * would, and `ttlMs` bounds what no event reports (an operator editing rows by hand).
 *
 * A lookup that was in flight while something about its user or session changed is not stored (see
 * `mark` / `put`): its answer may predate the change.
 */
export class IdentityCache {
  private entries = new Map<string, Entry>();
  /** Keys of `entries` by user id. */
  private byUser = new Map<string, Set<string>>();
  private seq = 0;
  private recent: Stale[] = [];

  constructor(private opts: { ttlMs: number; maxEntries: number; now?: () => number }) {}

  private now() {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  /** The identity cached under `key` (a credential's hash with its kind), or undefined. A copy: callers may keep it. */
  get(key: string): Identity | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    const expires = entry.identity.session?.expiresAt.getTime();
    if (now - entry.at >= this.opts.ttlMs || (expires !== undefined && expires <= now)) {
      this.remove(key);
      return undefined;
    }
    const { identity } = entry;
    return { ...identity, user: { ...identity.user }, roomIds: identity.roomIds && [...identity.roomIds] };
  }

  /** The position to pass to put() for a lookup starting now. */
  mark(): number {
    return this.seq;
  }

  /** Keeps a lookup's answer, unless something about its user or session changed since `mark` (then it may be stale). */
  put(key: string, identity: Identity, mark: number): void {
    if (this.opts.ttlMs <= 0 || identity.via === "guest" || !identity.roomIds) return;
    if (mark < this.seq) {
      // Positions older than what `recent` holds cannot be checked: drop the answer.
      if (this.recent.length === 0 || this.recent[0].seq > mark + 1) return;
      const sessionId = identity.session?.id;
      for (const s of this.recent) {
        if (s.seq > mark && (s.userId === identity.user.id || (sessionId !== undefined && s.sessionId === sessionId))) return;
      }
    }
    this.remove(key);
    if (this.entries.size >= this.opts.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.remove(oldest);
    }
    this.entries.set(key, { identity: { ...identity, user: { ...identity.user }, roomIds: [...identity.roomIds] }, at: this.now() });
    const userId = identity.user.id;
    let keys = this.byUser.get(userId);
    if (!keys) this.byUser.set(userId, (keys = new Set()));
    keys.add(key);
  }

  private remove(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const keys = this.byUser.get(entry.identity.user.id);
    keys?.delete(key);
    if (keys?.size === 0) this.byUser.delete(entry.identity.user.id);
  }

  private keysOf(userId: string): string[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  private stale(s: Omit<Stale, "seq">) {
    this.recent.push({ seq: ++this.seq, ...s });
    if (this.recent.length > RECENT) this.recent.splice(0, this.recent.length - RECENT);
  }

  /** A session ended: its handshakes go to the database again (and find it gone). */
  forgetSession(sessionId: string): void {
    this.stale({ sessionId });
    // Rare (a sign-out): a scan is cheaper than another index.
    for (const [key, e] of this.entries) if (e.identity.session?.id === sessionId) this.remove(key);
  }

  /** Something about the user changed (banned, renamed, a right taken away): every credential of theirs is looked up again. */
  forgetUser(userId: string): void {
    this.stale({ userId });
    for (const key of this.keysOf(userId)) this.remove(key);
  }

  /** The user became a member of a room (`member`) or stopped being one: the cached room ids follow. */
  membershipChanged(userId: string, roomId: string, member: boolean): void {
    this.stale({ userId });
    for (const key of this.keysOf(userId)) {
      const identity = this.entries.get(key)?.identity;
      if (!identity?.roomIds) continue;
      const ids = identity.roomIds.filter((id) => id !== roomId);
      identity.roomIds = member ? [...ids, roomId] : ids;
    }
  }

  /** How many identities are kept (tests, metrics). */
  get size(): number {
    return this.entries.size;
  }
}
