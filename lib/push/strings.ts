/**
 * What the server itself writes in a Web Push, in the language of the browser that subscribed
 * (`push_subscriptions.lang`, sent with the subscription: the web client's UI language). Pushes that
 * carry someone's text (a message, an announcement) carry it as written; only the server's own sentences
 * are here. The web client's toasts build their sentences from the notification's fields
 * (components/notifications/notification-text.ts); these match its `notif.invitedBy` wording.
 */
import type { NotificationAuthorKind } from "../notifications/types";
import { isolate } from "../text/unicode";

/** The languages a subscription may ask for (the web client's, components/i18n/lang-store.ts). */
export const PUSH_LANGS = ["en", "ja"] as const;
export type PushLang = (typeof PUSH_LANGS)[number];

/** A sentence of the server's in every language: `lang` → text. */
export type LocalizedText = Record<PushLang, string>;

/**
 * The word a push says beside a guest's or a bot's name (`fromKindText`, shown by public/sw.js), as the
 * web client's message list and toasts say it (`message.guest`, `message.bot`).
 */
export const AUTHOR_KIND_TEXT: Record<NotificationAuthorKind, LocalizedText> = {
  guest: { en: "guest", ja: "ゲスト" },
  bot: { en: "bot", ja: "ボット" },
};

/**
 * "alice added you to #plans", each name isolated (U+2068…U+2069, Unicode UAX #9 FSI/PDI) so a
 * right-to-left or look-alike name cannot reorder the sentence around it; by a bot (`kind`),
 * "deploybot (bot) added you to #plans", as the web client's `notif.invitedBy` with `notif.fromBot`.
 */
export function invitationText(from: string, room: string, kind?: NotificationAuthorKind): LocalizedText {
  const who = isolate(from);
  const where = isolate(`#${room}`);
  const en = kind ? `${who} (${AUTHOR_KIND_TEXT[kind].en})` : who;
  const ja = kind ? `${who}（${AUTHOR_KIND_TEXT[kind].ja}）` : who;
  return { en: `${en} added you to ${where}`, ja: `${ja}さんがあなたを${where}に追加しました` };
}

/** The test push's text (POST /api/push/test). */
export const TEST_PUSH_TEXT: LocalizedText = { en: "Notifications work.", ja: "通知が届きました。" };
