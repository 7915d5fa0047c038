/**
 * The one typed Socket.IO event map, shared by server and browser. Type-only imports keep this a leaf
 * module: importing it never pulls server code into a client bundle. Types never replace the runtime
 * validation in ./schemas.ts.
 */
import type { z } from "zod";
import type { Ack, Member, Message, MessageDeleted, ReactionToggle, ReactionsUpdated, RoomSummary } from "../chat/types";
import type * as schemas from "./schemas";

export type { Ack, AckError, ErrorCode, Member, Message, MessageDeleted, NameSpan, Reaction, ReactionToggle, ReactionsUpdated, RoomKind, RoomSummary } from "../chat/types";

export type AckFn<T> = (response: Ack<T>) => void;

/** `add-member`'s ack data: `bot` when the account is a bot (as a member list marks them); else `{}`. */
export type AddedMember = { bot?: true };

export type JoinRoomData = {
  room: RoomSummary;
  /** Newest 50 messages, oldest first. */
  messages: Message[];
  /** Public room: the people in it now. Private room / DM: every member, with `online`. */
  members: Member[];
  /** The caller's read marker after joining (joining marks the room read). */
  readSeq: number;
  /**
   * The caller's read marker before this join moved it: the messages after it (up to `readSeq`) are the
   * ones they had not read, where a client shows its "New" line. Equal to `readSeq` when nothing was
   * unread (and for a room they were not a member of).
   */
  readBefore: number;
  /** True when older messages exist before `messages[0]`. */
  hasMore: boolean;
  /** The room's change count when the page was read: the next change event should carry `changeSeq` = this + 1. */
  lastChange?: number;
};
/** `changes`: messages whose latest change came after `after`, in change order; `lastChange` is the room's count. */
export type ChangesData = { messages: Message[]; lastChange: number; hasMore: boolean };
/** `hasNewer` only answers a request with `around`: newer messages exist past the page. */
export type HistoryData = { messages: Message[]; hasMore: boolean; hasNewer?: boolean };
/** Payload types are the runtime schemas' (./schemas.ts) inferred types, never declared twice. */
type Infer<K extends keyof typeof schemas> = (typeof schemas)[K] extends z.ZodType ? z.infer<(typeof schemas)[K]> : never;
/** `attachments`: upload ids (≤ 10, see POST /api/rooms/:room/uploads); `message` may then be "". */
export type SendPayload = Infer<"sendSchema">;
export type HistoryPayload = Infer<"historySchema">;
export type PresenceEvent = { room: string; online: number; members: Member[] };

/**
 * At most this many rooms of a handshake's `auth.lastSeen` are used (replayed); a client sends no more
 * (the rooms whose positions moved last), which also keeps the handshake far under MAX_PAYLOAD_BYTES:
 * a CONNECT packet over it is refused by closing the transport, with no error the client could show.
 */
export const MAX_LAST_SEEN_ROOMS = 100;

/** Handshake `auth` object. */
export type HandshakeAuth = {
  name?: string;
  token?: string;
  /** Last message id seen per room; used to replay what was missed while disconnected. */
  lastSeen?: Record<string, string>;
};

export interface ClientToServerEvents {
  "join-room": (room: string, ack: AckFn<JoinRoomData>) => void;
  "leave-room": (room: string, ack: AckFn<Record<string, never>>) => void;
  "send-message-to-room": (payload: SendPayload, ack: AckFn<{ message: Message }>) => void;
  history: (payload: HistoryPayload, ack: AckFn<HistoryData>) => void;
  /** What changed after change number `after` (a client that saw a `changeSeq` gap refetches with it). */
  changes: (payload: Infer<"changesSchema">, ack: AckFn<ChangesData>) => void;
  typing: (payload: Infer<"typingSchema">, ack: AckFn<Record<string, never>>) => void;
  message: (text: string, ack: AckFn<{ message: Message }>) => void;
  "create-room": (payload: Infer<"createRoomSchema">, ack: AckFn<{ room: RoomSummary }>) => void;
  /** A member adds an account to a private room. */
  /** Ack `bot`: the account added (or a member already) is a bot, as a member list marks them. */
  "add-member": (payload: Infer<"memberSchema">, ack: AckFn<AddedMember>) => void;
  /** A member removes someone (or themselves) from a private room, or leaves a public room (`name` their own); their deliveries stop at once. */
  "remove-member": (payload: Infer<"memberSchema">, ack: AckFn<Record<string, never>>) => void;
  /** The direct-message room of the caller and `name`, created once and reused. */
  "open-dm": (payload: Infer<"openDmSchema">, ack: AckFn<{ room: RoomSummary }>) => void;
  /** An admin archives a room (read-only, kept): the room as it is now (`archived: true`). */
  "archive-room": (payload: Infer<"archiveSchema">, ack: AckFn<{ room: RoomSummary }>) => void;
  /** An admin unarchives a room. */
  "unarchive-room": (payload: Infer<"archiveSchema">, ack: AckFn<{ room: RoomSummary }>) => void;
  /** Marks the room read up to `seq` (the newest message the user has seen). */
  "mark-read": (payload: Infer<"markReadSchema">, ack: AckFn<{ readSeq: number }>) => void;
  /** Rooms the caller may see, with online counts. */
  "list-rooms": (ack: AckFn<{ rooms: RoomSummary[] }>) => void;
  /** The author replaces a message's text. */
  "edit-message": (payload: Infer<"editSchema">, ack: AckFn<{ message: Message }>) => void;
  /** The author or an administrator deletes a message (it stays as a tombstone). */
  "delete-message": (payload: Infer<"deleteSchema">, ack: AckFn<Record<string, never>>) => void;
  /** Toggles the caller's reaction `emoji` (exactly one emoji) on a message; `toggle` says whether it was added or taken away. */
  react: (payload: Infer<"reactSchema">, ack: AckFn<{ reactions: Message["reactions"] & {}; changeId: string; changeSeq: number; toggle: ReactionToggle }>) => void;
  /** A thread's root and a page of its replies (oldest first; `before` pages back). */
  "thread-history": (payload: Infer<"threadHistorySchema">, ack: AckFn<{ root: Message; messages: Message[]; hasMore: boolean }>) => void;
  /**
   * Whether this connection's tab is hidden (Page Visibility API): sent when it changes, and on connect
   * when hidden (a connection counts as visible until it says otherwise). Decides Web Push for people
   * who opted in to pushes while every tab is hidden.
   */
  visibility: (payload: Infer<"visibilitySchema">, ack: AckFn<Record<string, never>>) => void;
}

/** Why a connection's session ended (`session-ended`): `password_reset` is an admin's reset of the account's password. */
export type SessionEndReason = "signed_out" | "account_deactivated" | "guest_access_off" | "password_reset";

export interface ServerToClientEvents {
  "receive-message": (message: Message) => void;
  /** `bot`: the one who joined is a bot (present only then), as a member list marks them. */
  "user-joined": (text: string, info: { room: string; name: string; bot?: true }) => void;
  "user-left": (text: string, info: { room: string; name: string }) => void;
  typing: (payload: { room: string; author: string }) => void;
  message: (text: string) => void;
  /** Who is in a room changed. */
  presence: (payload: PresenceEvent) => void;
  /** The server is going away (restart or deploy); the client reconnects by itself. */
  "server-shutdown": (payload: { reason: string }) => void;
  /**
   * This connection's session is over and the server closes it right after: signed out (on another page,
   * a new password), the account deactivated by an admin, or guest access switched off (a guest's).
   * Only signing in (with an account) goes on; the client says which.
   */
  "session-ended": (payload: { reason: SessionEndReason }) => void;
  /**
   * The account's name or rights changed (a rename, the admin role given or taken): the server closes
   * this connection right after, and the client comes straight back (not counted as a refusal), where
   * the new `session` says the new ones.
   */
  "session-changed": (payload: Record<string, never>) => void;
  /**
   * A room you are a member of but not viewing on this connection got a message (by `author`: your own
   * message moved your read marker to it, as sending does).
   */
  "room-activity": (payload: { room: string; lastSeq: number; lastMessageId: string; author: string }) => void;
  /** A mention, a thread reply or a DM notified you (the room's `mentions` count goes up by one). */
  "room-mention": (payload: { room: string; id: string }) => void;
  /** You read a room up to `readSeq` (on any of your connections). */
  "room-read": (payload: { room: string; readSeq: number }) => void;
  /** The caller's room list changed (added to or removed from a room): fetch `list-rooms` again. */
  "rooms-changed": () => void;
  /** You changed your notification level in a room (on any of your pages): read your levels again. */
  "levels-changed": () => void;
  /** A message was deleted: it is a tombstone now. */
  "message-deleted": (payload: MessageDeleted) => void;
  /** A message's reactions changed (live: with the `toggle` that changed them). */
  "reactions-updated": (payload: ReactionsUpdated) => void;
  /**
   * Sent once after connect: who the server thinks you are (`id`: the user's own, kept through renames),
   * and two of its limits: the longest message text (characters) and the largest upload (bytes,
   * UPLOAD_MAX_BYTES). An account's name history is on GET /api/session (`names`), not here: reading it would cost every
   * connect a database round trip.
   */
  session: (payload: { id: string; name: string; guest: boolean; admin: boolean; messageMaxChars: number; uploadMaxBytes?: number }) => void;
  /**
   * A message changed (edited, its link preview arrived, …): the full Message; replace it by id. After an
   * edit its `changeId` places the change in the room's order.
   */
  "message-updated": (message: Message) => void;
}

export type InterServerEvents = Record<string, never>;

export type SocketData = {
  userId: string;
  name: string;
  kind: "guest" | "user" | "bot";
  admin: boolean;
  /** Hash of the sign-in session this connection was made with, if any. */
  sessionId?: string;
  /** A guest's key in the limiter table: its client address (see limitKeyOf). */
  limitKey?: string;
  /** The tab reported it is hidden (`visibility`); unset until it reports, which counts as visible. */
  hidden?: boolean;
};
