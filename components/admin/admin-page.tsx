"use client";
/** `/admin`: people, guests, the join link, bots, guest access and announcements. */
import "@/components/i18n/admin-strings";
import { useState } from "react";
import "@/components/i18n/pages-strings";
import { useT } from "@/components/i18n/use-t";
import { useDocumentTitle } from "@/components/page-title";
import { AdminGate } from "./admin-gate";
import { AdminShell } from "./admin-shell";
import { AnnouncementForm } from "./announcement-form";
import { BotsPanel } from "./bots-panel";
import { GuestAccessPanel } from "./guest-access-panel";
import { GuestsPanel } from "./guests-panel";
import { JoinLinkPanel } from "./join-link-panel";
import { UsersPanel } from "./users-panel";

export function AdminPage() {
  const t = useT();
  useDocumentTitle(t("admin.title"));
  // Creating a bot adds an account: the people list loads again.
  const [usersVersion, setUsersVersion] = useState(0);
  return (
    <AdminGate>
      <AdminShell title={t("admin.title")} backLabel={t("app.backToChat")} other={{ label: t("admin.logsLink"), href: "/admin/logs" }}>
        <div className="admin-grid">
          <div className="admin-column">
            <UsersPanel version={usersVersion} />
            <GuestsPanel />
          </div>
          <div className="admin-column">
            <JoinLinkPanel />
            <GuestAccessPanel />
            <BotsPanel onCreated={() => setUsersVersion((v) => v + 1)} />
            <AnnouncementForm />
          </div>
        </div>
      </AdminShell>
    </AdminGate>
  );
}
