/**
 * English text of the socket client's connection reports (components/chat/chat-socket.ts and connection-
 * events.ts, fetched after the first render), of a room lost (lost-room.tsx) and of a room not found
 * (missing-room.tsx). Imported for its effect by every module that uses one of these keys: it adds them
 * to the English dictionary (see `addEnglish`), so the chat's first load does not carry them. The
 * Japanese is in ja.ts; tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const connectionEn = addEnglish({
  "rooms.lostAccess": "You no longer have access to {room}.",
  "rooms.left": "You left {room}.",
  "room.noSuchRoom": "No room named “{room}”",
  "room.noSuchRoomHint": "It may not exist yet, or it may be a private room you are not a member of.",
  "room.createNamed": "Create room “{room}”",
  "room.notYours": "You can't open “{room}”",
  "room.notYoursHint": "A room with this name, or one that looks the same, already exists, and you are not one of its members. If it is private, ask one of its members to add you.",
  "room.notYoursGuestHint": "A room with this name, or one that looks the same, already exists, and guests cannot open it. Choose another name, or sign in with an account.",
  "room.creating": "Creating the room…",
  "room.goTo": "Go to {room}",
  "conn.attempt": "Reconnecting (attempt {n})…",
  "conn.deviceOffline": "No network on this device",
  "conn.parseError": "The server sent something unreadable. Reconnecting…",
  "conn.pingTimeout": "The connection timed out. Reconnecting…",
  "conn.restarting": "The server is restarting. Reconnecting…",
  "conn.serverClosed": "The server closed the connection.",
  "conn.signInNeeded": "This server needs you to sign in before you can chat.",
  "conn.transportClose": "The connection was lost. Reconnecting…",
  "conn.transportError": "The connection failed. Reconnecting…",
  "conn.unreachable": "Can't reach the server. Retrying…",
} as const);
