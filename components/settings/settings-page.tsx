"use client";
/** `/settings`: the signed-in person's notifications (this browser, each room), password and sessions. */
import "@/components/i18n/settings-strings";
import { AdminShell } from "@/components/admin/admin-shell";
import { SessionGate } from "@/components/admin/admin-gate";
import "@/components/i18n/pages-strings";
import { useT } from "@/components/i18n/use-t";
import { useDocumentTitle } from "@/components/page-title";
import { NamePanel, PasswordPanel, SessionsPanel } from "./account-panels";
import { LevelsPanel } from "./levels-panel";
import { PushPanel } from "./push-panel";
import "./settings.css";

export function SettingsPage() {
  const t = useT();
  useDocumentTitle(t("settings.title"));
  return (
    <SessionGate>
      <AdminShell title={t("settings.title")} backLabel={t("app.backToChat")}>
        <div className="admin-grid">
          <div className="admin-column">
            <PushPanel />
            <LevelsPanel />
          </div>
          <div className="admin-column">
            <NamePanel />
            <PasswordPanel />
            <SessionsPanel />
          </div>
        </div>
      </AdminShell>
    </SessionGate>
  );
}
