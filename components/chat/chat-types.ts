/** Client-side view state of the chat. Wire types come from the shared, type-only event map. */
import type { Ack, Member, Message, RoomSummary } from "@/lib/realtime/events";
import type { Text } from "@/components/i18n/text";
import type { Attachment } from "@/lib/chat/types";

export type { Member, Message, RoomSummary };

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
  error?: string;
};

export type RoomView = {
  status: "loading" | "ready" | "error";
  error?: string;
  /** Confirmed messages, unique by id, sorted by id. */
  messages: Message[];
  /** The user's unconfirmed messages in the order they were written. */
  outbox: OutgoingMessage[];
  members: Member[];
  hasMore: boolean;
  loadingOlder: boolean;
  /**
   * Thread roots and replies loaded with `thread-history` (a thread panel), unique by id: kept apart from
   * `messages` (they may be older than its first page) but changed by the same events.
   */
  threadMessages?: Message[];
};

export type Session = { name: string; guest: boolean; admin: boolean };

/**
 * Why the server refused the connection: `nameRefused` means asking for another name can fix it,
 * `signInRequired` that only signing in can.
 */
export type AuthProblem = { message: Text; nameRefused: boolean; signInRequired?: boolean };

export type ChatState = {
  connection: ConnectionState;
  session: Session | null;
  authProblem: AuthProblem | null;
  rooms: RoomSummary[];
  /** Messages that arrived for rooms other than the open one since the user last opened them. */
  unread: Record<string, number>;
  currentRoom: string | null;
  roomViews: Record<string, RoomView>;
  /** room → author → time (ms) after which the "is typing" hint expires. */
  typing: Record<string, Record<string, number>>;
  /** A room that vanished from the user's list while they were in it (they were removed from it). */
  lostRoom: string | null;
};

/**
 * Changing a stored message (as shown now); each is shown at once, put back as it was when the server
 * refuses, and resolves with the refusal as text, or null when done.
 */
export type MessageChanges = {
  edit(message: Message, text: string): Promise<string | null>;
  remove(message: Message): Promise<string | null>;
  react(message: Message, emoji: string): Promise<string | null>;
};

/** Reading and answering a reply thread. */
export type ThreadActions = {
  /** The root and the newest replies, or with `before` (a reply id) the page of replies before it. */
  load(room: string, threadId: string, before?: string): Promise<Ack<{ root: Message; messages: Message[]; hasMore: boolean }>>;
  /** Resolves with the server's refusal as text, or null once the reply is stored. */
  reply(room: string, threadId: string, text: string): Promise<string | null>;
};
