"use client";
/**
 * Opt-in system notifications: asked for only when the user presses the button (browsers ignore or
 * penalise unprompted permission requests), and shown only while the page is hidden; a visible page
 * has its toasts.
 */
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Notification as HibikiNotification } from "@/lib/notifications/types";
import { useT } from "@/components/i18n/use-t";
import { notificationPath, notificationText, notificationTitle } from "./notification-text";

export type DesktopPermission = NotificationPermission | "unsupported";

const currentPermission = (): DesktopPermission =>
  typeof window === "undefined" || !("Notification" in window) ? "unsupported" : window.Notification.permission;

export function useDesktopNotifications(events: readonly HibikiNotification[]) {
  const t = useT();
  const router = useRouter();
  // Read after mounting: the server (and so hydration) cannot know it, and the rooms render on the server.
  const [permission, setPermission] = useState<DesktopPermission>("unsupported");
  useEffect(() => setPermission(currentPermission()), []);
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
      if (permission !== "granted" || !document.hidden) continue;
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
  }, [events, permission, t, router]);

  const request = useCallback(async () => {
    if (!("Notification" in window)) return;
    setPermission(await window.Notification.requestPermission());
  }, []);

  return useMemo(() => ({ permission, request }), [permission, request]);
}
