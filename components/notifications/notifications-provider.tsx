"use client";
/**
 * Notifications for the signed-in user across the whole chat: mounted in the rooms layout, so the
 * stream and its toasts survive moving between rooms. Guests have no stream (the server refuses it).
 */
import { createContext, use, useEffect, useMemo, type ReactNode } from "react";
import { registerServiceWorker } from "./push-client";
import { UnreadBadge } from "./unread-badge";
import { useOptionalChatContext } from "@/components/chat/chat-provider";
import { Toasts } from "./toasts";
import { useDesktopNotifications, type DesktopPermission } from "./use-desktop-notifications";
import { NOTIFICATIONS_URL, useEventStream, type StreamStatus } from "./use-event-stream";

export type NotificationsValue = {
  status: StreamStatus;
  desktop: { permission: DesktopPermission; request(): Promise<void> };
};

const NotificationsContext = createContext<NotificationsValue | null>(null);

export const useNotifications = (): NotificationsValue | null => use(NotificationsContext);

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const chat = useOptionalChatContext();
  const enabled = !!chat?.account;
  const currentRoom = chat?.state.currentRoom ?? null;
  const stream = useEventStream(NOTIFICATIONS_URL, { enabled });
  const desktop = useDesktopNotifications(stream.events);
  const value = useMemo(() => ({ status: stream.status, desktop }), [stream.status, desktop]);
  // The service worker shows Web Pushes; registering it on every visit also picks up a new version.
  useEffect(() => {
    if (enabled) registerServiceWorker().catch(() => undefined);
  }, [enabled]);
  return (
    <NotificationsContext value={enabled ? value : null}>
      {children}
      {enabled && <Toasts notifications={stream.events} currentRoom={currentRoom} />}
      <UnreadBadge />
    </NotificationsContext>
  );
}
