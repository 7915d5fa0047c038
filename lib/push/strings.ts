/**
 * What the server itself writes in a Web Push, in the language of the browser that subscribed
 * (`push_subscriptions.lang`, sent with the subscription: the web client's UI language). Pushes that
 * carry someone's text (a message, an announcement) carry it as written; only the server's own sentences
 * are here. The web client's toasts build their sentences from the notification's fields
 * (components/notifications/notification-text.ts); these match its `notif.invitedBy` wording.
 */
import { isolate } from "../text/unicode";

/** The languages a subscription may ask for (the web client's, components/i18n/lang-store.ts). */
export const PUSH_LANGS = ["en", "ja"] as const;
export type PushLang = (typeof PUSH_LANGS)[number];

/** A sentence of the server's in every language: `lang` → text. */
export type LocalizedText = Record<PushLang, string>;

/**
 * "alice added you to #plans", each name isolated (U+2068…U+2069, Unicode UAX #9 FSI/PDI) so a
 * right-to-left or look-alike name cannot reorder the sentence around it.
 */
export function invitationText(from: string, room: string): LocalizedText {
  const who = isolate(from);
  const where = isolate(`#${room}`);
  return { en: `${who} added you to ${where}`, ja: `${who}さんがあなたを${where}に追加しました` };
}

/** The test push's text (POST /api/push/test). */
export const TEST_PUSH_TEXT: LocalizedText = { en: "Notifications work.", ja: "通知が届きました。" };
