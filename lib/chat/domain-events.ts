import type { MessageChange } from "./changes";
import type { Room } from "./rooms";
import type { Message } from "./types";
import type { User } from "./users";

/**
 * What the chat verbs announce after they committed: a stored message, an added member, a changed
 * message. Delivery to clients, notifications (and later search, push) subscribe to these in server.ts;
 * no caller broadcasts by hand.
 */
export type DomainEvents = {
  posted(room: Room, message: Message, author: User): void;
  invited(room: Room, target: User, by: User): void;
  /** `target` was removed from `room` by `by` (committed). */
  removed(room: Room, target: User, by: User): void;
  /** A stored message was edited, deleted or reacted to (committed, with its place in the room's order). */
  changed(room: Room, change: MessageChange, by: User): void;
};

/**
 * Fans each domain event out to its subscribers, in subscription order. A throwing subscriber is
 * reported through `onError` and cannot keep the event from the others.
 */
export function createDomainEvents(onError: (err: unknown) => void) {
  const subscribers: Partial<DomainEvents>[] = [];
  const fan =
    <K extends keyof DomainEvents>(key: K) =>
    (...args: Parameters<DomainEvents[K]>) => {
      for (const s of subscribers) {
        try {
          (s[key] as ((...a: Parameters<DomainEvents[K]>) => void) | undefined)?.(...args);
        } catch (err) {
          onError(err);
        }
      }
    };
  const events: DomainEvents = { posted: fan("posted"), invited: fan("invited"), removed: fan("removed"), changed: fan("changed") };
  return {
    ...events,
    /** Adds a subscriber for some or all events. */
    subscribe(subscriber: Partial<DomainEvents>) {
      subscribers.push(subscriber);
    },
  };
}
