"use client";
/**
 * Who you are, at the foot of the sidebar, with a disclosure holding the account actions: the admin
 * pages, notification settings, language and signing out (or, for a guest, changing name / signing in).
 */
import { useId, useState } from "react";
import type { SessionUser } from "@/components/auth/session-api";
import { LanguageSelect } from "@/components/i18n/language-select";
import { useT } from "@/components/i18n/use-t";
import { DesktopNotificationsToggle, NotificationStatus } from "@/components/notifications/notification-controls";
import type { ConnectionStatus } from "./chat-types";
import "./user-menu.css";

type Props = {
  me: string | null;
  account: SessionUser | null;
  connection: ConnectionStatus;
  onChangeName: (() => void) | null;
  onSignOut(): void;
};

export function UserMenu({ me, account, connection, onChangeName, onSignOut }: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const name = me ?? "…";
  return (
    <div className="sidebar-footer user-menu" data-open={open}>
      <div id={panelId} className="user-menu-panel" hidden={!open}>
        {account && <a className="menu-item" href="/settings">{t("settings.link")}</a>}
        {account?.admin && <a className="menu-item" href="/admin">{t("user.admin")}</a>}
        <DesktopNotificationsToggle />
        <LanguageSelect className="menu-item" />
        {onChangeName && (
          <button type="button" className="menu-item" onClick={() => (setOpen(false), onChangeName())}>{t("user.changeName")}</button>
        )}
        {account ? (
          <button type="button" className="menu-item" onClick={onSignOut}>{t("auth.signOut")}</button>
        ) : (
          <a className="menu-item" href="/signin">{t("auth.signIn")}</a>
        )}
      </div>
      <NotificationStatus />
      <button
        type="button" className="user-menu-button" aria-expanded={open} aria-controls={panelId}
        aria-label={t.label("user.menu", { name })} onClick={() => setOpen((o) => !o)}
      >
        <span className="you" data-status={connection}>
          <span className="status-dot" aria-hidden="true" />
          <bdi className="you-name">{name}</bdi>
          {!account && <span className="muted you-kind">{t("user.guest")}</span>}
        </span>
        <span className="chevron" aria-hidden="true">▾</span>
      </button>
    </div>
  );
}
