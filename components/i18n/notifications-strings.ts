/**
 * English text of notifications: toasts, their text, the desktop opt-in and the stream's indicator
 * (fetched after the first render). Imported for its effect by every module that uses one of these keys: it adds them to the
 * English dictionary (see `addEnglish`), so the chat's first load does not carry them. The Japanese is in
 * ja.ts; tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const notificationsEn = addEnglish({
  "notif.dismiss": "Dismiss",
  "notif.stream": "Live updates",
  "status.disconnected": "Disconnected",
  "notif.desktopBlocked": "Desktop notifications are blocked in this browser",
  "notif.desktop": "Desktop notifications while Hibiki is open",
  "notif.desktopHint": "Shown while Hibiki is open in a hidden tab. For notifications while Hibiki is closed, see Settings.",
  "notif.dm": "Message from {from}",
  "notif.enableDesktop": "Enable desktop notifications",
  "notif.invite": "Added to {room}",
  "notif.invitedBy": "{from} added you to {room}",
  "notif.mention": "{from} mentioned you in {room}",
  "notif.message": "{from} in {room}",
  "notif.region": "Notifications",
  "notif.reply": "{from} replied in a thread in {room}",
  "notif.system": "Announcement",
  "notif.toast": "{title}: {text}",
  "notif.open": "Open",
  "notif.fromGuest": "{from} (guest)",
  "notif.fromBot": "{from} (bot)",
} as const);
