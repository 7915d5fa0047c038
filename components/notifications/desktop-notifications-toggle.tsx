"use client";
/** The desktop-notification opt-in of the user menu's panel: ask for permission, or say what was decided. */
import { useRef } from "react";
import { useT } from "@/components/i18n/use-t";
import { keepFocus } from "@/components/chat/keep-focus";
import { useNotifications } from "./notifications-provider";
import "@/components/i18n/notifications-strings";

export function DesktopNotificationsToggle() {
  const t = useT();
  const notifications = useNotifications();
  // Once answered, the button gives way to what was decided: the note takes the focus the button had,
  // so it stays in the menu (where Escape still closes it) and the answer is read.
  const note = useRef<HTMLParagraphElement>(null);
  if (!notifications) return null;
  const { permission, request } = notifications.desktop;
  if (permission === "default") {
    return (
      <button type="button" className="menu-item" onClick={() => void request().then(() => keepFocus(() => note.current))}>
        {t("notif.enableDesktop")}
      </button>
    );
  }
  if (permission === "granted") return <p ref={note} tabIndex={-1} className="menu-note">{t("notif.desktopOn")}</p>;
  if (permission === "denied") return <p ref={note} tabIndex={-1} className="menu-note">{t("notif.desktopBlocked")}</p>;
  return null;
}
