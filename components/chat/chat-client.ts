/**
 * One tab's live connection to the chat: owns the socket and everything that must outlive a render
 * (what was joined, how far each room was seen, unsent messages) and turns server events into actions.
 */
import type { Attachment } from "@/lib/chat/types";
import type { Dispatch } from "react";
import type { Ack, AddedMember, RoomSummary } from "@/lib/realtime/events";
import type { ChatAction } from "./chat-state";
// The reducer of what the socket brings travels with the socket: importing it registers it (chat-state.ts).
import "./chat-reducer";
import type { Answer, Message, OutgoingMessage, Refusal } from "./chat-types";
import { newClientId } from "./client-id";
import { createChatSocket, TIMED_OUT, type ChatSocket } from "./chat-socket";
import { OFFLINE, refused } from "./no-answer";
import { watchConnection } from "./connection-events";
import { ReadMarker } from "./read-marker";
import * as requests from "./room-requests";
import type { MentionDirectory } from "./markdown/mention-directory";
import { RoomCursors } from "./room-cursors";
import { RoomLookup } from "./room-lookup";
import { catchUpChanges, fillHoles, joinRoom, loadAround, loadNewer, loadOlder, refreshRooms, type SyncContext } from "./room-sync";
import { SendQueue } from "./send-queue";
import { LEVELS_CHANGED } from "@/components/notifications/levels-constants";

const ROOMS_REFRESH_MS = 15_000;
/** Presence changes come in bursts (a reload is a leave and a join); refresh the room list once. */
const PRESENCE_SETTLE_MS = 500;
export const TYPING_VISIBLE_MS = 3_000;

/**
 * How long a hole in a room's seqs may stay before the missing messages are fetched (ms). Across
 * instances, deliveries overtake each other by milliseconds; a hole that lasts this long was missed.
 */
export const HOLE_GRACE_MS = 300;
export { HOLE_RETRY_MS } from "./room-sync";

export class ChatClient {
  readonly socket: ChatSocket;
  private readonly ctx: SyncContext;
  private readonly cursors = new RoomCursors();
  private readonly joined = new Set<string>();
  private readonly loadingOlder = new Set<string>();
  private readonly loadingNewer = new Set<string>();
  private readonly queue: SendQueue;
  private readonly reads: ReadMarker;
  /** Whether the open room may be joined, or must be found in the room list first (room-lookup.ts). */
  private readonly lookup: RoomLookup;
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  /** Per room, the pending look at a hole in its seqs (see `repairSoon`). */
  private readonly repairs = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per room, a fill asked for by the reader that waits for the server's retry hint (see `loadMissing`). */
  private readonly waiting = new Map<string, ReturnType<typeof setTimeout>>();
  /** Cancels a retry the server asked for (see watchConnection). */
  private stopWatching: () => void = () => {};
  private presenceTimer?: ReturnType<typeof setTimeout>;
  private me: string;
  /** Who waits for the answer to a message sent by `sendLeft`, by its clientId. */
  private readonly answers = new Map<string, (refusal: Refusal | null) => void>();
  /** Tells the server when this tab is hidden or shown again (see `visibility` in lib/realtime/events.ts). */
  private readonly onVisibility = () => this.reportVisibility();

  /**
   * `keepViews`: the messages already held are this identity's (the server-rendered page, or the
   * previous connection's under the same name) and stay until the joins reconcile them. `known`: rooms
   * known to exist, which may be joined without looking them up in the room list (see RoomLookup).
   */
  constructor(name: string, private readonly dispatch: Dispatch<ChatAction>, private room: string | null, keepViews = false, known = new Set<string>()) {
    this.me = name;
    this.lookup = new RoomLookup(known, dispatch);
    this.socket = createChatSocket(name, () => this.cursors.snapshot());
    this.ctx = { socket: this.socket, cursors: this.cursors, dispatch, catchingUp: new Set(), filling: new Map(), stuck: new Map() };
    this.queue = new SendQueue(() => this.socket, {
      // The ack is not fed to the cursors: messages before it may still be on their way, and treating
      // the ack as "seen" would hide that gap.
      onAcked: (p, message) => {
        dispatch({ type: "history", room: p.room, messages: [message] });
        this.answered(p.clientId, null);
      },
      // A message sent by `sendLeft` goes back to its draft: it is taken out of the room, not left there failed.
      onFailed: (p, error) => {
        if (this.answers.has(p.clientId)) dispatch({ type: "outbox-remove", room: p.room, clientId: p.clientId });
        else dispatch({ type: "outbox-update", room: p.room, clientId: p.clientId, status: "failed", error });
        this.answered(p.clientId, error);
      },
    });
    this.reads = new ReadMarker(this.socket, this.cursors, () => this.room);
    dispatch({ type: "reset", room, keepViews });
    this.listen();
    document.addEventListener("visibilitychange", this.onVisibility);
    window.addEventListener(LEVELS_CHANGED, this.onLevelsChanged);
    this.timers.push(setInterval(() => this.refreshRooms(), ROOMS_REFRESH_MS));
    this.timers.push(setInterval(() => dispatch({ type: "typing-expire", now: Date.now() }), 1_000));
    // Connecting on the next task lets React StrictMode's mount–unmount–mount discard the first client
    // before it ever touches the network.
    this.timers.push(setTimeout(() => this.socket.connect(), 0));
  }

  /**
   * Only the open room is joined: presence then means "here now", and the server's room-activity events
   * keep the other rooms' unread counts. Their cached messages stay, to be topped up on return.
   */
  open(room: string): void {
    this.room = room;
    this.dispatch({ type: "open-room", room });
    for (const other of this.joined) if (other !== room) this.leave(other);
    this.lookup.clear();
    // The list held may predate a room made a moment ago: one asked for now decides.
    if (!this.enter(room)) this.refreshRooms();
  }

  /**
   * Joins `room` when it may be joined at once (RoomLookup.mayJoin) and returns true; otherwise returns
   * false, the room waiting for a room list asked for after this (the caller's to ask for): a join of a
   * name no room has would make one.
   */
  private enter(room: string): boolean {
    if (!this.lookup.mayJoin(room)) {
      this.lookup.begin(room);
      return false;
    }
    this.lookup.clear();
    this.join(room);
    return true;
  }

  /** Joins `room` (a room the lookup found, or `undefined`: none) if it is still the open one. */
  private joinFound(room: string | undefined): void {
    if (room !== undefined && room === this.room) this.join(room);
  }

  /**
   * Sends a message to `room`, the open one by default; `attachments` were uploaded beforehand (see
   * upload-client.ts). Another room is one left while the message waited for its files (attach.tsx).
   */
  send(text: string, attachments?: Attachment[], room = this.room): string | undefined {
    if (!room) return;
    const clientId = newClientId();
    const createdAt = new Date().toISOString();
    this.dispatch({
      type: "outbox-add",
      message: { clientId, room, author: this.me, text, createdAt, status: "pending", ...(attachments ? { attachments } : {}) },
    });
    this.queue.add({ room, message: text, clientId, ...idsOf(attachments) });
    return clientId;
  }

  /**
   * Sends as `send` does, a message whose files were uploaded after its room was left (attach.tsx);
   * resolves with null once the server has it, or with its refusal, the message then being taken out of
   * the room again (it goes back to its draft).
   */
  sendLeft(room: string, text: string, attachments?: Attachment[]): Promise<Refusal | null> {
    return new Promise((resolve) => {
      const clientId = this.send(text, attachments, room);
      if (clientId) this.answers.set(clientId, resolve);
    });
  }

  private answered(clientId: string, refusal: Refusal | null): void {
    this.answers.get(clientId)?.(refusal);
    this.answers.delete(clientId);
  }

  retry(entry: OutgoingMessage): void {
    this.dispatch({ type: "outbox-update", room: entry.room, clientId: entry.clientId, status: "pending" });
    this.queue.add({ room: entry.room, message: entry.text, clientId: entry.clientId, ...idsOf(entry.attachments) });
  }

  discard(entry: OutgoingMessage): void {
    this.queue.settle(entry.clientId);
    this.answers.delete(entry.clientId);
    this.dispatch({ type: "outbox-remove", room: entry.room, clientId: entry.clientId });
  }

  /** The author edits a message: shown at once, put back if refused; resolves with the refusal, or null. */
  edit(message: Message, text: string): Promise<Refusal | null> {
    const shown = { ...message, text, editedAt: new Date().toISOString() };
    return this.optimistic(message, () => this.dispatch({ type: "message-updated", message: shown }), "edit-message", { room: message.room, id: message.id, message: text });
  }

  /** Deletes a message (author or admin): shown as deleted at once, put back if refused. */
  remove(message: Message): Promise<Refusal | null> {
    return this.optimistic(message, () => this.dispatch({ type: "message-deleted", room: message.room, id: message.id }), "delete-message", { room: message.room, id: message.id });
  }

  /**
   * Toggles the user's reaction: shown at once (the state decides whose reaction it is, by the reader's
   * names: `reaction-toggled`), put back if refused.
   */
  react(message: Message, emoji: string): Promise<Refusal | null> {
    return this.optimistic(message, () => this.dispatch({ type: "reaction-toggled", room: message.room, id: message.id, emoji }), "react", { room: message.room, id: message.id, emoji });
  }

  /** Shows a change at once, asks the server, and puts `before` back when it refuses. */
  private async optimistic(before: Message, show: () => void, event: "edit-message" | "delete-message" | "react", payload: { room: string; id: string; message?: string; emoji?: string }) {
    show();
    const refusal = await this.ask(event, payload);
    if (refusal) this.dispatch({ type: "message-updated", message: before });
    return refusal;
  }

  /**
   * A thread's root and newest replies (or the replies before `before`); they are kept with the room's
   * view so that changes to them show.
   */
  async loadThread(room: string, threadId: string, before?: string): Promise<Answer<{ root: Message; messages: Message[]; hasMore: boolean }>> {
    if (!this.socket.connected) return refused(OFFLINE);
    const res = await this.socket.timeout(10_000).emitWithAck("thread-history", { room, threadId, ...(before ? { before } : {}) }).catch(() => TIMED_OUT);
    if (res.ok) this.dispatch({ type: "thread-loaded", room, messages: [res.data.root, ...res.data.messages] });
    return res;
  }

  /**
   * Replies in a thread, with the files uploaded for the reply beforehand (`attachments`, sent as their
   * ids); the reply arrives like any message of the room. Resolves with the refusal, or null.
   */
  reply(room: string, threadId: string, text: string, attachments?: readonly Attachment[], clientId = newClientId()): Promise<Refusal | null> {
    return this.ask("send-message-to-room", { room, message: text, threadId, clientId, ...idsOf(attachments) });
  }

  private async ask(
    event: "edit-message" | "delete-message" | "react" | "send-message-to-room",
    payload: { room: string; id?: string; message?: string; emoji?: string; threadId?: string; clientId?: string; attachments?: string[] },
  ): Promise<Refusal | null> {
    if (!this.socket.connected) return OFFLINE;
    const socket = this.socket.timeout(10_000);
    const emitWithAck = socket.emitWithAck as (e: string, p: unknown) => Promise<Ack<unknown>>;
    const res = await emitWithAck.call(socket, event, payload).catch(() => TIMED_OUT);
    return res.ok ? null : res.error;
  }

  /** Guarded here, not only in state: scroll events can fire again before React has re-rendered. */
  loadOlder(before: string | undefined): void {
    const room = this.room;
    if (!room || !this.socket.connected || this.loadingOlder.has(room)) return;
    this.loadingOlder.add(room);
    void loadOlder(this.ctx, room, before).finally(() => this.loadingOlder.delete(room));
  }

  /**
   * Loads the page around message `id` of the current room (see room-sync.ts, loadAround); resolves with
   * whether the message is there. False at once when not connected.
   */
  loadAround(id: string): Promise<boolean> {
    const room = this.room;
    if (!room || !this.socket.connected) return Promise.resolve(false);
    return loadAround(this.ctx, room, id);
  }

  /**
   * The reader asks again for the current room's messages a fill could not load (RoomView.gapMissed):
   * the holes are filled as on a reconnection (room-sync.ts, fillHoles), the list showing the fill under
   * way. When the server's last refusal said to wait (`retryAt`, ms since the epoch) the request is sent
   * once that time has come, not before (a wait already pending gives way to this one: a later refusal
   * may have moved the time). Nothing happens while not connected (the next connection's join fills them)
   * or while a fill of the room is under way.
   */
  loadMissing(retryAt?: number): void {
    const room = this.room;
    if (!room || !this.socket.connected || !this.joined.has(room) || this.ctx.filling.has(room)) return;
    clearTimeout(this.waiting.get(room));
    this.waiting.delete(room);
    const wait = retryAt === undefined ? 0 : retryAt - Date.now();
    if (wait <= 0) {
      void fillHoles(this.ctx, room);
      return;
    }
    this.dispatch({ type: "gap-loading", room, loading: true });
    this.waiting.set(room, setTimeout(() => {
      this.waiting.delete(room);
      if (this.socket.connected && this.joined.has(room)) void fillHoles(this.ctx, room);
      else this.dispatch({ type: "gap-loading", room, loading: false });
    }, wait));
  }

  /** Loads newer messages into the current room's hole after `after` (RoomView.gapAfter), once at a time. */
  loadNewer(after: string): void {
    const room = this.room;
    if (!room || !this.socket.connected || this.loadingNewer.has(room)) return;
    this.loadingNewer.add(room);
    void loadNewer(this.ctx, room, after).finally(() => this.loadingNewer.delete(room));
  }

  typing(): void {
    if (this.room && this.socket.connected) this.socket.emit("typing", { room: this.room }, () => {});
  }

  /**
   * Creates a room (the reader's own act). Made, or its name taken (by a room the reader may not see, or
   * a look-alike): either way no join of the name can make a room now, so the page may open it (a join
   * refused then says why), the open room too if it was waiting to be found.
   */
  async createRoom(name: string, isPrivate: boolean): Promise<Answer<{ room: RoomSummary }>> {
    const res = await requests.createRoom(this.socket, name, isPrivate);
    // A name found taken is not known to be the reader's to open (a private room of others, a look-alike
    // name's room): the fresh list below decides, as for any address, and one it lacks is said to be
    // taken (room-lookup.ts).
    if (res.ok) this.lookup.know(res.data.room.name);
    else if (res.error.code === "conflict") this.lookup.taken(name);
    this.joinFound(this.lookup.settle());
    this.refreshRooms();
    return res;
  }

  async openDm(name: string): Promise<Answer<{ room: RoomSummary }>> {
    const res = await requests.openDm(this.socket, name);
    if (res.ok) this.lookup.know(res.data.room.name);
    this.refreshRooms();
    return res;
  }

  /** Adds `name` to private room `room`, shown in its member list at once (marked when a bot). */
  async addMember(room: string, name: string): Promise<Answer<AddedMember>> {
    const res = await requests.addMember(this.socket, room, name);
    if (res.ok) {
      this.dispatch({ type: "members-changed", room, added: name, ...(res.data.bot ? { bot: true } : {}) });
      // A mention of them there answered "nobody" is asked again soon (they may read the room now).
      withMentionDirectory((directory) => directory.recheck([name]));
    }
    return res;
  }

  async removeMember(room: string, name: string): Promise<Answer<Record<string, never>>> {
    const res = await requests.removeMember(this.socket, room, name);
    if (res.ok) {
      this.dispatch({ type: "members-changed", room, removed: name });
      // A mention of them there no longer notifies them: no longer highlighted once the server says so.
      withMentionDirectory((directory) => directory.forget([name], room));
    }
    return res;
  }

  /**
   * The reader (`me`) leaves public room `room` (remove-member of themselves): remembered as their own
   * leaving (the reducer's `leftRoom`), and the room list is read again, which lists it as left; the page
   * then moves on as after leaving a private room (LostRoom).
   */
  async leaveRoom(room: string, me: string): Promise<Answer<Record<string, never>>> {
    const res = await requests.removeMember(this.socket, room, me);
    if (res.ok) {
      this.dispatch({ type: "members-changed", room, removed: me });
      this.refreshRooms();
    }
    return res;
  }

  /** An admin archives or unarchives `room`; the room list is read again (the room is listed apart, or back). */
  async archiveRoom(room: string, archived: boolean): Promise<Answer<{ room: RoomSummary }>> {
    const res = await requests.archiveRoom(this.socket, room, archived);
    if (res.ok) this.refreshRooms();
    return res;
  }

  /** After the server closed the connection, socket.io does not retry by itself. */
  reconnect(): void {
    if (!this.socket.active) this.socket.connect();
  }

  close(): void {
    this.timers.forEach(clearTimeout);
    this.repairs.forEach(clearTimeout);
    this.waiting.forEach(clearTimeout);
    this.stopWatching();
    clearTimeout(this.presenceTimer);
    this.queue.dispose();
    this.reads.dispose();
    document.removeEventListener("visibilitychange", this.onVisibility);
    window.removeEventListener(LEVELS_CHANGED, this.onLevelsChanged);
    this.socket.removeAllListeners();
    this.socket.io.removeAllListeners();
    this.socket.disconnect();
  }

  private join(room: string): void {
    if (this.joined.has(room) || !this.socket.connected) return;
    this.joined.add(room);
    void joinRoom(this.ctx, room).then((ok) => (ok ? this.lookup.know(room) : this.joined.delete(room)));
  }

  private leave(room: string): void {
    this.joined.delete(room);
    this.cursors.pause(room);
    if (this.socket.connected) this.socket.emit("leave-room", room, () => {});
  }

  /**
   * Reports whether this tab is hidden. The server takes a new connection for visible, so on connect only
   * a hidden tab needs to speak; after that every change is sent.
   */
  private reportVisibility(onConnect = false): void {
    if (!this.socket.connected || (onConnect && !document.hidden)) return;
    this.socket.emit("visibility", { hidden: document.hidden }, () => {});
  }

  /** A room's notification level changed on this page: the list shows which rooms are muted. */
  private readonly onLevelsChanged = () => this.refreshRooms();

  private refreshRooms(): void {
    if (!this.socket.connected) return;
    const asked = this.lookup.asking();
    void refreshRooms(this.ctx).then((rooms) => rooms && this.joinFound(this.lookup.listedRooms(rooms, asked)));
  }

  /**
   * A message left a hole in the room's seqs (one arrived before an older one, or one never came): look
   * again after HOLE_GRACE_MS and fetch what is still missing with `history`. With several instances an
   * older message relayed from another instance usually arrives milliseconds after a newer one from this
   * tab's own; filling at once made every client of the room ask for it (bench/README.md, cluster). A
   * hole from any cause is closed this way, also one left behind by a reconnection's replay. One look at
   * a time per room; a hole that a fill could not close is marked in the list (RoomView.gapMissed) and
   * asked about again at most every HOLE_RETRY_MS, or once the server's `retryAfter` is over if that is
   * later, when a later message comes (meanwhile the handshake's `lastSeen` stays below it, so a
   * reconnection replays it; the next join fills it too).
   */
  private repairSoon(room: string): void {
    const hole = this.cursors.hole(room);
    const stuck = this.ctx.stuck.get(room);
    if (!hole || this.repairs.has(room) || (stuck?.afterSeq === hole.afterSeq && Date.now() < stuck.retryAt)) return;
    this.repairs.set(
      room,
      setTimeout(() => {
        this.repairs.delete(room);
        void this.repair(room);
      }, HOLE_GRACE_MS),
    );
  }

  private async repair(room: string): Promise<void> {
    const hole = this.cursors.hole(room);
    if (!hole || !this.socket.connected || !this.joined.has(room)) return;
    await fillHoles(this.ctx, room);
    if (this.cursors.hole(room)?.afterSeq !== hole.afterSeq) this.repairSoon(room);
  }

  private receive(message: Message): void {
    const seenSeq = this.cursors.seq(message.room);
    this.cursors.note(message.room, [message]);
    if (message.clientId) this.queue.settle(message.clientId);
    this.dispatch({ type: "received", message });
    if (message.room === this.room) this.reads.schedule();
    if (seenSeq !== undefined) this.repairSoon(message.room);
  }

  /** Notes a change's place; a skipped `changeSeq` means one was missed: fetch what changed instead of drifting. */
  private changed(room: string, changeId: string | undefined, changeSeq: number | undefined): void {
    this.cursors.position(room, changeId);
    if (this.cursors.change(room, changeSeq)) void catchUpChanges(this.ctx, room);
  }

  private listen(): void {
    const { socket, dispatch } = this;
    this.stopWatching = watchConnection(socket, dispatch, () => {
      // The server forgets a socket's rooms when it drops: join the open one again (or look it up in the
      // list asked for next, when it is not known to exist).
      this.joined.clear();
      if (this.room) this.enter(this.room);
      this.refreshRooms();
      this.queue.flush();
      this.reportVisibility(true);
    });
    socket.on("session", (session) => {
      this.me = session.name;
      dispatch({ type: "session", session });
    });
    socket.on("receive-message", (message) => this.receive(message));
    socket.on("message-updated", (message) => {
      dispatch({ type: "message-updated", message });
      this.changed(message.room, message.changeId, message.changeSeq);
    });
    socket.on("message-deleted", ({ room, id, seq, changeId, changeSeq }) => {
      dispatch({ type: "message-deleted", room, id, seq, changeId, changeSeq });
      this.changed(room, changeId, changeSeq);
    });
    socket.on("reactions-updated", ({ room, id, reactions, toggle, changeId, changeSeq }) => {
      dispatch({ type: "reactions-updated", room, id, reactions, toggle, changeId, changeSeq });
      this.changed(room, changeId, changeSeq);
    });
    // Replays after a reconnect merge changes (numbers skip): judge them again from the next join.
    socket.on("disconnect", () => this.cursors.pause());
    socket.on("rooms-changed", () => this.refreshRooms());
    // A level chosen on another page of this person's: this page's header, list and badge follow it.
    socket.on("levels-changed", () => window.dispatchEvent(new Event(LEVELS_CHANGED)));
    socket.on("room-activity", (activity) => dispatch({ type: "room-activity", ...activity }));
    socket.on("room-read", ({ room, readSeq }) => dispatch({ type: "room-read", room, readSeq }));
    socket.on("room-mention", ({ room }) => dispatch({ type: "room-mention", room }));
    socket.on("presence", (event) => {
      dispatch({ type: "presence", event });
      clearTimeout(this.presenceTimer);
      this.presenceTimer = setTimeout(() => this.refreshRooms(), PRESENCE_SETTLE_MS);
    });
    socket.on("user-joined", (_text, info) => {
      if (!info) return;
      dispatch({ type: "presence-change", room: info.room, name: info.name, online: true, ...(info.bot ? { bot: true } : {}) });
      // Someone by this name exists now, perhaps new or just renamed: a mention of it answered "nobody"
      // is asked again soon.
      withMentionDirectory((directory) => directory.recheck([info.name]));
    });
    socket.on("user-left", (_text, info) => {
      if (info) dispatch({ type: "presence-change", room: info.room, name: info.name, online: false });
    });
    socket.on("typing", ({ room, author }) => {
      if (author !== this.me) dispatch({ type: "typing", room, author, until: Date.now() + TYPING_VISIBLE_MS });
    });
  }
}

/**
 * Tells the page's mention directory (mention-directory.ts) of a change in who a mention may notify. The
 * directory comes with the messages' text, not in the first load: it is imported here when needed, and a
 * failed import (the chunk unreachable) changes nothing.
 */
function withMentionDirectory(tell: (directory: MentionDirectory) => void): void {
  void import("./markdown/mention-directory").then(({ mentionDirectory }) => tell(mentionDirectory()), () => undefined);
}

const idsOf = (attachments: readonly Attachment[] | undefined) => (attachments?.length ? { attachments: attachments.map((a) => a.id) } : {});
