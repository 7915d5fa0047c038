import { AppError } from "./errors";

/**
 * The connect throttle (issue #17, "reconnect storm"): at most `concurrency` new connections do their
 * database work (the handshake's identity lookup, then the connection's catch-up) at once; the others
 * wait their turn in arrival order. After a restart every client comes back within a few seconds; without
 * the gate thousands of handshakes reach the database together (PGlite is one thread), each waits behind
 * all the others, the clients' timeouts fire, they retry, and the retries add to the queue. With the gate
 * the database queue stays short, so the joins and messages of connections already admitted are answered
 * at once, and a waiting handshake costs only its place in the queue: no timer, no work on the event loop.
 *
 * A handshake that finds `queueMax` others waiting, or a queue it would wait longer than `maxWaitMs` in
 * (estimated from how long slots are being held), is refused at once with `rate_limited` and a
 * `retryAfter` (seconds). Each refusal is given its own later turn: the first is told when the queue
 * will have drained, each next one a slot's time later, so refused clients that honour it come back
 * spread out at the rate the gate admits, and find room: one refusal, not a loop of them.
 */
export type AdmissionGate = {
  /**
   * Waits for a slot. Resolves with its release (idempotent: call it when the connection's connect work
   * is done or the connection is gone), or with null when `gone()` says the client left while waiting (no
   * slot is taken then). Throws AppError("rate_limited") with `retryAfter` when the queue is full.
   */
  enter(gone: () => boolean): Promise<(() => void) | null>;
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

type Waiter = { gone: () => boolean; resolve: (release: (() => void) | null) => void };

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
  let queue: Waiter[] = [];
  let head = 0;
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

  function pump() {
    while (inFlight < opts.concurrency && head < queue.length) {
      const waiter = queue[head++];
      waiter.resolve(waiter.gone() ? null : take());
    }
    // Drop the consumed prefix now and then, so the array does not grow with every handshake ever made.
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  return {
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return queue.length - head;
    },
    async enter(gone) {
      if (opts.concurrency <= 0) return () => {};
      if (inFlight < opts.concurrency && queue.length === head) return take();
      const waiting = queue.length - head;
      /** ms between two admissions while every slot is busy. */
      const turnMs = holdMs / opts.concurrency;
      if (waiting >= opts.queueMax || waiting * turnMs > opts.maxWaitMs) {
        opts.onRefused?.();
        const now = performance.now();
        lastTurn = Math.max(lastTurn, now + waiting * turnMs) + turnMs;
        const retryAfter = Math.min(RETRY_AFTER_MAX_S, Math.max(RETRY_AFTER_MIN_S, Math.ceil((lastTurn - now) / 1000)));
        throw new AppError("rate_limited", `${opts.busy ?? "the server is busy with reconnections"}; try again in ${retryAfter} s`, { retryAfter });
      }
      return new Promise((resolve) => queue.push({ gone, resolve }));
    },
  };
}
