"use client";
/**
 * The desktop-notification opt-in of the user menu's panel: ask for permission; once allowed, a switch
 * that turns them off and on again in this browser (the browser's permission cannot be taken back from
 * the page), with a note that says they are the ones shown while Hibiki is open, not the push
 * notifications of the settings page; blocked, a note that says so.
 */
import { useId, useRef } from "react";
import { useT } from "@/components/i18n/use-t";
import { keepFocus } from "@/components/chat/keep-focus";
import { useNotifications } from "./notifications-provider";
import "@/components/i18n/notifications-strings";

export function DesktopNotificationsToggle() {
  const t = useT();
  const notifications = useNotifications();
  const hintId = useId();
  // Once answered, the button gives way to what was decided: the switch or the note takes the focus the
  // button had, so it stays in the menu (where Escape still closes it) and the answer is read.
  const note = useRef<HTMLParagraphElement>(null);
  const toggle = useRef<HTMLInputElement>(null);
  if (!notifications) return null;
  const { permission, request, enabled, setEnabled } = notifications.desktop;
  if (permission === "default") {
    return (
      <button type="button" className="menu-item" onClick={() => void request().then(() => keepFocus(() => toggle.current ?? note.current))}>
        {t("notif.enableDesktop")}
      </button>
    );
  }
  if (permission === "granted") {
    return (
      <>
        <label className="menu-item menu-check">
          <input ref={toggle} type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} aria-describedby={hintId} />
          {t("notif.desktop")}
        </label>
        <p id={hintId} className="menu-note">{t("notif.desktopHint")}</p>
      </>
    );
  }
  if (permission === "denied") return <p ref={note} tabIndex={-1} className="menu-note">{t("notif.desktopBlocked")}</p>;
  return null;
}
