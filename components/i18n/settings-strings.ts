/**
 * English text of the settings page (components/settings). Imported for its effect by every module
 * that uses one of these keys: it adds them to the English dictionary (see `addEnglish`), so the pages
 * that do not use them (the chat's first load) do not carry them. The Japanese is in ja.ts;
 * tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const settingsEn = addEnglish({
  "settings.link": "Settings",
  "settings.title": "Settings",
  "settings.push.title": "Notifications on this device",
  "settings.push.intro": "Hibiki notifies this browser of mentions and direct messages while no Hibiki tab is open.",
  "settings.push.unsupported": "This browser cannot receive push notifications.",
  "settings.push.denied": "Notifications are blocked for this site. Allow them in the browser's site settings, then reload this page.",
  "settings.push.enable": "Enable notifications",
  "settings.push.serviceFailed": "This browser's push service did not accept the subscription, so it cannot be notified while Hibiki is closed. Notifications still appear while a Hibiki tab is open.",
  "settings.push.on": "Notifications are on for this browser.",
  "settings.push.off": "Notifications are off for this browser.",
  "settings.push.test": "Send me a test notification",
  "settings.push.tested": "A test notification is on its way.",
  "settings.push.disable": "Turn off",
  "settings.push.whenHidden": "Also notify my browsers while every Hibiki tab is hidden",
  "settings.push.whenHiddenHint": "For all your browsers. Without it, push notifications arrive only while no Hibiki tab is open.",
  "settings.levels.title": "Rooms",
  "settings.levels.intro": "Choose what notifies you in each room. Direct messages notify you of every message unless you change it; rooms only of mentions.",
  "settings.levels.empty": "You are not in any room yet.",
  "settings.password.title": "Password",
  "settings.password.current": "Current password",
  "settings.password.new": "New password",
  "settings.password.confirm": "Confirm new password",
  "settings.password.submit": "Change password",
  "settings.password.mismatch": "The new passwords do not match.",
  "settings.password.done": "Password changed. Your other sessions were signed out.",
  "settings.sessions.title": "Sessions",
  "settings.sessions.intro": "Signed in on a computer you no longer use? Sign out everywhere else.",
  "settings.sessions.submit": "Sign out other sessions",
  "settings.sessions.done.one": "Signed out of {count} other session.",
  "settings.sessions.done.other": "Signed out of {count} other sessions.",
  "settings.sessions.none": "You were signed in nowhere else.",
  "settings.name.title": "Display name",
  "settings.name.intro": "The name people see and @mention, and the one you sign in with. Messages you already wrote keep the name they were written under.",
  "settings.name.current": "Current name: {name}",
  "settings.name.new": "New name",
  "settings.name.submit": "Change name",
  "settings.name.done": "Your name is now {name}.",
  "settings.name.same": "{name} is already your name.",
} as const);
