/**
 * The browser's side of Web Push: the service worker registration and the push subscription, kept in
 * step with the server (`/api/push/*`). Everything here is a no-op where the browser lacks the APIs.
 */
import { api } from "@/components/auth/api";
import { detectLang } from "@/components/i18n/lang-store";
import type { PushSettings } from "@/lib/push/settings";

export type { PushSettings };

export const SERVICE_WORKER_URL = "/sw.js";

/** Whether this browser can receive Web Push at all (service workers, PushManager, Notification). */
export const pushSupported = (): boolean =>
  typeof navigator !== "undefined" && "serviceWorker" in navigator && typeof window !== "undefined" && "PushManager" in window && "Notification" in window;

/**
 * Registers the service worker (idempotent). `updateViaCache: "none"` makes the browser check the script
 * itself on every navigation, so a deploy's new worker replaces the old one at once.
 */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return null;
  return navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: "/", updateViaCache: "none" });
}

/** The current subscription of this browser, if any. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const reg = await navigator.serviceWorker.getRegistration("/");
  return (await reg?.pushManager.getSubscription()) ?? null;
}

/**
 * The browser's push service refused to subscribe (a browser without one, a private window, a network
 * that blocks it): the browser's own message says nothing a person can act on, so the page says it in
 * its words (`settings.push.serviceFailed`). `cause` is what the browser threw.
 */
export class PushServiceError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "PushServiceError";
  }
}

/**
 * Asks for permission (must run in a click handler), subscribes with the server's VAPID key and tells
 * the server. Resolves with the permission the person gave; rejects with a PushServiceError when the
 * browser's push service refuses the subscription.
 */
export async function subscribePush(): Promise<NotificationPermission> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return permission;
  const reg = (await registerServiceWorker())!;
  await navigator.serviceWorker.ready;
  const { publicKey } = await api<{ publicKey: string }>("GET", "/api/push/key");
  let sub = await reg.pushManager.getSubscription();
  // A subscription made with another key (the server's keys changed) would never get a push.
  if (sub && sub.options.applicationServerKey && base64url(sub.options.applicationServerKey) !== publicKey) {
    await sub.unsubscribe();
    sub = null;
  }
  sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64url(publicKey) }).catch((err: unknown) => {
    throw new PushServiceError(err);
  });
  await api("POST", "/api/push/subscriptions", { ...sub.toJSON(), lang: detectLang() });
  return permission;
}

/**
 * Tells the server this browser's subscription again, if it has one and may still show notifications.
 * The server keeps a subscription only as long as the session that saved it (a sign-out ends it), so a
 * person signing in again on a browser they had subscribed gets their pushes back here. Once per visit
 * is enough, and again when the UI's language changes (the server's own sentences in pushes, such as an
 * invitation, follow it); saving an unchanged subscription costs the server no limiter point. Never throws.
 */
export async function renewPushSubscription(): Promise<void> {
  try {
    if (!pushSupported() || Notification.permission !== "granted") return;
    const sub = await currentSubscription();
    if (sub) await api("POST", "/api/push/subscriptions", { ...sub.toJSON(), lang: detectLang() });
  } catch {
    // Offline, or the server refused (rate limit): the next visit tries again.
  }
}

/**
 * Ends this browser's push subscription in the browser only (the server drops it with the session that
 * saved it): called when the person signs out here, so that whoever signs in next on this browser is
 * not subscribed by renewPushSubscription() without having asked. Never throws.
 */
export async function endBrowserPushSubscription(): Promise<void> {
  try {
    if (!pushSupported()) return;
    await (await currentSubscription())?.unsubscribe();
  } catch {
    // No service worker or push service: nothing to end.
  }
}

/** Unsubscribes this browser, here and on the server. */
export async function unsubscribePush(): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  await api("DELETE", "/api/push/subscriptions", { endpoint: sub.endpoint }).catch(() => undefined);
  await sub.unsubscribe();
}

/** Asks the server to push a test notification to this person's browsers. */
export const sendTestPush = () => api<{ queued: number }>("POST", "/api/push/test", {});

function fromBase64url(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function base64url(buf: ArrayBuffer): string {
  let s = "";
  for (const b of new Uint8Array(buf)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The account's push settings (`GET/PUT /api/push/settings`, lib/push/settings.ts). */
export const getPushSettings = () => api<PushSettings>("GET", "/api/push/settings");
export const putPushSettings = (settings: PushSettings) => api<PushSettings>("PUT", "/api/push/settings", settings);
