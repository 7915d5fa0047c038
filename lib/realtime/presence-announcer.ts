import type { Chat } from "../chat/chat";
import type { Roster } from "../chat/messages";
import type { Room } from "../chat/rooms";
import type { Logger } from "../log";
import { roomKey, type IO } from "./context";

/**
 * Announces who is in a room (`presence`). Presence is state, not a stream of changes: a client only
 * needs the latest list. So per room, the first change after a quiet `windowMs` goes out at once, and
 * further changes within the window collapse into one announcement at the window's end, built from the
 * room's presence at that moment. A burst of N users coming online (a busy room after a restart) costs
 * about duration / `windowMs` broadcasts of the list instead of N; `windowMs` 0 announces every change.
 *
 * `roster`: the members of a private room or DM as a join just read them (see Chat.members); the latest
 * call's is used, and an announcement asked for without one reads the members again.
 */
export function createPresenceAnnouncer(deps: { io: IO; chat: Chat; log: Logger; windowMs: number }) {
  const { io, chat, log, windowMs } = deps;
  /** Rooms inside a window, with the announcement owed at its end (if a change came meanwhile). */
  const windows = new Map<string, { owed?: { room: Room; roster?: Roster }; timer: NodeJS.Timeout }>();

  async function send(room: Room, roster?: Roster) {
    const members = await chat.members(room, roster);
    const online = members.filter((m) => m.online).length;
    io.to(roomKey(room.id)).emit("presence", { room: room.name, online, members });
  }

  function sendLogged(room: Room, roster?: Roster) {
    return send(room, roster).catch((err: unknown) => log.error({ err, room: room.name }, "presence announcement failed"));
  }

  function open(roomId: string) {
    const timer = setTimeout(() => close(roomId), windowMs);
    timer.unref();
    return timer;
  }

  function close(roomId: string) {
    const window = windows.get(roomId);
    if (!window?.owed) return void windows.delete(roomId);
    const { room, roster } = window.owed;
    // A new window starts with this announcement, so a sustained stream of changes goes out once per window.
    windows.set(roomId, { timer: open(roomId) });
    void sendLogged(room, roster);
  }

  return {
    /**
     * Who is in `room` changed. Resolves once the announcement went out when it was sent at once; an
     * announcement owed to the end of a window resolves at once (failures are logged, never thrown).
     */
    async announce(room: Room, roster?: Roster): Promise<void> {
      if (windowMs <= 0) return sendLogged(room, roster);
      const window = windows.get(room.id);
      if (window) {
        window.owed = { room, roster };
        return;
      }
      windows.set(room.id, { timer: open(room.id) });
      await sendLogged(room, roster);
    },
    /** Drops owed announcements (shutdown). */
    close() {
      for (const { timer } of windows.values()) clearTimeout(timer);
      windows.clear();
    },
  };
}

export type PresenceAnnouncer = ReturnType<typeof createPresenceAnnouncer>;
