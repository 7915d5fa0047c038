"use client";
/**
 * Who you are, at the foot of the sidebar, with a disclosure holding the account actions: the admin
 * pages, notification settings, language and signing out (or, for a guest, changing name / signing in).
 */
import { lazyPart } from "./chunk-load";
import { Suspense, useEffect, useId, useRef, useState } from "react";
import type { SessionUser } from "@/components/auth/session-api";
import { useT } from "@/components/i18n/use-t";
import { NotificationStatus } from "@/components/notifications/notification-controls";
import type { ConnectionStatus } from "./chat-types";
import "./user-menu.css";
import { useDeferredReady } from "./use-deferred-ready";

const loadPanel = () => import("./idle-parts").then((m) => ({ default: m.UserMenuPanel }));
// The menu's actions come with the page's idle parts, fetched at the latest when it is about to be
// opened (hover or focus on its button).
const UserMenuPanel = lazyPart(loadPanel);

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
  const button = useRef<HTMLButtonElement>(null);
  const name = me ?? "…";
  // The panel's code comes with the page's deferred parts at the latest (use-deferred-ready.ts), and the
  // panel is then rendered hidden: opening it shows what is there, with nothing left to fetch or render
  // between the key that opens it and the next one.
  const ready = useDeferredReady();
  // A press or the focus anywhere else closes it, as other menus do (an outside trial: it stayed open
  // behind the search panel and the shortcuts dialog after a click in the messages). The focus stays
  // where it went.
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: Event) => {
      if (e.target instanceof Node && !root.current?.contains(e.target)) setOpen(false);
    };
    document.addEventListener("pointerdown", away, true);
    document.addEventListener("focusin", away);
    return () => {
      document.removeEventListener("pointerdown", away, true);
      document.removeEventListener("focusin", away);
    };
  }, [open]);
  // The panel follows its button in the document, so Tab goes from the button into it; CSS shows it above.
  return (
    <div
      ref={root} className="sidebar-footer user-menu" data-open={open}
      onKeyDown={(e) => {
        if (e.key !== "Escape" || !open) return;
        // Esc closes the menu (not also the phone's drawer around it) and goes back to its button.
        e.stopPropagation();
        setOpen(false);
        button.current?.focus();
      }}
    >
      <NotificationStatus />
      <button
        ref={button} type="button" className="user-menu-button" aria-expanded={open} aria-controls={panelId}
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
      <div id={panelId} className="user-menu-panel" hidden={!open}>
        {(opened || ready) && (
          <Suspense fallback={null}>
            <UserMenuPanel account={account} onChangeName={onChangeName} onSignOut={onSignOut} onClose={() => setOpen(false)} />
          </Suspense>
        )}
      </div>
    </div>
  );
}
