"use client";
/**
 * The account actions inside the user menu (see user-menu.tsx): settings, the admin pages, desktop
 * notifications, language, changing name and signing in or out. One of the page's idle parts
 * (idle-parts.ts): fetched once the page is used or idle, or when the menu is about to be opened (hover
 * or focus on its button).
 */
import type { SessionUser } from "@/components/auth/session-api";
import "@/components/i18n/auth-strings";
import "@/components/i18n/settings-strings";
import { LanguageSelect } from "@/components/i18n/language-select";
import { useT } from "@/components/i18n/use-t";
import { DesktopNotificationsToggle } from "@/components/notifications/desktop-notifications-toggle";
import "@/components/i18n/forms-strings";

type Props = {
  account: SessionUser | null;
  onChangeName: (() => void) | null;
  onSignOut(): void;
  /** Closes the menu (before changing name, which opens a dialog of its own). */
  onClose(): void;
};

export function UserMenuPanel({ account, onChangeName, onSignOut, onClose }: Props) {
  const t = useT();
  return (
    <>
      {account && <a className="menu-item" href="/settings">{t("settings.link")}</a>}
      {account?.admin && <a className="menu-item" href="/admin">{t("user.admin")}</a>}
      <DesktopNotificationsToggle />
      <LanguageSelect className="menu-item" />
      {onChangeName && (
        <button type="button" className="menu-item" onClick={() => (onClose(), onChangeName())}>{t("user.changeName")}</button>
      )}
      {account ? (
        <button type="button" className="menu-item" onClick={onSignOut}>{t("auth.signOut")}</button>
      ) : (
        <a className="menu-item" href="/signin">{t("auth.signIn")}</a>
      )}
    </>
  );
}
