/**
 * Delivery of the user's messages. Each message keeps its clientId for life, so re-sending after a
 * timeout or a reconnect can never create a duplicate: the server stores one message per clientId.
 */
import type { SendPayload } from "@/lib/realtime/events";
import type { Message, Refusal } from "./chat-types";
import { ACK_TIMEOUT_MS, type ChatSocket } from "./chat-socket";

/** Pause before re-sending after a lost ack, so a struggling server is not hammered. */
const RETRY_DELAY_MS = 1_000;

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
      if (err) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.attempt(clientId);
        }, RETRY_DELAY_MS);
        this.timers.add(timer);
        return;
      }
      this.pending.delete(clientId);
      if (ack.ok) this.events.onAcked(payload, ack.data.message);
      else this.events.onFailed(payload, ack.error);
    });
  }
}
