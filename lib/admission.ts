import { AppError } from "./errors";

/**
 * The connect throttle (issue #17, "reconnect storm"): at most `concurrency` new connections do their
 * database work (the handshake's identity lookup, then the connection's catch-up) at once; the others
 * wait their turn (in arrival order, or round-robin by key: below). After a restart every client comes back within a few seconds; without
 * the gate thousands of handshakes reach the database together (PGlite is one thread), each waits behind
 * all the others, the clients' timeouts fire, they retry, and the retries add to the queue. With the gate
 * the database queue stays short, so the joins and messages of connections already admitted are answered
 * at once, and a waiting handshake costs only its place in the queue: no timer, no work on the event loop.
 *
 * A handshake that finds `queueMax` others waiting, or a queue it would wait longer than `maxWaitMs` in
 * (estimated from how long slots are being held), is refused at once with `rate_limited` and a
 * `retryAfter` (seconds), unless a full queue has a key with at least two more waiters than its own:
 * then that key's newest waiter is refused in its place (longest-queue drop), so one address that
 * fills the queue (a flood, or its own reconnect storm) pushes out only its own handshakes. Each refusal is given its own later turn: the first is told when the queue
 * will have drained, each next one a slot's time later, so refused clients that honour it come back
 * spread out at the rate the gate admits, and find room: one refusal, not a loop of them.
 *
 * Waiters given a `key` (the image queue passes the uploader, the connect throttle the client address) are served round-robin by key, each key's
 * own in arrival order: one account's ten slow images do not hold another person's image behind all of
 * them, only behind the one being processed (ten 7000 × 7000 GIFs, 20–30 s each, held a 50 × 50 PNG of
 * someone else for over five minutes in arrival order). Its wait is estimated the same way: one turn for
 * each key with waiters for every waiter of its own ahead of it.
 */
export type AdmissionGate = {
  /**
   * Waits for a slot. Resolves with its release (idempotent: call it when the connection's connect work
   * is done or the connection is gone), or with null when `gone()` says the client left while waiting (no
   * slot is taken then). Throws AppError("rate_limited") with `retryAfter` when the queue is full.
   */
  enter(gone: () => boolean, key?: string): Promise<(() => void) | null>;
  /** Slots in use now. */
  readonly inFlight: number;
  /** Handshakes waiting for a slot now. */
  readonly waiting: number;
};

export type AdmissionOptions = {
  /** CONNECT_CONCURRENCY: slots; 0 turns the gate off (every handshake goes straight on). */
  concurrency: number;
  /** CONNECT_QUEUE_MAX: longest queue; a handshake arriving past it is refused with `retryAfter`. */
  queueMax: number;
  /** Longest estimated wait, in ms, a handshake is queued for (under the server's connect timeout). */
  maxWaitMs: number;
  /** Called when a handshake is refused because the queue is full (metrics). */
  onRefused?: () => void;
  /** What a refusal says before "try again in N s" (default: the connect throttle's own words). */
  busy?: string;
  /** The first guess of how long a slot is held, in ms, before any was (default 20: a handshake). */
  holdMs?: number;
};

type Waiter = { gone: () => boolean; resolve: (release: (() => void) | null) => void; reject: (err: AppError) => void };
/** One key's waiters, in arrival order (an array consumed from a moving head). */
type Line = { waiters: Waiter[]; head: number };

/** Weight of the newest hold time in the running average that `retryAfter` is estimated from. */
const HOLD_EWMA_WEIGHT = 0.05;
/** Bounds of `retryAfter`, in seconds. */
const RETRY_AFTER_MIN_S = 1;
const RETRY_AFTER_MAX_S = 300;

/**
 * Builds the gate: a counting semaphore with a FIFO queue (an array consumed from a moving head). Also
 * what bounds other costly work done for many clients at once: image decoding (lib/files/inspect.ts) and
 * preview image fetches (lib/previews/image-cache.ts), each with its own `busy` words.
 */
export function createAdmissionGate(opts: AdmissionOptions): AdmissionGate {
  let inFlight = 0;
  /** The keys with waiters, each with its line; a Map keeps insertion order, which is the turn order. */
  const lines = new Map<string, Line>();
  let waiting = 0;
  /** Running average of how long a slot is held, in ms (the first guess: a handshake plus a catch-up). */
  let holdMs = opts.holdMs ?? 20;
  /** performance.now() of the last turn handed out to a refused handshake. */
  let lastTurn = 0;

  function take(): () => void {
    inFlight++;
    const since = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight--;
      holdMs += (performance.now() - since - holdMs) * HOLD_EWMA_WEIGHT;
      pump();
    };
  }

  /** The next waiter: the first of the key whose turn it is; that key then goes to the back. */
  function next(): Waiter | undefined {
    const first = lines.entries().next();
    if (first.done) return undefined;
    const [key, line] = first.value;
    const waiter = line.waiters[line.head++];
    waiting--;
    lines.delete(key);
    if (line.head < line.waiters.length) {
      // Drop the consumed prefix now and then, so a long line does not keep every waiter it ever had.
      if (line.head > 1024 && line.head * 2 > line.waiters.length) {
        line.waiters = line.waiters.slice(line.head);
        line.head = 0;
      }
      lines.set(key, line);
    }
    return waiter;
  }

  function pump() {
    while (inFlight < opts.concurrency) {
      const waiter = next();
      if (!waiter) break;
      waiter.resolve(waiter.gone() ? null : take());
    }
  }

  /** Waiters served before a new one of `key`: per key with waiters, as many as `key` has (one more for the others). */
  function ahead(key: string): number {
    const own = lines.get(key);
    if (lines.size === 1 && own) return waiting;
    const mine = own ? own.waiters.length - own.head : 0;
    let turns = 0;
    for (const [k, line] of lines) turns += k === key ? mine : Math.min(line.waiters.length - line.head, mine + 1);
    return turns;
  }

  /** ms between two admissions while every slot is busy. */
  const turnMs = () => holdMs / opts.concurrency;

  /** The refusal of a handshake `before` waiters from its turn: `rate_limited` with its own later turn as `retryAfter` (s). */
  function refusal(before: number): AppError {
    opts.onRefused?.();
    const now = performance.now();
    lastTurn = Math.max(lastTurn, now + before * turnMs()) + turnMs();
    const retryAfter = Math.min(RETRY_AFTER_MAX_S, Math.max(RETRY_AFTER_MIN_S, Math.ceil((lastTurn - now) / 1000)));
    return new AppError("rate_limited", `${opts.busy ?? "the server is busy with reconnections"}; try again in ${retryAfter} s`, { retryAfter });
  }

  /** The line with the most waiters, if it has at least two more than `key`'s own (else null: nothing to take room from). */
  function longestLine(key: string): { key: string; line: Line } | null {
    const own = lines.get(key);
    const mine = own ? own.waiters.length - own.head : 0;
    let best: { key: string; line: Line } | null = null;
    let most = mine + 1;
    for (const [k, line] of lines) {
      const length = line.waiters.length - line.head;
      if (k !== key && length > most) [best, most] = [{ key: k, line }, length];
    }
    return best;
  }

  return {
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return waiting;
    },
    async enter(gone, key = "") {
      if (opts.concurrency <= 0) return () => {};
      if (inFlight < opts.concurrency && waiting === 0) return take();
      // A full queue makes room for a key with fewer waiters than the longest line's: that line's newest
      // waiter is refused instead (longest-queue drop), so one address's flood cannot keep everyone else out.
      if (waiting >= opts.queueMax) {
        const longest = longestLine(key);
        if (!longest) throw refusal(ahead(key));
        const dropped = longest.line.waiters.pop()!;
        waiting--;
        if (longest.line.head >= longest.line.waiters.length) lines.delete(longest.key);
        dropped.reject(refusal(ahead(longest.key)));
      }
      const before = ahead(key);
      if (before * turnMs() > opts.maxWaitMs) throw refusal(before);
      return new Promise((resolve, reject) => {
        let line = lines.get(key);
        if (!line) lines.set(key, (line = { waiters: [], head: 0 }));
        line.waiters.push({ gone, resolve, reject });
        waiting++;
      });
    },
  };
}
