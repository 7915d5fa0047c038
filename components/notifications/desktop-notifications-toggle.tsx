"use client";
/** The desktop-notification opt-in of the user menu's panel: ask for permission, or say what was decided. */
import { useT } from "@/components/i18n/use-t";
import { useNotifications } from "./notifications-provider";
import "@/components/i18n/notifications-strings";

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
