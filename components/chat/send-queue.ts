/**
 * Delivery of the user's messages. Each message keeps its clientId for life, so re-sending after a
 * timeout or a reconnect can never create a duplicate: the server stores one message per clientId.
 * Messages sent faster than the server's `messages` limit wait (shown sending) and go when it allows.
 */
import type { SendPayload } from "@/lib/realtime/events";
import type { Message, Refusal } from "./chat-types";
import { ACK_TIMEOUT_MS, type ChatSocket } from "./chat-socket";

/** Pause before re-sending after a lost ack, so a struggling server is not hammered. */
const RETRY_DELAY_MS = 1_000;
/**
 * How many times a message the server answered `unavailable` (a service it depends on did not answer:
 * nothing was stored) is sent again, each after the answer's `retryAfter`, before it is shown failed:
 * about a minute of a database restarting, at the server's 5 s.
 */
export const UNAVAILABLE_RETRIES = 12;
/**
 * How many times one message the server answered `rate_limited` (the `messages` row: too many at once;
 * nothing was stored) waits out the answer's `retryAfter` and is sent again before it is shown failed.
 */
export const RATE_LIMITED_RETRIES = 10;

export type Payload = SendPayload & { clientId: string };

export type SendQueueEvents = {
  onAcked(payload: Payload, message: Message): void;
  /** The server refused the message (its refusal, put in words when shown). */
  onFailed(payload: Payload, error: Refusal): void;
};

export class SendQueue {
  private readonly pending = new Map<string, Payload>();
  private readonly inFlight = new Set<string>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** Per message, the `unavailable` answers it had so far. */
  private readonly unavailable = new Map<string, number>();
  /** Per message, the `rate_limited` answers it had so far. */
  private readonly limited = new Map<string, number>();
  /**
   * Until when (Date.now() ms) nothing is sent: the server said to wait (`rate_limited`). Every waiting
   * message goes then, in the order they were written, so a later one never overtakes them.
   */
  private heldUntil = 0;
  private holdTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly socket: () => ChatSocket | null,
    private readonly events: SendQueueEvents,
  ) {}

  add(payload: Payload): void {
    this.pending.set(payload.clientId, payload);
    this.attempt(payload.clientId);
  }

  /** Stops trying: the message was seen in the room's stream, or the user discarded it. */
  settle(clientId: string): void {
    this.pending.delete(clientId);
    this.unavailable.delete(clientId);
    this.limited.delete(clientId);
  }

  /** Sends everything still waiting; called on every (re)connect. */
  flush(): void {
    for (const clientId of this.pending.keys()) this.attempt(clientId);
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
  }

  /** Sends nothing for `ms`, then everything waiting, in order (see heldUntil). */
  private hold(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.heldUntil && this.holdTimer) return;
    this.heldUntil = until;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => {
      this.holdTimer = null;
      this.heldUntil = 0;
      this.flush();
    }, ms);
  }

  private attempt(clientId: string): void {
    const socket = this.socket();
    const payload = this.pending.get(clientId);
    // While offline nothing is emitted: socket.io's own buffer would replay it on reconnect in addition
    // to our flush, doubling the traffic. While held, the hold's end sends it.
    if (!socket?.connected || !payload || this.inFlight.has(clientId) || this.holdTimer) return;
    this.inFlight.add(clientId);
    socket.timeout(ACK_TIMEOUT_MS).emit("send-message-to-room", payload, (err, ack) => {
      this.inFlight.delete(clientId);
      if (!this.pending.has(clientId)) return;
      const later = (ms: number) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.attempt(clientId);
        }, ms);
        this.timers.add(timer);
      };
      if (err) return later(RETRY_DELAY_MS);
      // Nothing was stored (the server's database or store did not answer): the same message, with the
      // same clientId, again once the server says, a while, and only then failed.
      if (!ack.ok && ack.error.code === "unavailable") {
        const times = (this.unavailable.get(clientId) ?? 0) + 1;
        this.unavailable.set(clientId, times);
        if (times <= UNAVAILABLE_RETRIES) return later(Math.max(RETRY_DELAY_MS, (ack.error.retryAfter ?? 0) * 1000));
      }
      // Too many at once (nothing was stored): everything waits as long as the server says, then goes
      // in order; a message refused so more than RATE_LIMITED_RETRIES times is shown failed.
      if (!ack.ok && ack.error.code === "rate_limited") {
        const times = (this.limited.get(clientId) ?? 0) + 1;
        this.limited.set(clientId, times);
        if (times <= RATE_LIMITED_RETRIES) return this.hold(Math.max(RETRY_DELAY_MS, (ack.error.retryAfter ?? 0) * 1000));
      }
      this.unavailable.delete(clientId);
      this.limited.delete(clientId);
      this.pending.delete(clientId);
      if (ack.ok) this.events.onAcked(payload, ack.data.message);
      else this.events.onFailed(payload, ack.error);
    });
  }
}
