/**
 * The chat view state and the changes the page needs before the socket client has loaded: `connection`
 * (the client's chunk could not be fetched), `open-room` and `seeded` (the server-rendered page). Every
 * other action comes with the socket client, or only matters once it is there, and its chunk brings the
 * reducer for them (chat-reducer.ts, which registers itself here): the room's first load does not carry it.
 */
import type { JoinRoomData, PresenceEvent, ReactionToggle } from "@/lib/realtime/events";
import type {
  AuthProblem, ChatState, ConnectionState, Message, OutgoingMessage, Refusal, RoomLookupState, RoomSummary, RoomView, Session,
} from "./chat-types";
import type { NameSpan } from "@/lib/chat/types";
import { own } from "./name-map";

export type ChatAction =
  | { type: "reset"; room: string | null; keepViews?: boolean }
  | { type: "connection"; connection: ConnectionState }
  | { type: "session"; session: Session }
  /** The account's name history (GET /api/session), or none (a guest; not known yet). */
  | { type: "own-names"; name: string; names?: NameSpan[] }
  | { type: "auth-problem"; problem: AuthProblem | null }
  /** `askedAt`: when the list was asked for (performance.now()), to tell a list older than a join. */
  | { type: "rooms"; rooms: RoomSummary[]; askedAt?: number }
  | { type: "open-room"; room: string }
  | { type: "seeded"; room: string; messages: Message[]; hasMore: boolean }
  /** `at`: when the join was answered (performance.now()): a list asked for after it knows the join. */
  | { type: "joined"; room: string; data: JoinRoomData; replace?: boolean; at?: number }
  | { type: "join-failed"; room: string; error: Refusal }
  | { type: "received"; message: Message }
  | { type: "message-updated"; message: Message }
  | { type: "refreshed"; room: string; messages: Message[] }
  | { type: "thread-loaded"; room: string; messages: Message[] }
  | { type: "message-deleted"; room: string; id: string; seq?: number; changeId?: string; changeSeq?: number }
  | { type: "reactions-updated"; room: string; id: string; reactions: NonNullable<Message["reactions"]>; toggle?: ReactionToggle; changeId?: string; changeSeq?: number }
  /** The reader toggled their reaction `emoji`: shown at once, before the server's answer (see toggleReaction). */
  | { type: "reaction-toggled"; room: string; id: string; emoji: string }
  | { type: "older-loading"; room: string; loading: boolean }
  | { type: "history"; room: string; messages: Message[]; hasMore?: boolean }
  | { type: "around"; room: string; messages: Message[]; hasMore: boolean; hasNewer: boolean }
  | { type: "newer-loading"; room: string; loading: boolean }
  | { type: "newer"; room: string; messages: Message[]; hasNewer: boolean }
  | { type: "gap-missed"; room: string; after: string; retryAt?: number }
  | { type: "gap-loading"; room: string; loading: boolean }
  | { type: "gap-filled"; room: string; after: string }
  | { type: "outbox-add"; message: OutgoingMessage }
  | { type: "outbox-update"; room: string; clientId: string; status: OutgoingMessage["status"]; error?: Refusal }
  | { type: "outbox-remove"; room: string; clientId: string }
  | { type: "presence"; event: PresenceEvent }
  /** `user-joined` / `user-left`; `bot`: the one who joined is a bot (as the member list marks them). */
  | { type: "presence-change"; room: string; name: string; online: boolean; bot?: boolean }
  | { type: "room-activity"; room: string; lastSeq: number; lastMessageId: string; author: string }
  | { type: "room-read"; room: string; readSeq: number }
  | { type: "room-mention"; room: string }
  | { type: "typing"; room: string; author: string; until: number }
  | { type: "typing-expire"; now: number }
  /** A member added (`bot`: a bot) or removed here, answered by the server. */
  | { type: "members-changed"; room: string; added?: string; removed?: string; bot?: boolean }
  | { type: "lost-room-dismiss" }
  /** What the room list says of the open room, not known to exist (see ChatState.roomLookup); `found`: it is joined now. */
  | ({ type: "room-lookup" } & (RoomLookupState | { room: string; status: "found" }));

export const initialChatState: ChatState = {
  connection: { status: "connecting" },
  session: null,
  authProblem: null,
  rooms: [],
  unread: {},
  currentRoom: null,
  roomViews: {},
  typing: {},
  lostRoom: null,
};

const emptyView: RoomView = {
  status: "loading", messages: [], outbox: [], members: [], hasMore: false, loadingOlder: false,
};

/** A room view holding a server-rendered page (status "loading": not joined yet). */
export const seededView = (messages: Message[], hasMore: boolean): RoomView => ({ ...emptyView, messages, hasMore });

type Reducer = (state: ChatState, action: ChatAction) => ChatState;
let liveReducer: Reducer | null = null;

/** Called by chat-reducer.ts when it loads: the reducer for the actions the socket brings. */
export function registerLiveReducer(reducer: Reducer): void {
  liveReducer = reducer;
}

/** The state after a core action (see the module comment), or undefined for any other action. */
export function coreChatReducer(state: ChatState, action: ChatAction): ChatState | undefined {
  switch (action.type) {
    case "connection":
      return { ...state, connection: action.connection };
    case "open-room": {
      const { room } = action;
      const roomViews = own(state.roomViews, room) ? state.roomViews : { ...state.roomViews, [room]: emptyView };
      // Joining marks the room read on the server; the listed counts are stale from now on. What was
      // unread is remembered, for the list's "new" line.
      const listed = state.rooms.find((r) => r.name === room);
      const newSince = listed && listed.unread > 0 ? { room, afterSeq: readSeqOf(listed) } : undefined;
      const rooms = state.rooms.map((r) => (r.name === room ? { ...r, unread: 0, mentions: 0, readSeq: r.lastSeq } : r));
      // Going back to a lost room (re-added, or by address) is a fresh attempt, not a loss to act on.
      const lostRoom = state.lostRoom === room ? null : state.lostRoom;
      // Opening the room already open (a reconnect, the same address again) keeps its line.
      const keep = state.currentRoom === room && state.newSince?.room === room;
      // A room not listed yet (a page loaded at its address: the list comes after the join, which marks
      // the room read) learns where its unread messages start from its join's answer instead.
      const newFromJoin = !listed && !keep ? room : undefined;
      // Whether this room is to be looked up first is the socket client's to say (room-lookup.ts).
      return { ...state, currentRoom: room, roomViews, rooms, unread: { ...state.unread, [room]: 0 }, lostRoom, newSince: keep ? state.newSince : newSince, newFromJoin, roomLookup: undefined };
    }
    case "own-names":
      return { ...state, ownNames: action.names ? { name: action.name, names: action.names } : undefined };
    case "seeded":
      // The page as the server rendered it: shown until the join brings the same page (merged by id);
      // a room already held (cached, or joined meanwhile) keeps what it has.
      if (own(state.roomViews, action.room)) return state;
      return { ...state, roomViews: { ...state.roomViews, [action.room]: seededView(action.messages, action.hasMore) } };
    default:
      return undefined;
  }
}

/**
 * The reducer of `useReducer` in use-chat.ts: the core actions here, the others by the live reducer once
 * the socket client has loaded (they come from it, so it has); before that, an action the core does not
 * know leaves the state as it is.
 */
export function chatStateReducer(state: ChatState, action: ChatAction): ChatState {
  return coreChatReducer(state, action) ?? liveReducer?.(state, action) ?? state;
}

/**
 * The seq of the last message the user had read in a listed room: the list's `readSeq` as events moved
 * it, else what its counts imply (`lastSeq - unread`, exact while no unread message was deleted).
 */
export function readSeqOf(room: RoomSummary): number {
  return room.readSeq ?? room.lastSeq - room.unread;
}
