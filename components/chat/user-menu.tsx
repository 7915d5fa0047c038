"use client";
/**
 * Who you are, at the foot of the sidebar, with a disclosure holding the account actions: the admin
 * pages, notification settings, language and signing out (or, for a guest, changing name / signing in).
 */
import { lazy, Suspense, useId, useState } from "react";
import type { SessionUser } from "@/components/auth/session-api";
import { useT } from "@/components/i18n/use-t";
import { NotificationStatus } from "@/components/notifications/notification-controls";
import type { ConnectionStatus } from "./chat-types";
import "./user-menu.css";

const loadPanel = () => import("./user-menu-panel").then((m) => ({ default: m.UserMenuPanel }));
// The menu's actions are fetched when it is first opened, or about to be (hover or focus on its button).
const UserMenuPanel = lazy(loadPanel);

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
  // Once opened, the panel stays mounted (hidden when closed), keeping its controls' state.
  const [opened, setOpened] = useState(false);
  const panelId = useId();
  const name = me ?? "…";
  return (
    <div className="sidebar-footer user-menu" data-open={open}>
      <div id={panelId} className="user-menu-panel" hidden={!open}>
        {opened && (
          <Suspense fallback={null}>
            <UserMenuPanel account={account} onChangeName={onChangeName} onSignOut={onSignOut} onClose={() => setOpen(false)} />
          </Suspense>
        )}
      </div>
      <NotificationStatus />
      <button
        type="button" className="user-menu-button" aria-expanded={open} aria-controls={panelId}
        aria-label={t.label("user.menu", { name })}
        onPointerEnter={() => void loadPanel()} onFocus={() => void loadPanel()}
        onClick={() => (setOpen((o) => !o), setOpened(true))}
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
