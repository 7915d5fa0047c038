import type { Chat } from "../chat/chat";
import type { Roster } from "../chat/messages";
import type { Room } from "../chat/rooms";
import type { Logger } from "../log";
import { roomKey, type IO } from "./context";

/**
 * What one room's presence lists may cost, in member entries written per ms (recipients × list length,
 * about 36 bytes each on the wire): 20 per ms, about 0.7 MB/s. A list of M members to R connections
 * keeps the room's window open for at least R × M / 20 ms, so a room of 60 users on 1,000 connections
 * announces at most every 3 s, and a room of 1,000 users on 1,000 connections every 30 s (the cap), where
 * a fixed 50 ms window wrote 1.4 GB of lists while 1,000 users came online (bench `fanout` with
 * BENCH_FANOUT_USERS=990). Clients learn each arrival and departure from `user-joined` / `user-left` in
 * the meantime (the web client applies them to its list); the list remains the state they converge to.
 * 100 per ms (0.6 s for the room of 60) sent 2.2 MB of lists during the bench's join of 1,000 clients,
 * as much as all their join acknowledgements together; 20 per ms sends about a third of that.
 */
export const PRESENCE_ENTRIES_PER_MS = 20;

/** The longest a room's window grows to for its cost (ms): the list a quiet room ends with is at most this late. */
export const PRESENCE_MAX_WINDOW_MS = 30_000;

/**
 * How long a room's announcement window lasts after a list of `members` entries went to `recipients`
 * connections (ms): the configured `windowMs`, or longer for a large list to many connections (see
 * PRESENCE_ENTRIES_PER_MS), at most PRESENCE_MAX_WINDOW_MS.
 */
export function presenceWindowMs(windowMs: number, recipients: number, members: number, entriesPerMs = PRESENCE_ENTRIES_PER_MS) {
  return Math.min(PRESENCE_MAX_WINDOW_MS, Math.max(windowMs, Math.ceil((recipients * members) / entriesPerMs)));
}

/** A room inside its window: the announcement owed at its end (if a change came meanwhile). */
type Window = { owed?: { room: Room; roster?: Roster }; timer: NodeJS.Timeout; openedAt: number };

/**
 * Announces who is in a room (`presence`). Presence is state, not a stream of changes: a client only
 * needs the latest list. So per room, the first change after a quiet window goes out at once, and
 * further changes within the window collapse into one announcement at the window's end, built from the
 * room's presence at that moment. The window is `windowMs` long, longer when the list is large and goes
 * to many connections (presenceWindowMs): a burst of N users coming online costs a bounded rate of list
 * bytes per room instead of N lists to everyone; `windowMs` 0 announces every change.
 *
 * `roster`: the members of a private room or DM as a join just read them (see Chat.members); the latest
 * call's is used, and an announcement asked for without one reads the members again. `entriesPerMs`:
 * PRESENCE_ENTRIES_PER_MS unless given (a test lowers it).
 */
export function createPresenceAnnouncer(deps: { io: IO; chat: Chat; log: Logger; windowMs: number; entriesPerMs?: number }) {
  const { io, chat, log, windowMs, entriesPerMs } = deps;
  /** Rooms inside a window. */
  const windows = new Map<string, Window>();
  /**
   * Per room: the ids of this instance's connections that hold the list as it is now (they read it, in
   * their `join-room` acknowledgement, after the room's last change here). A change deletes the room's
   * set, so an announcement skips exactly the connections that took the list since.
   */
  const current = new Map<string, Set<string>>();

  /** Sends the list; resolves with its cost: how long the room's window must last (presenceWindowMs). */
  async function send(room: Room, roster?: Roster) {
    const members = await chat.members(room, roster);
    const online = members.filter((m) => m.online).length;
    const key = roomKey(room.id);
    // Each connection is also a Socket.IO room of its own id; on other instances those ids match nothing.
    const holding = current.get(room.id);
    const to = holding?.size ? io.to(key).except([...holding]) : io.to(key);
    to.emit("presence", { room: room.name, online, members });
    // This instance's connections in the room (a cluster's other instances pay for theirs alike).
    const recipients = (io.of("/").adapter.rooms.get(key)?.size ?? 0) - (holding?.size ?? 0);
    return presenceWindowMs(windowMs, Math.max(0, recipients), members.length, entriesPerMs);
  }

  /** Sends the list at the start of `window` and stretches the window to the list's cost. */
  async function sendInWindow(room: Room, roster: Roster | undefined, window: Window) {
    try {
      const lasts = await send(room, roster);
      if (windows.get(room.id) !== window || lasts <= windowMs) return;
      clearTimeout(window.timer);
      window.timer = open(room.id, Math.max(0, window.openedAt + lasts - Date.now()));
    } catch (err) {
      log.error({ err, room: room.name }, "presence announcement failed");
    }
  }

  function sendLogged(room: Room, roster?: Roster) {
    return send(room, roster).then(
      () => undefined,
      (err: unknown) => log.error({ err, room: room.name }, "presence announcement failed"),
    );
  }

  function open(roomId: string, ms = windowMs) {
    const timer = setTimeout(() => close(roomId), ms);
    timer.unref();
    return timer;
  }

  function close(roomId: string) {
    const window = windows.get(roomId);
    if (!window?.owed) return void windows.delete(roomId);
    const { room, roster } = window.owed;
    // A new window starts with this announcement, so a sustained stream of changes goes out once per window.
    const next: Window = { timer: open(roomId), openedAt: Date.now() };
    windows.set(roomId, next);
    void sendInWindow(room, roster, next);
  }

  return {
    /**
     * Who is in `room` changed. Resolves once the announcement went out when it was sent at once; an
     * announcement owed to the end of a window resolves at once (failures are logged, never thrown).
     */
    async announce(room: Room, roster?: Roster): Promise<void> {
      // The change has happened (the presence store has it): nobody holds the list as it is now.
      current.delete(room.id);
      if (windowMs <= 0) return sendLogged(room, roster);
      const window = windows.get(room.id);
      if (window) {
        window.owed = { room, roster };
        return;
      }
      const next: Window = { timer: open(room.id), openedAt: Date.now() };
      windows.set(room.id, next);
      await sendInWindow(room, roster, next);
    },
    /**
     * Call right before reading a room's list for one connection (its `join-room` acknowledgement); call
     * what it returns with the connection's id once the list was read and sent. Unless the room changed
     * in between, the connection holds the current list, and announcements skip it until the next
     * change. The list it read is then the one an announcement would send, so nothing is lost; a change
     * in between (announce()) makes it an ordinary recipient again.
     */
    listing(roomId: string): (connectionId: string) => void {
      const before = current.get(roomId) ?? new Set<string>();
      current.set(roomId, before);
      // Connections that left since stay in the set until the next change; a room whose people come and
      // go as the same users (no change) drops them once they are more than the room holds.
      const inRoom = io.of("/").adapter.rooms.get(roomKey(roomId));
      if (before.size > 2 * (inRoom?.size ?? 0) + 16) for (const id of before) if (!inRoom?.has(id)) before.delete(id);
      return (connectionId) => {
        if (current.get(roomId) === before) before.add(connectionId);
      };
    },
    /** Drops owed announcements (shutdown). */
    close() {
      for (const { timer } of windows.values()) clearTimeout(timer);
      windows.clear();
      current.clear();
    },
  };
}

export type PresenceAnnouncer = ReturnType<typeof createPresenceAnnouncer>;
