import type { Notification } from "../notifications/types";

/** Everything that crosses module (and, with Redis, instance) boundaries. */
export type BusEvent =
  | { type: "notification"; userId: string; notification: Notification }
  /** The user dismissed announcement `id` (DELETE /api/announcements/:id): their open pages take its toast away. */
  | { type: "announcement-dismissed"; userId: string; id: string }
  /** Notification `id` of the user was taken back (its message was deleted): their open pages take its toast away. */
  | { type: "notification-withdrawn"; userId: string; id: string }
  /**
   * Mentions of the user that an edit had taken away were edited back in (restored quietly, no new toast
   * or push): their open pages list their rooms again, so the @ badge counts them.
   */
  | { type: "mentions-restored"; userId: string }
  | { type: "session-ended"; sessionId: string; reason?: "password_reset" }
  | { type: "user-banned"; userId: string }
  /**
   * User `userId` changed their notification level in a room: instances drop their cached view of it, and
   * that user's other pages show the new level.
   */
  | { type: "levels-changed"; roomId: string; userId: string }
  /** A member was removed from a room: every instance takes that user's connections out of it. */
  | { type: "member-removed"; roomId: string; userId: string }
  /** A right of this user was taken away (its guest name became an account, admin role removed): close its connections. */
  | { type: "rights-revoked"; userId: string }
  /** These users' room lists changed (a DM partner renamed): their pages list their rooms again. */
  | { type: "rooms-changed"; userIds: string[] }
  /** Guest access is now off: close every guest connection. */
  | { type: "guests-disabled" };

export type Listener = (event: BusEvent) => void;

/**
 * The one event bus shared by the domain, Socket.IO and SSE. In-process by default; the Redis-backed
 * implementation delivers the same events to every instance.
 */
export interface EventBus {
  publish(event: BusEvent): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(listener: Listener): () => void;
  /** Listener count (tests check that closed streams leave none behind). */
  listenerCount(): number;
  close(): Promise<void>;
}

/** Delivers to local subscribers; a throwing listener cannot break delivery to the others. */
export class LocalBus implements EventBus {
  private listeners = new Set<Listener>();
  constructor(private onError: (err: unknown) => void = () => undefined) {}

  async publish(event: BusEvent) {
    this.deliver(event);
  }

  /** Hands an event to this process's listeners only. */
  deliver(event: BusEvent) {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  subscribe(listener: Listener) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  listenerCount() {
    return this.listeners.size;
  }

  async close() {
    this.listeners.clear();
  }
}
