/**
 * Delivery of the user's messages. Each message keeps its clientId for life, so re-sending after a
 * timeout or a reconnect can never create a duplicate: the server stores one message per clientId.
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
  }

  /** Sends everything still waiting; called on every (re)connect. */
  flush(): void {
    for (const clientId of this.pending.keys()) this.attempt(clientId);
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private attempt(clientId: string): void {
    const socket = this.socket();
    const payload = this.pending.get(clientId);
    // While offline nothing is emitted: socket.io's own buffer would replay it on reconnect in addition
    // to our flush, doubling the traffic.
    if (!socket?.connected || !payload || this.inFlight.has(clientId)) return;
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
      this.unavailable.delete(clientId);
      this.pending.delete(clientId);
      if (ack.ok) this.events.onAcked(payload, ack.data.message);
      else this.events.onFailed(payload, ack.error);
    });
  }
}
