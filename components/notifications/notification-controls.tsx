"use client";
/**
 * The stream's state, for the account area of the sidebar. The desktop-notification opt-in is in the
 * user menu's panel (desktop-notifications-toggle.tsx), fetched when the menu first opens.
 */
import { useNotifications } from "./notifications-provider";
import { StreamIndicator } from "./stream-indicator";

/** Nothing for guests: they have no notification stream. */
export function NotificationStatus() {
  const notifications = useNotifications();
  return notifications ? <StreamIndicator status={notifications.status} /> : null;
}
