/** What reaches a user's notification stream. Leaf module: safe to import from the browser. */
export type NotificationType = "mention" | "dm" | "invite" | "system" | "message" | "reply";

/**
 * The notifications that count in a room's mention badge (RoomSummary.mentions, `room-mention`): the
 * ones addressed to the person, not `message` (level `all`), invites or announcements.
 */
export const MENTION_TYPES: readonly NotificationType[] = ["mention", "reply", "dm"];

/** Who wrote what a notification is about, when not an account: a guest or a bot (Message.authorKind). */
export type NotificationAuthorKind = "guest" | "bot";

/** How much of a room reaches a person as notifications (toasts, desktop and Web Push). */
export type NotificationLevel = "all" | "mentions" | "none";

export type Notification = {
  /** Decimal string; increasing per user; the SSE event id. */
  id: string;
  type: NotificationType;
  message: string;
  room?: string;
  /** Display title of the room (a DM shows the other person's name). */
  roomTitle?: string;
  from?: string;
  /**
   * `from` is a guest's name (typed at the door, anyone's to give) or a bot's: what the notification says
   * beside the name, as a message says `authorKind`, so that one named like a colleague cannot pass for
   * them. Absent for an account's, and for notifications stored before it was kept.
   */
  fromKind?: NotificationAuthorKind;
  /** The message it is about (a mention, reply, DM or message), as message ids are written; absent for invites and announcements. */
  messageId?: string;
  /**
   * The thread the message is a reply in (its root's id, as message ids are written), for a message that
   * is a thread reply: a page with that room on screen but the thread closed still shows the toast.
   */
  threadId?: string;
  /** ISO-8601 UTC. */
  timestamp: string;
};
