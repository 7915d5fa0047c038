import type { UserKind } from "./users";

/** A user as presence keeps them: `kind` tells a bot (a member list marks bots). */
export type PresentUser = { id: string; name: string; kind?: UserKind };
/** A user online in a room; `bot` only for a bot. */
export type OnlineUser = { id: string; name: string; bot?: true };

/** Who is in which room: counted connections per user per room (three tabs count once). */
export interface PresenceStore {
  /** One more connection of `user` in `roomId`; resolves true when the user just came online there. */
  add(roomId: string, user: PresentUser): Promise<boolean>;
  /** One connection fewer; resolves true when the user's last connection in the room left. */
  remove(roomId: string, userId: string): Promise<boolean>;
  /** The users online in a room. */
  online(roomId: string): Promise<OnlineUser[]>;
  /** How many distinct users are online in each of `roomIds`. */
  counts(roomIds: string[]): Promise<Map<string, number>>;
}

type Entry = { name: string; bot: boolean; connections: number };

/** Presence for a single instance, in memory. */
export class MemoryPresence implements PresenceStore {
  private rooms = new Map<string, Map<string, Entry>>();

  async add(roomId: string, user: PresentUser) {
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = new Map()));
    const entry = room.get(user.id);
    if (entry) {
      entry.connections++;
      return false;
    }
    room.set(user.id, { name: user.name, bot: user.kind === "bot", connections: 1 });
    return true;
  }

  async remove(roomId: string, userId: string) {
    const room = this.rooms.get(roomId);
    const entry = room?.get(userId);
    if (!room || !entry) return false;
    if (--entry.connections > 0) return false;
    room.delete(userId);
    if (room.size === 0) this.rooms.delete(roomId);
    return true;
  }

  async online(roomId: string) {
    return [...(this.rooms.get(roomId) ?? new Map<string, Entry>())].map(([id, e]): OnlineUser => (e.bot ? { id, name: e.name, bot: true } : { id, name: e.name }));
  }

  async counts(roomIds: string[]) {
    return new Map(roomIds.map((id) => [id, this.rooms.get(id)?.size ?? 0]));
  }
}
