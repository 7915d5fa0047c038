"use client";
/**
 * The stream's state, for the account area of the sidebar. The desktop-notification opt-in is in the
 * user menu's panel (desktop-notifications-toggle.tsx), fetched when the menu first opens.
 */
import { lazyPart } from "@/components/chat/chunk-load";
import { Suspense } from "react";
import { useNotifications } from "./notifications-provider";

// Shown once the stream's machinery is here, which is after the first render: a chunk of its own.
const StreamIndicator = lazyPart(() => import("./stream-indicator").then((m) => ({ default: m.StreamIndicator })));

/** Nothing for guests: they have no notification stream. */
export function NotificationStatus() {
  const notifications = useNotifications();
  return notifications ? (
    <Suspense fallback={null}>
      <StreamIndicator status={notifications.status} />
    </Suspense>
  ) : null;
}
