/**
 * What a handshake must not miss: the rights this instance saw taken away (a session ended, an account
 * banned or its rights changed, guest access turned off), in the order it heard of them.
 *
 * Such a change closes the connections it concerns when it is announced (the bus, after its commit),
 * by the Socket.IO rooms they were registered in (the user's, the session's, the guests'). A handshake
 * reads its identity before its connection is registered there: a change that committed after that read
 * and was announced before the registration found nothing to close, and the connection stayed with a
 * right it no longer had (a signed-out session, a banned account, a guest after guest access went off).
 * So a handshake takes `mark()` before it reads its identity, and once its connection is registered asks
 * `revokedSince(mark, …)`: a change heard before the mark committed before the read, which saw it; one
 * heard after the registration finds the connection registered; one heard in between is in this log.
 * The same holds for a member removed from a private room (`{ userId, roomId }`), whose handshake read
 * the room among theirs before the removal: roomsLeftSince() names those rooms for the connection to
 * stop watching. No database query is needed. Entries are kept for `keepMs` (longer than any handshake may take: see
 * CONNECT_TIMEOUT_MS); a mark older than the oldest kept entry counts as revoked.
 */
export type Revocation = { userId: string; roomId?: undefined } | { sessionId: string } | { guests: true } | { userId: string; roomId: string };

/** Who a connection is, as far as revocations go. */
export type RevocationSubject = { userId: string; sessionId?: string; guest: boolean };

export type RevocationLog = {
  /** The number of revocations heard so far: take it before reading an identity. */
  mark(): number;
  /** Notes a revocation as it is announced on this instance. */
  record(r: Revocation): void;
  /** Whether a revocation heard after `mark` concerns `who` (see the module comment). */
  revokedSince(mark: number, who: RevocationSubject): boolean;
  /** Ids of the rooms `userId` was removed from after `mark`. */
  roomsLeftSince(mark: number, userId: string): string[];
};

export function createRevocationLog(opts: { keepMs?: number; now?: () => number } = {}): RevocationLog {
  const keepMs = opts.keepMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now;
  let count = 0;
  const entries: { n: number; at: number; r: Revocation }[] = [];
  const prune = () => {
    const cut = now() - keepMs;
    while (entries.length > 0 && entries[0].at < cut) entries.shift();
  };
  const concerns = (r: Revocation, who: RevocationSubject) =>
    ("userId" in r && r.roomId === undefined && r.userId === who.userId) || ("sessionId" in r && r.sessionId === who.sessionId) || ("guests" in r && who.guest);
  return {
    mark: () => count,
    record(r) {
      prune();
      entries.push({ n: ++count, at: now(), r });
    },
    revokedSince(mark, who) {
      prune();
      // Entries after `mark` were pruned: the handshake took longer than anything kept can tell.
      if (mark < count && (entries.length === 0 || entries[0].n > mark + 1)) return true;
      for (let i = entries.length - 1; i >= 0 && entries[i].n > mark; i--) if (concerns(entries[i].r, who)) return true;
      return false;
    },
    roomsLeftSince(mark, userId) {
      const rooms: string[] = [];
      for (let i = entries.length - 1; i >= 0 && entries[i].n > mark; i--) {
        const r = entries[i].r;
        if ("roomId" in r && r.roomId !== undefined && r.userId === userId) rooms.push(r.roomId);
      }
      return rooms;
    },
  };
}
