import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "./errors";
import type { User } from "./chat/users";

/**
 * One row of the limiter table: at most `points` actions per `duration` seconds for one key (a user id,
 * a client IP, an account name). `block` (seconds, failure counters only) is how long a key waits once
 * it has used every point; without it the key waits until its window ends. `points: 0` turns the row off.
 */
export type LimitRule = { points: number; duration: number; block?: number };

/**
 * The key a user's costly actions are counted under in the rows counted "per user": an account's or a
 * bot's id; a guest's `limitKey`, its client address. A guest is only a display name, which anyone may
 * give at every connection: were its id the key, each new name would be a fresh budget (one client made
 * 600 rooms a minute under the 20-a-minute `create-room` row by connecting under 30 names).
 */
export const limitKeyOf = (user: Pick<User, "id" | "limitKey">): string => user.limitKey ?? user.id;

/**
 * The key row `name` counts `user` under: the user's own id in rows counted "user, guests by name"
 * (reads, whose budget a guest cannot multiply by taking new names: those are limited by `guest-names`,
 * and guests behind one address must not share one budget of reads), else limitKeyOf.
 */
export const limitKeyFor = (name: LimitName, user: Pick<User, "id" | "limitKey">): string =>
  LIMIT_TABLE[name].per === "user, guests by name" ? user.id : limitKeyOf(user);

/**
 * Takes a point of row `name` for `user` (under limitKeyFor), or throws AppError("rate_limited"). In a row
 * counted "user, guests by name", a guest also takes a point of `guest-message-pages` under its client
 * address (limitKeyOf), so that new names do not multiply what one address may read.
 */
export async function takeFor(limits: Limits, name: LimitName, user: Pick<User, "id" | "limitKey">): Promise<void> {
  await limits.take(name, limitKeyFor(name, user));
  if (user.limitKey !== undefined && LIMIT_TABLE[name].per === "user, guests by name") await limits.take("guest-message-pages", user.limitKey);
}

/** Takes what a new room costs (a point of `create-room` and of `create-room-daily`) from `user` (limitKeyOf). */
export async function takeRoomCreation(limits: Limits, user: Pick<User, "id" | "limitKey">): Promise<void> {
  await limits.take("create-room", limitKeyOf(user));
  await limits.take("create-room-daily", limitKeyOf(user));
}

/** The `limitKey` of a guest connecting from `addressKey` (an addressKey: IPv4 address or IPv6 /64). */
export const guestLimitKey = (addressKey: string): string => `guest@${addressKey}`;

/**
 * THE limiter table: every costly action and its default. Operators override rows with
 * `RATE_LIMITS=name=points/seconds,…` (see lib/config.ts); `what` words the refusal ("too many …").
 * Adding a limit: one row here, then `limits.take("<name>", key)` (or `limitBy` over HTTP, `{ limit }` on
 * a Socket.IO route).
 */
export const LIMIT_TABLE = {
  /** Chat messages per user (RATE_LIMIT_MESSAGES sets the points). */
  messages: { points: 30, duration: 10, per: "user", what: "messages" },
  /** Edits, deletions and reactions per user: each a write and an event to everyone in the room. */
  changes: { points: 60, duration: 10, per: "user", what: "edits, deletions and reactions" },
  "create-room": { points: 20, duration: 60, per: "user", what: "new rooms" },
  /**
   * New rooms per day, on top of `create-room`'s minute: every public room is in everyone's room list
   * (list-rooms, every 15 s per tab) for good, so the minute's row alone let one account (or the guests
   * of one address) add 28,800 rooms a day to every list.
   */
  "create-room-daily": { points: 200, duration: 86_400, per: "user", what: "new rooms today" },
  /**
   * Room pages of a name no room the reader may read has, asked whether a room holds it (page-data.ts
   * roomTaken): what `create-room` answers too, which its own rows slow; at page-load speed a guesser
   * would try names a hundred times faster. Past it the page asks nothing and offers Create as before.
   */
  "room-name-checks": { points: 20, duration: 60, per: "user", what: "room name checks" },
  "open-dm": { points: 30, duration: 60, per: "user", what: "direct messages opened" },
  "add-member": { points: 60, duration: 60, per: "user", what: "members added" },
  /** Removals from private rooms: each a transaction, and a real one a bus event and presence announcements. */
  "remove-member": { points: 60, duration: 60, per: "user", what: "members removed" },
  /** Rooms archived or unarchived (admins): each a transaction, and a change a list for everyone. */
  "archive-room": { points: 30, duration: 60, per: "user", what: "rooms archived or unarchived" },
  /**
   * Room lists (Socket.IO `list-rooms`): each reads every public room and the caller's rooms with their
   * unread and mention counts, a statement that grows with the rooms. The web client asks on connect,
   * every 15 s and when told its rooms changed; one connection asking without pause kept the database
   * busy (about 500 lists a second) and slowed everyone's history and sends tenfold.
   */
  "room-lists": { points: 600, duration: 60, per: "user", what: "room list requests" },
  /** Name suggestions (GET /api/users?q=): one per keystroke, with room to spare. */
  "people-lookup": { points: 60, duration: 10, per: "user", what: "name lookups" },
  /**
   * Which mentioned names are people (GET /api/users/mentions): a page asks once per batch of new
   * names it shows, up to 100 at a time. Guests count by client address.
   */
  "mention-lookup": { points: 60, duration: 10, per: "user", what: "mention lookups" },
  /**
   * Guest names a client address brings to the Socket.IO handshake that it has not brought in the
   * window (each may become a users row): a returning tab costs nothing, a script connecting under ever
   * new names is stopped. High enough for an office of guests behind one address.
   */
  "guest-names": { points: 300, duration: 600, per: "ip", what: "new guest names" },
  /** Accounts made through the join link, per client IP. */
  join: { points: 20, duration: 600, per: "ip", what: "accounts created" },
  setup: { points: 10, duration: 600, per: "ip", what: "setup attempts" },
  /**
   * Every sign-in attempt (right or wrong: each costs a password hash), per client IP, but those of
   * browsers that signed in to the account before (a device cookie), which count in `sign-in-device`.
   */
  "sign-in": { points: 30, duration: 60, per: "ip", what: "sign-in attempts" },
  /**
   * Sign-in attempts of browsers that signed in to their account before (lib/http/auth-routes.ts), per
   * client IP: apart from `sign-in`, so guessers sharing the address (an office NAT, a proxy not trusted)
   * cannot use up the owner's turn, and still bounded, so device cookies minted by signing in again and
   * again do not multiply the password hashes one address may cost.
   */
  "sign-in-device": { points: 30, duration: 60, per: "ip", what: "sign-in attempts" },
  /** Consecutive wrong passwords for one account from one IP; a success resets it (OWASP, rate-limiter-flexible's login example). */
  "sign-in-fails-name-ip": { points: 10, duration: 86_400, block: 3600, per: "account and IP", what: "failed sign-ins" },
  /** Wrong passwords from one IP, whatever the account: a slow brute force over many names. */
  "sign-in-fails-ip": { points: 100, duration: 86_400, block: 86_400, per: "ip", what: "failed sign-ins" },
  /** Wrong passwords for one account from anywhere: the slow, distributed guesser. Locks the account for the rest of the day. */
  "sign-in-fails-name": { points: 100, duration: 86_400, per: "account", what: "failed sign-ins for this account" },
  /**
   * Wrong passwords for one account from a browser that signed in to it before (its device cookie,
   * lib/auth/device-cookies.ts), counted instead of the three rows above: neither the account's lock
   * nor its address's (a guesser behind the same NAT or untrusted proxy) keeps its owner's own browser
   * out. Used up, that browser waits for the rest of the day.
   */
  "sign-in-fails-device": { points: 10, duration: 86_400, per: "account and device", what: "failed sign-ins" },
  "create-bot": { points: 10, duration: 3600, per: "user", what: "bots created" },
  announce: { points: 10, duration: 600, per: "user", what: "announcements" },
  "rotate-join-code": { points: 10, duration: 600, per: "user", what: "join-code rotations" },
  /** Push subscriptions saved and test pushes sent (each a row and a request to a push service). */
  push: { points: 20, duration: 3600, per: "user", what: "push requests" },
  /**
   * Notification preferences saved (a room's level, the push settings), per user: each is a write, and a
   * level change also empties that room's level cache on every instance, so every message there then
   * reads the levels again. A person changing settings by hand stays far below it.
   */
  preferences: { points: 60, duration: 60, per: "user", what: "notification setting changes" },
  /** Password changes (each checks the current password: a guessable, costly argon2 verify). */
  "password-change": { points: 10, duration: 3600, per: "user", what: "password changes" },
  /** Name changes (each re-keys the account and closes its connections). */
  rename: { points: 20, duration: 3600, per: "user", what: "name changes" },
  /** Files uploaded per minute (RATE_LIMIT_UPLOADS sets the points). */
  upload: { points: 20, duration: 60, per: "user", what: "uploads" },
  /** Files uploaded per day (UPLOAD_DAILY_FILES). */
  "upload-files": { points: 500, duration: 86_400, per: "user", what: "uploads today" },
  /** Bytes uploaded per day, charged with each file's size (UPLOAD_DAILY_BYTES). */
  "upload-bytes": { points: 2_147_483_648, duration: 86_400, per: "user", what: "uploaded bytes today" },
  /**
   * Typing notices per user (Socket.IO `typing`): each goes to everyone in the room. The web client
   * sends one every 2 s at most while someone types.
   */
  typing: { points: 20, duration: 10, per: "user", what: "typing notices" },
  /**
   * Read markers per user (Socket.IO `mark-read`): each is a database statement, and a write and an event
   * to the user's connections when it moves. Without a row one connection sent 560 a second and every
   * other client's requests waited on the database (a one-message `history` went from 3 ms to 250 ms).
   * The web client sends one a second at most per tab, and only when the marker moves.
   */
  "read-marks": { points: 60, duration: 10, per: "user", what: "read markers" },
  /**
   * `user-joined` / `user-left` announcements per user: each goes to everyone in the room when the user's
   * first connection enters it or the last leaves. Past the row, joins and leaves still happen, unannounced
   * (the room's `presence` list still follows): a person holding Alt+↓ through the rooms is not refused,
   * and a script cycling join/leave cannot flood a room.
   */
  "join-announcements": { points: 60, duration: 60, per: "user", what: "join and leave announcements" },
  /** Tab visibility reports (Socket.IO `visibility`): a person switching tabs all day stays far below it. */
  visibility: { points: 120, duration: 60, per: "user", what: "visibility changes" },
  /**
   * Link preview pages an author causes the server to fetch (URLs not in the cluster-wide cache); past
   * it the message is stored without a card, never refused.
   */
  preview: { points: 10, duration: 60, per: "user", what: "link preview fetches" },
  /** Link preview images a reader causes the server to download (cache misses of GET /api/previews/:id/image). */
  "preview-image": { points: 60, duration: 60, per: "user", what: "preview image downloads" },
  /**
   * Pages of messages read over Socket.IO: `history`, `thread-history`, `changes`, `join-room` (its
   * page), and each room a handshake's `lastSeen` catch-up replays (past the row the catch-up stops and
   * the client fills its gaps from `history`). Each page can be hundreds of kilobytes of JSON: without
   * it one connection read 464 pages (190 MB) in 3 s. A person switching rooms and scrolling fast reads
   * a few pages a second at most. Guests count by name, not by address (see limitKeyFor).
   */
  "message-pages": { points: 600, duration: 60, per: "user, guests by name", what: "pages of messages" },
  /**
   * The same pages, read by all guests of one client address together (on top of each guest's own
   * `message-pages`): a client connecting under new names (300 allowed per 10 minutes by `guest-names`)
   * got 600 more pages a minute with each. Ten guests' worth, for an office behind one address.
   */
  "guest-message-pages": { points: 6000, duration: 60, per: "ip", what: "pages of messages" },
  /**
   * Pages rendered for one client address: each GET of a page (its HTML, or the React Server Components
   * payload of a client-side navigation) runs React on the server, a few ms of CPU. Without a limit one
   * client had about 200 sign-in pages a second rendered. Build assets and public files are not counted.
   */
  pages: { points: 600, duration: 60, per: "ip", what: "page loads" },
  /**
   * Every request to the HTTP API by one signed-in caller (user, bot; guests by client address), on top
   * of the rows of the costly ones: a backstop for the reads no other row covers (the session, levels,
   * announcements, admin lists, file downloads), each an identity check and a database statement or a
   * file read. Without it 32 loops of one account's GETs slowed everyone's `history` from 3 ms to
   * 40-130 ms. 20 a second over a minute: a page load asks for a few, a room of photos for its
   * thumbnails; link preview images have their own, lower row.
   */
  "api-requests": { points: 1200, duration: 60, per: "user", what: "API requests" },
  /** Searches (each a full-text query over the history; RATE_LIMIT_SEARCHES sets the points). */
  search: { points: 30, duration: 10, per: "user", what: "searches" },
  /**
   * Every Socket.IO event one user (guests: client address) sends to one instance, over all their
   * connections, on top of the rows of the costly ones: a backstop for the events no other row covers
   * (unknown events, malformed ones) and for the cost of refusing the others, since even an event refused
   * at once is decoded, dispatched and answered on the one event loop. Without it one account's 20
   * connections sent about 10,000 events a second (unknown events, `typing`, `history`, nearly all
   * refused) and another user's one-message `history` took 200-900 ms instead of 6 (a security trial).
   * Counted in each instance's memory (`local`): a Redis round trip per event would cost more than the
   * event. Past it an event is answered `rate_limited`; a connection that goes on to twice the row's
   * points within its window is closed (see createRouter). A person's tabs send a few events a second;
   * a load generator turns the row off (`RATE_LIMITS=socket-events=0`, as the bench does).
   */
  "socket-events": { points: 1200, duration: 10, per: "user", what: "events", local: true },
} as const satisfies Record<string, LimitRule & { per: string; what: string; local?: true }>;

export type LimitName = keyof typeof LIMIT_TABLE;
export const LIMIT_NAMES = Object.keys(LIMIT_TABLE) as LimitName[];

/** Every limiter, by table row; `take` is how callers use them. */
export type Limits = {
  /** Takes one point from `name` for `key`, or throws AppError("rate_limited") with `retryAfter` (seconds). */
  take(name: LimitName, key: string): Promise<void>;
  /** The limiter behind a row (null when the row is turned off), for counters that are not plain consumption. */
  limiter(name: LimitName): RateLimiterAbstract | null;
  rule(name: LimitName): LimitRule;
};

/** Upload limits per user (0 = unlimited). */
export type UploadLimitsConfig = { perMinute: number; dailyFiles: number; dailyBytes: number };

/**
 * Builds the table's limiters: in memory for one instance; in Redis when several share the limits (each
 * with an in-memory fallback, so a Redis outage degrades to per-instance limits instead of refusing
 * everything), except rows marked `local`, counted in each instance's memory. `overrides` replace whole rows (from RATE_LIMITS; `messagesPer10s` from RATE_LIMIT_MESSAGES).
 */
export function createLimits(opts: {
  messagesPer10s: number;
  /** UPLOAD_* settings: the points of the upload rows (0 turns one off). */
  uploads?: UploadLimitsConfig;
  /** RATE_LIMIT_SEARCHES: the points of the search row (0 turns it off). */
  searchesPer10s?: number;
  overrides?: Partial<Record<LimitName, LimitRule>>;
  redis?: Redis;
  prefix?: string;
}): Limits {
  const rules = new Map<LimitName, LimitRule>();
  const limiters = new Map<LimitName, RateLimiterAbstract>();
  for (const name of LIMIT_NAMES) {
    const row: LimitRule = LIMIT_TABLE[name];
    const override = opts.overrides?.[name];
    const configured = configuredPoints(name, opts);
    const rule: LimitRule = override
      ? { block: row.block, ...override }
      : configured !== undefined
        ? { points: configured, duration: row.duration }
        : { points: row.points, duration: row.duration, block: row.block };
    rules.set(name, rule);
    if (rule.points <= 0) continue;
    const { points, duration } = rule;
    limiters.set(
      name,
      opts.redis && !("local" in LIMIT_TABLE[name])
        ? new RateLimiterRedis({
            storeClient: opts.redis,
            keyPrefix: `${opts.prefix ?? "hibiki"}:rl:${name}`,
            points,
            duration,
            insuranceLimiter: new RateLimiterMemory({ points, duration }),
          })
        : new RateLimiterMemory({ points, duration }),
    );
  }
  return {
    limiter: (name) => limiters.get(name) ?? null,
    rule: (name) => rules.get(name)!,
    async take(name, key) {
      const limiter = limiters.get(name);
      if (!limiter) return;
      try {
        await limiter.consume(key);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        throw rateLimited(LIMIT_TABLE[name].what, err.msBeforeNext);
      }
    },
  };
}

/** Rows whose points have their own setting (RATE_LIMIT_MESSAGES, UPLOAD_*), or undefined. */
function configuredPoints(name: LimitName, opts: { messagesPer10s: number; uploads?: UploadLimitsConfig; searchesPer10s?: number }): number | undefined {
  if (name === "messages") return opts.messagesPer10s;
  if (name === "search") return opts.searchesPer10s;
  if (name === "upload") return opts.uploads?.perMinute;
  if (name === "upload-files") return opts.uploads?.dailyFiles;
  if (name === "upload-bytes") return opts.uploads?.dailyBytes;
  return undefined;
}

/** The refusal every limit answers with: `rate_limited`, and when to retry (whole seconds, at least 1). */
export function rateLimited(what: string, msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError("rate_limited", `too many ${what}; try again in ${seconds} s`, { retryAfter: seconds });
}

/**
 * Parses RATE_LIMITS: comma-separated `name=points/seconds[/blockSeconds]` (`name=0` turns a row off).
 * Throws an Error naming the bad entry; lib/config.ts turns it into a one-line ConfigError.
 */
export function parseLimitOverrides(text: string): Partial<Record<LimitName, LimitRule>> {
  const out: Partial<Record<LimitName, LimitRule>> = {};
  for (const entry of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z-]+)=(\d+)(?:\/(\d+)(?:\/(\d+))?)?$/.exec(entry);
    if (!m) throw new Error(`"${entry}" is not name=points/seconds`);
    const name = m[1] as LimitName;
    if (!(name in LIMIT_TABLE)) throw new Error(`unknown limit "${m[1]}" (known: ${LIMIT_NAMES.join(", ")})`);
    const points = Number(m[2]);
    if (points > 0 && !m[3]) throw new Error(`"${entry}" needs a window: ${name}=${points}/seconds`);
    const duration = Number(m[3] ?? 1);
    if (duration < 1) throw new Error(`"${entry}": the window must be at least 1 second`);
    out[name] = { points, duration, ...(m[4] ? { block: Number(m[4]) } : {}) };
  }
  return out;
}
