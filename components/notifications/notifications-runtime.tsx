"use client";
/**
 * The notification machinery behind `NotificationsProvider`: the stream (SSE), desktop notifications,
 * the toasts, the unread badge and the service worker's registration. A chunk of its own, imported after
 * the chat page's first render, so none of it is in the page's first-load JavaScript.
 */
import { useEffect, useMemo, useState } from "react";
import { useMissedAnnouncements } from "./announcements";
import { registerServiceWorker, renewPushSubscription } from "./push-client";
import { useLang } from "@/components/i18n/use-t";
import { UnreadBadge } from "./unread-badge";
import { Toasts } from "./toasts";
import { useDesktopNotifications } from "./use-desktop-notifications";
import { NOTIFICATIONS_URL, useEventStream } from "./use-event-stream";
import type { NotificationsValue } from "./notifications-provider";

type Props = {
  /** Signed in with an account: guests have no stream (the server refuses it), only the badge. */
  enabled: boolean;
  currentRoom: string | null;
  /** The root id of the reply thread open beside the room on screen, if any. */
  currentThread: string | null;
  /** Receives the stream's state and the desktop opt-in whenever they change (null when not enabled). */
  onValue(value: NotificationsValue | null): void;
};

export function NotificationsRuntime({ enabled, currentRoom, currentThread, onValue }: Props) {
  const stream = useEventStream(NOTIFICATIONS_URL, { enabled });
  const desktop = useDesktopNotifications(stream.events);
  // Announcements made while the user was away are toasts too (not desktop notifications: they are old news).
  // Asked again at each (re)connection of the stream: what was made before it listened is in the store only.
  const [connects, setConnects] = useState(0);
  useEffect(() => {
    if (stream.status === "connected") setConnects((n) => n + 1);
  }, [stream.status]);
  const announcements = useMissedAnnouncements(enabled, connects);
  const toasts = useMemo(() => [...announcements.missed, ...stream.events], [announcements.missed, stream.events]);
  const value = useMemo(() => ({ status: stream.status, desktop }), [stream.status, desktop]);
  useEffect(() => onValue(enabled ? value : null), [enabled, value, onValue]);
  // The service worker shows Web Pushes; registering it on every visit also picks up a new version. The
  // browser's push subscription is told again: the server keeps it only while this session lasts, and
  // writes its own sentences in pushes (an invitation) in the language the UI speaks, so again when that changes.
  const lang = useLang();
  useEffect(() => {
    if (enabled) registerServiceWorker().then(renewPushSubscription, () => undefined);
  }, [enabled, lang]);
  return (
    <>
      {enabled && <Toasts notifications={toasts} currentRoom={currentRoom} currentThread={currentThread} onDismissed={announcements.dismiss} withdrawn={stream.dismissed} />}
      <UnreadBadge />
    </>
  );
}
