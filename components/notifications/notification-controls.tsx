"use client";
/** The stream's state and the desktop-notification opt-in, for the account area of the sidebar. */
import { useT } from "@/components/i18n/use-t";
import { useNotifications } from "./notifications-provider";
import { StreamIndicator } from "./stream-indicator";

/** Nothing for guests: they have no notification stream. */
export function NotificationStatus() {
  const notifications = useNotifications();
  return notifications ? <StreamIndicator status={notifications.status} /> : null;
}

export function DesktopNotificationsToggle() {
  const t = useT();
  const notifications = useNotifications();
  if (!notifications) return null;
  const { permission, request } = notifications.desktop;
  if (permission === "default") {
    return (
      <button type="button" className="menu-item" onClick={() => void request()}>
        {t("notif.enableDesktop")}
      </button>
    );
  }
  if (permission === "granted") return <p className="menu-note">{t("notif.desktopOn")}</p>;
  if (permission === "denied") return <p className="menu-note">{t("notif.desktopBlocked")}</p>;
  return null;
}
