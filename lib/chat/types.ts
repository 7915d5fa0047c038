/**
 * Wire-level shapes of the chat domain. This is a leaf module (no imports) so that the browser bundle
 * can import it without pulling in server code.
 */

/**
 * One name a user went by, with when (ISO-8601 UTC, to the millisecond): `since` when they took it (the
 * account's creation for the first name known, else when they gave up the name before), `until` when
 * they gave it up (absent for the name they have now). Bounds are inclusive.
 */
export type NameSpan = { name: string; since: string; until?: string };

/** A stored chat message as every client sees it. */
export type Message = {
  /**
   * Server-assigned id, unique across the server, strictly increasing within a room. Always 16 decimal
   * digits, zero-padded, so it sorts the same as a string and as a number.
   */
  id: string;
  /** Position of the message in its room: 1, 2, 3 … with no gaps (lets clients detect missed messages). */
  seq: number;
  room: string;
  author: string;
  text: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  /** The sender's idempotency key, echoed back. */
  clientId?: string;
  /** Files sent with the message (text may then be empty). */
  attachments?: Attachment[];
  /** Link preview of the first http(s) URL, added after the message by a `message-updated`. */
  preview?: LinkPreview;
  /** ISO-8601 UTC, set once the text was edited. */
  editedAt?: string;
  /** A tombstone: text "" and no attachments; id and seq kept. */
  deleted?: true;
  /**
   * Reactions, in the order each emoji was first used: `count` is exact; `users` names the first
   * REACTION_USERS_SHOWN (20) who reacted with that emoji, in the order they reacted (fewer than `count`
   * when more reacted).
   */
  reactions?: Reaction[];
  /**
   * Id (same 16-digit form and order as message ids) of this message's latest edit, deletion or
   * reaction: its place in the room's order. A client's `auth.lastSeen` for a room is the greatest
   * `id` or `changeId` it has seen there.
   */
  changeId?: string;
  /** The room's change count at that change: 1, 2, 3 … per room with no gaps. */
  changeSeq?: number;
  /**
   * What wrote it when that was not an account: `guest` (a name typed at the door, anyone's) or `bot`
   * (a token). Set when the message is stored (messages stored before it was kept have none); kept by
   * edits and deletion. Clients mark such a message apart, so a guest named like a colleague cannot pass
   * for them.
   */
  authorKind?: "guest" | "bot";
  /** Id of the thread's root message when this is a reply (threads are one level deep). */
  threadId?: string;
  /**
   * On a root message that has replies: how many, when the newest was stored, and its seq in the room
   * (compared with a read position, it tells a reply not read yet; absent on roots last replied to before
   * it was kept).
   */
  replies?: { count: number; lastAt: string; lastSeq?: number };
};

/** One emoji's reactions on a message: how many, and the names of the first who reacted (at most 20). */
export type Reaction = { emoji: string; count: number; users: string[] };

/**
 * Names shown per emoji in `Reaction.users`: the first that many who reacted. The count stays exact and
 * the server keeps every reactor, so toggling works for everyone; only the list sent is bounded (an event
 * to a room of 1000 does not carry 1000 names).
 */
export const REACTION_USERS_SHOWN = 20;

/** What one reaction toggle did: `user` added (`added`) or took away their `emoji`; `count` is that emoji's count now. */
export type ReactionToggle = { emoji: string; user: string; added: boolean; count: number };

/** Where a change (edit, deletion, reaction) sits in its room's order; every change event carries it. */
export type ChangePosition = { changeId: string; changeSeq: number };
/** `message-deleted`: the message is a tombstone now. */
export type MessageDeleted = { room: string; id: string; seq: number } & ChangePosition;
/**
 * `reactions-updated`: the message's reactions now, and (live, not in a replay, which may merge several
 * changes into one) the toggle that made this change.
 */
export type ReactionsUpdated = { room: string; id: string; reactions: Reaction[]; toggle?: ReactionToggle } & ChangePosition;

/**
 * The optional v2 fields of a Message that are stored together (`messages.extra`, migration 8) and
 * merged into the wire Message as they are. Features add their fields here.
 */
export type MessageExtra = Partial<Pick<Message, "attachments" | "preview" | "editedAt" | "deleted" | "changeId" | "changeSeq" | "threadId" | "replies" | "authorKind">> & {
  reactions?: StoredReaction[];
};

/**
 * One emoji's reactions as stored: every reactor's name (as it was when they reacted) and, at the same
 * index, their user id ("" for a reaction stored before ids were kept): a toggle finds its reactor by id,
 * so a rename (even to another spelling of the same name) or a name given up and taken by someone else
 * never adds a second reaction nor takes another person's away. Clients see `Reaction` (names only).
 */
export type StoredReaction = Reaction & { ids?: string[] };

/** A file sent with a message (contract v2, Uploads). */
export type Attachment = {
  id: string;
  name: string;
  /** MIME type sniffed from the bytes, never the client's claim. */
  type: string;
  /** Bytes. */
  size: number;
  url: string;
  width?: number;
  height?: number;
  thumbUrl?: string;
};

/** A link preview card for the first http(s) URL of a message, fetched by the server. */
export type LinkPreview = { url: string; title?: string; description?: string; siteName?: string; imageUrl?: string };

export type RoomKind = "public" | "private" | "dm";

/** A room as listed to a user who may see it. */
export type RoomSummary = {
  name: string;
  kind: RoomKind;
  private: boolean;
  /** Distinct users currently in the room (a user with three tabs counts once). */
  online: number;
  /**
   * Live messages after the user's read marker, deleted ones left out (0 for guests); for a public room
   * never joined (no `readSeq`), the messages there that notified the user (its `mentions`).
   * `message-deleted` of an unread message takes one off.
   */
  unread: number;
  /**
   * The seq of the last message the user read (`list-rooms`, members only): what is past it and not
   * deleted is unread. Absent: take `lastSeq - unread`.
   */
  readSeq?: number;
  /**
   * The room's change count (`changeSeq` of its latest edit, deletion or reaction) when `list-rooms` read
   * these counts: a `message-deleted` with a higher `changeSeq` is not reflected in them yet.
   */
  lastChange?: number;
  /**
   * Of those, the ones that mention the user or reply in their threads and notified them (`list-rooms`
   * only): a room at level `none` notifies nothing, so it counts none. `room-mention` events add to it.
   */
  mentions?: number;
  /** The user's notification level for the room (`list-rooms`, accounts only): `none` mutes it. */
  level?: "all" | "mentions" | "none";
  /** Seq of the newest message (0 for an empty room); `room-activity` events move it forward. */
  lastSeq: number;
  /** Id of the newest message, or null for an empty room. */
  lastMessageId: string | null;
  /** What to show instead of the name: for a DM, the other person's name. */
  title?: string;
  /** An admin archived the room (`archive-room`): read-only, its history kept. Present only then. */
  archived?: true;
  /**
   * A public room you left (`remove-member` of yourself) and have not opened since (`list-rooms` only;
   * present only then): no `room-activity` comes from it, only what notifies you there counts.
   */
  left?: true;
};

/**
 * Someone in a room's member list. `bot`: a bot (present only then), which no mention notifies: a client
 * offers no bot after `@`.
 */
export type Member = { name: string; online: boolean; bot?: true };

export const ERROR_CODES = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "rate_limited",
  "too_large",
  "conflict",
  "internal",
  "unavailable",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Which rule refused, finer than the code (docs/protocol.md, "Acknowledgements"): a client that knows a
 * reason says it in its own words and language; any other falls back to `code` and `message`. A name reason
 * is about a person's, bot's or room's name, a text reason about a message's or an announcement's text, a
 * file or image reason about an upload, a search reason about a search's query.
 */
export const ERROR_REASONS = [
  "name_empty",
  "name_invisible",
  "name_marks",
  "name_mixed_scripts",
  "name_unmentionable",
  "name_restricted_letters",
  "name_unreadable",
  "name_too_long",
  "name_reserved",
  "name_taken",
  "password_too_short",
  "password_too_long",
  "text_empty",
  "text_control",
  "text_too_long",
  "wrong_credentials",
  "wrong_password",
  "account_deactivated",
  "setup_done",
  "join_link_invalid",
  "no_such_account",
  "self_deactivation",
  "self_reset",
  "self_demotion",
  "promote_deactivated",
  "not_a_guest",
  "name_banned",
  "not_admin",
  "no_push_subscription",
  "push_subscription_taken",
  "push_endpoint_refused",
  "guests_excluded",
  "self_dm",
  "last_member",
  "room_archived",
  "reactions_too_many",
  "file_empty",
  "file_too_large",
  "image_too_large",
  "image_unreadable",
  "search_empty",
  "search_too_long",
  "search_too_many_terms",
  "search_date",
  "search_too_slow",
  "search_operator_repeated",
  "search_only_excluded",
  "search_operator_excluded",
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** What a refusal may say beyond its code and message (each part only when it applies). */
export type ErrorDetail = {
  /** The rule that refused. */
  reason?: ErrorReason;
  /** The field of the request the refusal is about (`password`), when it is about one. */
  field?: string;
  /**
   * The rule's number, when it has one: a length's minimum or maximum in code points, a file's largest
   * size in bytes (`file_too_large`), an image's most pixels (`image_too_large`), a count's maximum.
   */
  limit?: number;
};

export type AckError = { code: ErrorCode; message: string; /** Seconds to wait, on `rate_limited` and `unavailable`. */ retryAfter?: number } & ErrorDetail;
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };
