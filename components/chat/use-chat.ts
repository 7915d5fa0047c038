"use client";
/**
 * The chat state of this tab and the actions on it. One ChatClient (one socket) exists per mounted hook
 * and name; it is created in an effect and closed in its cleanup, so StrictMode's double mount leaves
 * exactly one live socket. The client (socket.io-client and the sync code) is a separate chunk, fetched
 * after the first render: a server-rendered room is on screen before it has even loaded.
 */
import type { Attachment, NameSpan } from "@/lib/chat/types";
import { useEffect, useMemo, useReducer, useRef } from "react";
import type { AddedMember, RoomSummary } from "@/lib/realtime/events";
import type { ChatClient } from "./chat-client";
import { loadChunk } from "./chunk-load";
import { chatStateReducer, initialChatState } from "./chat-state";
import type { Answer, ChatState, Message, MessageChanges, OutgoingMessage, Refusal, ThreadActions } from "./chat-types";
import { OFFLINE, refused } from "./no-answer";
import { forgetLastRoom, saveLastRoom } from "./storage";
import { own } from "./name-map";
import { text } from "@/components/i18n/text";

export type ChatActions = {
  openRoom(room: string): void;
  /** Shows a room's page as the server rendered it, until the join brings it (see the `seeded` action). */
  seed(room: string, messages: Message[], hasMore: boolean): void;
  /** Sends to `room` (the one open when absent): a send that waited for its files may go after it was left. */
  send(text: string, attachments?: Attachment[], room?: string): void;
  /**
   * Sends to `room` a message whose files were uploaded after it was left: resolves with null once the
   * server has it, or with the refusal (not connected yet: offline), the message then taken out of the
   * room again (it goes back to its draft).
   */
  sendLeft(room: string, text: string, attachments?: Attachment[]): Promise<Refusal | null>;
  retry(message: OutgoingMessage): void;
  discard(message: OutgoingMessage): void;
  loadOlder(): void;
  /**
   * Loads the page around message `id` of the current room (a search result or link far back); resolves
   * with whether it is there (false: gone, or not connected).
   */
  loadAround(id: string): Promise<boolean>;
  /** Loads newer messages into the current room's hole (RoomView.gapAfter), if it has one. */
  loadNewer(): void;
  /**
   * Asks again for the current room's messages a fill could not load (RoomView.gapMissed), no sooner
   * than the server's retry hint; nothing while a fill of them is under way.
   */
  loadMissing(): void;
  notifyTyping(): void;
  createRoom(name: string, isPrivate: boolean): Promise<Answer<{ room: RoomSummary }>>;
  openDm(name: string): Promise<Answer<{ room: RoomSummary }>>;
  /** Adds `name` to private room `room`; the answer says whether they are a bot (`bot`). */
  addMember(room: string, name: string): Promise<Answer<AddedMember>>;
  removeMember(room: string, name: string): Promise<Answer<Record<string, never>>>;
  /** The reader (`me`) leaves public room `room`: it is listed apart as left, and the page moves on. */
  leaveRoom(room: string, me: string): Promise<Answer<Record<string, never>>>;
  /** An admin archives (`archived` true) or unarchives `room`. */
  archiveRoom(room: string, archived: boolean): Promise<Answer<{ room: RoomSummary }>>;
  dismissLostRoom(): void;
  reconnect(): void;
  /** Edit, delete, react: each resolves with the refusal (shown to the user), or null. */
  changes: MessageChanges;
  threads: ThreadActions;
};

export type Chat = { state: ChatState; actions: ChatActions };

/** What a request answers before the socket client is there. */
const NOT_CONNECTED = refused(OFFLINE);

/**
 * The chat state and actions of the user `name` (null: nobody to connect as yet). `names`: the signed-in
 * account's name history (GET /api/session), which tells the reader's own messages in the state.
 */
export function useChat(name: string | null, names?: NameSpan[]): Chat {
  const [state, dispatch] = useReducer(chatStateReducer, initialChatState);
  useEffect(() => {
    if (name) dispatch({ type: "own-names", name, names });
  }, [name, names]);
  const clientRef = useRef<ChatClient | null>(null);
  const roomRef = useRef<string | null>(null);
  /**
   * Rooms known to exist, joined without waiting for the room list (room-lookup.ts): those whose page the
   * server rendered for this reader, and what the clients learn. Kept across clients (rooms never go).
   */
  const knownRef = useRef(new Set<string>());
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  // `/` opens the last room: not one that was not found (it was remembered when opened).
  const missing = state.roomLookup?.status === "missing" ? state.roomLookup.room : null;
  useEffect(() => {
    if (missing) forgetLastRoom(missing);
  }, [missing]);

  /** The name of the last client made: a client under another name starts from an empty state. */
  const lastNameRef = useRef<string | null>(null);
  useEffect(() => {
    if (!name) return;
    let client: ChatClient | null = null;
    let live = true;
    void loadChunk(() => import("./chat-client")).then(({ ChatClient }) => {
      if (!live) return;
      const keepViews = lastNameRef.current === null || lastNameRef.current === name;
      lastNameRef.current = name;
      client = new ChatClient(name, dispatch, roomRef.current, keepViews, knownRef.current);
      clientRef.current = client;
      // The socket's code would not load: nothing is reconnecting, and only a reload can fetch it (Reconnect does).
    }, () => live && dispatch({ type: "connection", connection: { status: "disconnected", reason: text("conn.notLoaded") } }));
    return () => {
      live = false;
      client?.close();
      if (clientRef.current === client) clientRef.current = null;
    };
  }, [name]);

  const actions = useMemo<ChatActions>(() => {
    const client = () => clientRef.current;
    return {
      openRoom(room) {
        roomRef.current = room;
        saveLastRoom(room);
        const c = client();
        if (c) c.open(room);
        else dispatch({ type: "open-room", room });
      },
      seed(room, messages, hasMore) {
        // The server rendered its page for this reader: it exists and is theirs to read.
        knownRef.current.add(room);
        dispatch({ type: "seeded", room, messages, hasMore });
      },
      send: (text, attachments, room) => void client()?.send(text, attachments, room),
      sendLeft: (room, text, attachments) => client()?.sendLeft(room, text, attachments) ?? Promise.resolve(OFFLINE),
      retry: (message) => client()?.retry(message),
      discard: (message) => client()?.discard(message),
      loadOlder() {
        const { currentRoom, roomViews } = stateRef.current;
        const view = currentRoom ? own(roomViews, currentRoom) : undefined;
        if (!view || view.loadingOlder || !view.hasMore) return;
        client()?.loadOlder(view.messages[0]?.id);
      },
      loadAround: (id) => client()?.loadAround(id) ?? Promise.resolve(false),
      loadNewer() {
        const { currentRoom, roomViews } = stateRef.current;
        const view = currentRoom ? own(roomViews, currentRoom) : undefined;
        if (view?.gapAfter && !view.gapMissed && !view.loadingNewer) client()?.loadNewer(view.gapAfter);
      },
      loadMissing() {
        const { currentRoom, roomViews } = stateRef.current;
        const missed = currentRoom ? own(roomViews, currentRoom)?.gapMissed : undefined;
        if (missed && !missed.loading) client()?.loadMissing(missed.retryAt);
      },
      notifyTyping: () => client()?.typing(),
      createRoom: (roomName, isPrivate) =>
        client()?.createRoom(roomName, isPrivate) ?? Promise.resolve(NOT_CONNECTED),
      openDm: (person) => client()?.openDm(person) ?? Promise.resolve(NOT_CONNECTED),
      addMember: (room, person) => client()?.addMember(room, person) ?? Promise.resolve(NOT_CONNECTED),
      removeMember: (room, person) => client()?.removeMember(room, person) ?? Promise.resolve(NOT_CONNECTED),
      leaveRoom: (room, me) => client()?.leaveRoom(room, me) ?? Promise.resolve(NOT_CONNECTED),
      archiveRoom: (room, archived) => client()?.archiveRoom(room, archived) ?? Promise.resolve(NOT_CONNECTED),
      dismissLostRoom: () => dispatch({ type: "lost-room-dismiss" }),
      changes: {
        edit: (message, text) => client()?.edit(message, text) ?? Promise.resolve(OFFLINE),
        remove: (message) => client()?.remove(message) ?? Promise.resolve(OFFLINE),
        react: (message, emoji) => client()?.react(message, emoji) ?? Promise.resolve(OFFLINE),
      },
      threads: {
        load: (room, threadId, before) => client()?.loadThread(room, threadId, before) ?? Promise.resolve(NOT_CONNECTED),
        reply: (room, threadId, text, attachments, clientId) => client()?.reply(room, threadId, text, attachments, clientId) ?? Promise.resolve(OFFLINE),
      },
      // No client: its code would not load (above), and a reload is what fetches it again.
      reconnect() {
        const c = client();
        if (c) c.reconnect();
        else window.location.reload();
      },
    };
  }, []);

  return useMemo(() => ({ state, actions }), [state, actions]);
}
