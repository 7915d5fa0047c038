/** What a notification says and whether it deserves a toast. */
import type { Notification } from "@/lib/notifications/types";
import type { Translate } from "@/components/i18n/use-t";
import { messagePath, roomPath } from "@/components/chat/room-path";
import "@/components/i18n/notifications-strings";

/** The room a notification is about, as its title names it ("#plans", or a DM's person). */
const roomLabel = (n: Notification): string => n.roomTitle ?? (n.room ? `#${n.room}` : "");

/**
 * Who a notification is from, as its sentences name them: `name` (the `from`, or a DM's person), and
 * after it "(guest)" or "(bot)" when `n.fromKind` says so, as the message list tags such a message
 * (message-item.tsx): a guest is a name typed at the door, so one called like a colleague cannot pass
 * for them. The name is isolated inside (translate), and the whole is again where a sentence takes it.
 */
export function notificationSender(t: Translate, n: Notification, name = n.from ?? ""): string {
  if (!name || !n.fromKind) return name;
  return t(n.fromKind === "bot" ? "notif.fromBot" : "notif.fromGuest", { from: name });
}

/** A notification's title, in the UI's language: who did what where ("alice mentioned you in #general"). */
export function notificationTitle(t: Translate, n: Notification): string {
  const room = roomLabel(n);
  const from = notificationSender(t, n);
  switch (n.type) {
    case "mention":
      return t("notif.mention", { from, room });
    case "dm":
      return t("notif.dm", { from: notificationSender(t, n, n.from ?? n.roomTitle ?? "") });
    case "message":
      return t("notif.message", { from, room });
    case "invite":
      return t("notif.invite", { room });
    case "reply":
      return t("notif.reply", { from, room });
    default:
      return t("notif.system");
  }
}

/**
 * The text under a notification's title: what was written (a message, an announcement), or for an
 * invitation, who added the reader, in the UI's language (the server's text is an English sentence).
 */
export function notificationText(t: Translate, n: Notification): string {
  if (n.type === "invite" && n.from && n.room) return t("notif.invitedBy", { from: notificationSender(t, n), room: roomLabel(n) });
  return n.message;
}

/**
 * Whether notification `n` deserves a toast: a mention, reply, DM or message in the room on screen is
 * already in front of the user, unless it is a reply in a thread (`threadId`) other than the one open
 * beside the room (`currentThread`, its root's id): thread replies are not in the room's list.
 */
export function worthToasting(n: Notification, currentRoom: string | null | undefined, currentThread?: string | null): boolean {
  const aboutMessage = n.type === "dm" || n.type === "mention" || n.type === "message" || n.type === "reply";
  if (!aboutMessage || !n.room || n.room !== currentRoom) return true;
  return !!n.threadId && n.threadId !== currentThread;
}

/**
 * Where opening a notification about `room` goes: the room at the message it is about, `messageId`
 * (messagePath: the room opens there, a thread reply in its thread, as a search result does), or the
 * room when it is about no message.
 */
export const notificationPath = (room: string, messageId?: string): string => (messageId ? messagePath(room, messageId) : roomPath(room));
