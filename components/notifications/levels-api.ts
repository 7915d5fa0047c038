/** Per-room notification levels over the HTTP API; changes are announced to the page (LEVELS_CHANGED). */
import { api } from "@/components/auth/api";
import type { NotificationLevel } from "@/lib/notifications/types";

export type { NotificationLevel };
export const LEVELS: readonly NotificationLevel[] = ["all", "mentions", "none"];
import { LEVELS_CHANGED } from "./levels-constants";

export { LEVELS_CHANGED };

export type RoomLevel = { room: string; kind: "public" | "private" | "dm"; title?: string; level: NotificationLevel };

const path = (room: string) => `/api/rooms/${encodeURIComponent(room)}/notifications`;

export const getRoomLevel = (room: string) => api<{ level: NotificationLevel }>("GET", path(room));
export const listRoomLevels = () => api<{ rooms: RoomLevel[] }>("GET", "/api/notifications/levels");

export async function setRoomLevel(room: string, level: NotificationLevel): Promise<NotificationLevel> {
  const res = await api<{ level: NotificationLevel }>("PUT", path(room), { level });
  window.dispatchEvent(new Event(LEVELS_CHANGED));
  return res.level;
}
