"use client";
/**
 * Opt-in system notifications: asked for only when the user presses the button (browsers ignore or
 * penalise unprompted permission requests), and shown only while the page is hidden; a visible page
 * has its toasts. Once allowed, they can be turned off (and on again) in the app, for this browser
 * (localStorage, storage.ts): the browser's permission cannot be taken back from a page. Another tab of
 * the same browser follows the switch at once (the `storage` event).
 */
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Notification as HibikiNotification } from "@/lib/notifications/types";
import { useT } from "@/components/i18n/use-t";
import { DESKTOP_NOTIFICATIONS_KEY, readDesktopNotificationsOff, saveDesktopNotificationsOff } from "@/components/chat/storage";
import { notificationPath, notificationText, notificationTitle } from "./notification-text";

export type DesktopPermission = NotificationPermission | "unsupported";

const currentPermission = (): DesktopPermission =>
  typeof window === "undefined" || !("Notification" in window) ? "unsupported" : window.Notification.permission;

/**
 * Shows `events` that arrive while the page is hidden as system notifications. Returns the browser's
 * `permission`, `request()` (asks for it; a yes also turns them on), and `enabled`: false once turned
 * off in this browser with `setEnabled(false)`, remembered across reloads.
 */
export function useDesktopNotifications(events: readonly HibikiNotification[]) {
  const t = useT();
  const router = useRouter();
  // Read after mounting: the server (and so hydration) cannot know it, and the rooms render on the server.
  const [permission, setPermission] = useState<DesktopPermission>("unsupported");
  useEffect(() => setPermission(currentPermission()), []);
  const [enabled, setEnabledHere] = useState(true);
  useEffect(() => {
    const sync = () => setEnabledHere(!readDesktopNotificationsOff());
    sync();
    const onStorage = (e: StorageEvent) => void ((e.key === null || e.key === DESKTOP_NOTIFICATIONS_KEY) && sync());
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, []);
  const setEnabled = useCallback((on: boolean) => {
    saveDesktopNotificationsOff(!on);
    setEnabledHere(on);
  }, []);
  const seen = useRef<Set<string> | null>(null);

  useEffect(() => {
    // What had arrived before this hook was listening is old news.
    if (!seen.current) {
      seen.current = new Set(events.map((n) => n.id));
      return;
    }
    for (const n of events) {
      if (seen.current.has(n.id)) continue;
      seen.current.add(n.id);
      if (permission !== "granted" || !enabled || !document.hidden) continue;
      let shown: Notification;
      try {
        shown = new window.Notification(notificationTitle(t, n), { body: notificationText(t, n), tag: `hibiki-${n.id}` });
      } catch {
        // Some mobile browsers only show notifications from a service worker; the toast still appears.
        continue;
      }
      shown.onclick = () => {
        window.focus();
        if (n.room) router.push(notificationPath(n.room, n.messageId));
        shown.close();
      };
    }
  }, [events, permission, enabled, t, router]);

  const request = useCallback(async () => {
    if (!("Notification" in window)) return;
    const answer = await window.Notification.requestPermission();
    setPermission(answer);
    if (answer === "granted") setEnabled(true);
  }, [setEnabled]);

  return useMemo(() => ({ permission, request, enabled, setEnabled }), [permission, request, enabled, setEnabled]);
}
