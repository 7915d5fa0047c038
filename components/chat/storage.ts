/**
 * localStorage access for the few things the browser remembers. Every call is guarded: storage throws in
 * some private-browsing modes and does not exist during server rendering.
 */
const NAME_KEY = "hibiki.name";
const LAST_ROOM_KEY = "hibiki.lastRoom";
/** "off" once desktop notifications were turned off in this browser (the user menu's switch); absent: on. */
export const DESKTOP_NOTIFICATIONS_KEY = "hibiki.desktopNotifications";

function read(key: string): string | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Not remembering is acceptable; the user is asked again next visit.
  }
}

export const readName = (): string | null => read(NAME_KEY);
export const saveName = (name: string | null): void => write(NAME_KEY, name);
export const readLastRoom = (): string | null => read(LAST_ROOM_KEY);
export const saveLastRoom = (room: string): void => write(LAST_ROOM_KEY, room);
/** Forgets the last room if it is `room` (a room not found is no place to come back to). */
export const forgetLastRoom = (room: string): void => {
  if (read(LAST_ROOM_KEY) === room) write(LAST_ROOM_KEY, null);
};
/** Whether desktop notifications were turned off in this browser (they are on unless so). */
export const readDesktopNotificationsOff = (): boolean => read(DESKTOP_NOTIFICATIONS_KEY) === "off";
export const saveDesktopNotificationsOff = (off: boolean): void => write(DESKTOP_NOTIFICATIONS_KEY, off ? "off" : null);
