/** What a notification says and whether it deserves a toast. */
import type { Notification } from "@/lib/notifications/types";
import type { Translate } from "@/components/i18n/use-t";
import "@/components/i18n/notifications-strings";

export function notificationTitle(t: Translate, n: Notification): string {
  const room = n.roomTitle ?? (n.room ? `#${n.room}` : "");
  const from = n.from ?? "";
  switch (n.type) {
    case "mention":
      return t("notif.mention", { from, room });
    case "dm":
      return t("notif.dm", { from: n.from ?? n.roomTitle ?? "" });
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

/** A mention or DM in the room on screen is already in front of the user: no toast for it. */
export function worthToasting(n: Notification, currentRoom: string | null | undefined): boolean {
  return !((n.type === "dm" || n.type === "mention" || n.type === "message" || n.type === "reply") && !!n.room && n.room === currentRoom);
}
