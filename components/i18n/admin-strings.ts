/**
 * English text of the admin pages (components/admin). Imported for its effect by every module that uses
 * one of these keys: it adds them to the English dictionary (see `addEnglish`), so the chat's first load
 * does not carry them. The Japanese is in admin-ja.ts; tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const adminEn = addEnglish({
  "app.copy": "Copy",
  "app.copied": "Copied",
  "app.copyManually": "Select the text and copy it",
  "admin.title": "Administration",
  "admin.only": "Admins only",
  "admin.onlyBody": "This page is for the administrators of this server.",
  "admin.logsLink": "Live logs",
  "admin.failed": "Something went wrong: {reason}",

  "users.title": "People",
  "users.name": "Name",
  "users.kind": "Kind",
  "users.role": "Role",
  "users.state": "State",
  "users.actions": "Actions",
  "users.kind.user": "person",
  "users.kind.bot": "bot",
  "users.kind.guest": "guest",
  "users.admin": "admin",
  "users.member": "member",
  "users.active": "active",
  "users.deactivated": "deactivated",
  "users.deactivate": "Deactivate",
  "users.reactivate": "Reactivate",
  "users.deactivateLabel": "Deactivate {name}",
  "users.reactivateLabel": "Reactivate {name}",
  "users.confirmDeactivate": "Deactivate {name}? They are signed out everywhere at once.",
  "users.resetPassword": "Reset password",
  "users.resetPasswordLabel": "Reset the password of {name}",
  "users.confirmReset": "Give {name} a new password? The current one stops working and they are signed out everywhere.",
  "users.newPassword": "New password for {name}",
  "users.newPasswordNote": "Give it to them yourself: it is shown only now. They can change it in Settings.",
  "users.none": "No accounts yet.",

  "join.title": "Join link",
  "join.intro": "Anyone with this link can create an account. Rotate it to invalidate the old one.",
  "join.url": "Join link",
  "join.rotate": "Rotate",
  "join.confirmRotate": "Rotate the join link? The current link stops working at once.",
  "join.rotated": "A new link was made; the old one no longer works.",

  "bots.title": "Bots",
  "bots.intro": "A bot posts with a token: POST /api/rooms/<room>/messages with Authorization: Bearer <token>.",
  "bots.name": "Bot name",
  "bots.create": "Create bot",
  "bots.token": "Token for {name}",
  "bots.once": "Copy this token now: it will not be shown again.",

  "guests.title": "Guest access",
  "guests.label": "Let people without an account chat in public rooms",
  "guests.on": "Guests can join.",
  "guests.off": "Only people with an account can join.",

  "announce.title": "Announcement",
  "announce.label": "Message to everyone",
  "announce.send": "Send announcement",
  "announce.sent": "Announcement sent.",
  "announce.empty": "Write the announcement first.",

  "logs.title": "Live logs",
  "logs.levels": "Levels",
  "logs.autoScroll": "Auto-scroll",
  "logs.clear": "Clear",
  "logs.count.one": "{count} entry",
  "logs.count.other": "{count} entries",
  "logs.empty": "No log entries yet.",
  "logs.list": "Log entries",
  "logs.stream": "Log stream",
} as const);
