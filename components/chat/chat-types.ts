/** Client-side view state of the chat. Wire types come from the shared, type-only event map. */
import type { Member, Message, RoomSummary } from "@/lib/realtime/events";
import type { Refusal } from "@/components/auth/api";
import type { Text } from "@/components/i18n/text";
import type { Attachment, NameSpan } from "@/lib/chat/types";
import type { SessionEndReason } from "@/lib/realtime/events";

export type { Member, Message, Refusal, RoomSummary };

/**
 * An acknowledgement as the chat sees it: the server's (an `Ack`: its data, or its refusal with `code`,
 * `reason`, `field`, `limit`), or the client's own refusal when none came (no-answer.ts). A refusal is
 * kept as it is and put in words only when shown, in the UI's language (errorText).
 */
export type Answer<T> = { ok: true; data: T } | { ok: false; error: Refusal };

export type ConnectionStatus = "connecting" | "connected" | "disconnected";

export type ConnectionState = {
  status: ConnectionStatus;
  /** Human-readable explanation shown next to the status (why we are offline, retry attempt …). */
  reason?: Text;
};

/** A message the user wrote that the server has not confirmed yet. */
export type OutgoingMessage = {
  clientId: string;
  room: string;
  author: string;
  text: string;
  createdAt: string;
  /** Files sent with it (already uploaded). */
  attachments?: Attachment[];
  status: "pending" | "failed";
  /** Why the server refused it (status `failed`). */
  error?: Refusal;
};

export type RoomView = {
  status: "loading" | "ready" | "error";
  /** Why the room could not be joined (status `error`). */
  error?: Refusal;
  /** Confirmed messages, unique by id, sorted by id. */
  messages: Message[];
  /** The user's unconfirmed messages in the order they were written. */
  outbox: OutgoingMessage[];
  members: Member[];
  hasMore: boolean;
  loadingOlder: boolean;
  /**
   * The held messages have a hole after this id: a message far back (a search result, a message link)
   * was opened with the page around it (`history { around }`), and the messages between that page and
   * the newer ones held are not loaded yet (the list shows "Show newer messages" there).
   */
  gapAfter?: string;
  /** The hole's newer messages are being fetched. */
  loadingNewer?: boolean;
  /**
   * The hole after `gapAfter` holds messages the client knows it missed (a reconnection, a join whose page
   * starts past what it had seen, a skipped seq) and could not fetch: `history` was refused, timed out or
   * was cut off by a disconnect. The list says so there and offers to load them (not by scrolling).
   * `retryAt`: when the server said asking again may succeed (ms since the epoch; from a `rate_limited`
   * refusal's `retryAfter`); `loading`: a fill of the hole is under way.
   */
  gapMissed?: { retryAt?: number; loading?: boolean };
  /**
   * Thread roots and replies loaded with `thread-history` (a thread panel), unique by id: kept apart from
   * `messages` (they may be older than its first page) but changed by the same events.
   */
  threadMessages?: Message[];
};

/**
 * Who the server says this connection is. `id`: the user's own, kept through renames (absent from an
 * older server); `messageMaxChars`: the server's longest message text (characters; absent from an older
 * server); `uploadMaxBytes`: the largest file it takes (bytes, UPLOAD_MAX_BYTES; absent from an older
 * server). An account's name history is not sent with it (GET /api/session carries it: ChatState.ownNames).
 */
export type Session = { id?: string; name: string; guest: boolean; admin: boolean; messageMaxChars?: number; uploadMaxBytes?: number };

/**
 * Why the server refused the connection: `nameRefused` means asking for another name can fix it,
 * `signInRequired` that only signing in can; `ended`: why the session ended, when the server said so
 * before closing the connection (`session-ended`).
 */
export type AuthProblem = { message: Text; nameRefused: boolean; signInRequired?: boolean; ended?: SessionEndReason };

export type ChatState = {
  connection: ConnectionState;
  session: Session | null;
  /**
   * The signed-in account's name history (GET /api/session's `names`), for the account then named
   * `name`: what tells the reader's own messages (own-messages.ts) once the socket's `session`, which
   * does not carry it, names the same person.
   */
  ownNames?: { name: string; names: NameSpan[] };
  authProblem: AuthProblem | null;
  rooms: RoomSummary[];
  /** Messages that arrived for rooms other than the open one since the user last opened them. */
  unread: Record<string, number>;
  /**
   * room → the highest seq the user is known to have read it up to (`room-read`, or their own message:
   * see readOwn in chat-reducer.ts), heard since this state began. With several instances a `room-read`
   * can overtake the `room-activity` of the messages it read: those must not count as unread when they
   * come. Never goes back.
   */
  readSeqs?: Record<string, number>;
  currentRoom: string | null;
  roomViews: Record<string, RoomView>;
  /** room → author → time (ms) after which the "is typing" hint expires. */
  typing: Record<string, Record<string, number>>;
  /**
   * Where the messages the user had not read start in the room they opened last: the seq of the last one
   * they had read, taken from the room list when the room was opened (joining then marks it all read), or,
   * for a room opened before the list listed it (a page loaded at its address), from the join's answer
   * (JoinRoomData.readBefore: a list asked for beside the join counts it read already). Absent when
   * nothing was unread.
   */
  newSince?: { room: string; afterSeq: number };
  /** The room opened before the room list listed it, until its join is answered: that answer sets `newSince`. */
  newFromJoin?: string;
  /** A room that vanished from the user's list while they were in it (they were removed from it, or left it). */
  lostRoom: string | null;
  /**
   * The open room, not known to exist, looked up in the room list before it is joined (room-lookup.ts):
   * `waiting` for the list, `missing` from it (the page offers to create it; `taken`: creating it found
   * the name taken, by a room the reader is not in), or another spelling of the listed room `meant`
   * (`elsewhere`: the page goes there). Absent once it is being joined.
   */
  roomLookup?: RoomLookupState;
  /** Whether the user left `lostRoom` themselves (Leave, answered here), so that the page says so. */
  lostRoomLeft?: boolean;
  /** A room the user just left here (the server said yes), until it is gone from their list (or listed as left, a public room). */
  leftRoom?: string | null;
  /** When each room's last join was answered (performance.now()), for telling a list that predates it. */
  joinedAt?: Record<string, number>;
};

export type RoomLookupState =
  | { room: string; status: "waiting" }
  | { room: string; status: "missing"; taken?: true }
  | { room: string; status: "elsewhere"; meant: string };

/**
 * Changing a stored message (as shown now); each is shown at once, put back as it was when the server
 * refuses, and resolves with the refusal, or null when done.
 */
export type MessageChanges = {
  edit(message: Message, text: string): Promise<Refusal | null>;
  remove(message: Message): Promise<Refusal | null>;
  react(message: Message, emoji: string): Promise<Refusal | null>;
};

/** Reading and answering a reply thread. */
export type ThreadActions = {
  /** The root and the newest replies, or with `before` (a reply id) the page of replies before it. */
  load(room: string, threadId: string, before?: string): Promise<Answer<{ root: Message; messages: Message[]; hasMore: boolean }>>;
  /**
   * Replies in thread `threadId` of `room` with `text` (may be "" with attachments) and the files uploaded
   * for it beforehand (upload-client.ts), if any. Resolves with the refusal, or null once the reply is stored.
   * `clientId`: the reply's own id (a new one if absent); a reply sent again under the id of one that got
   * no answer is stored once, whether or not the first arrived.
   */
  reply(room: string, threadId: string, text: string, attachments?: readonly Attachment[], clientId?: string): Promise<Refusal | null>;
};
