"use client";
/** `/admin/logs`: the server's log as it happens. */
import "@/components/i18n/admin-strings";
import "@/components/i18n/pages-strings";
import { useT } from "@/components/i18n/use-t";
import { useDocumentTitle } from "@/components/page-title";
import { AdminGate } from "./admin-gate";
import { AdminShell } from "./admin-shell";
import { LogViewer } from "./log-viewer";

export function LogsPage() {
  const t = useT();
  useDocumentTitle(t("logs.title"));
  return (
    <AdminGate ownStream>
      <AdminShell title={t("logs.title")} backLabel={t("app.backToChat")} other={{ label: t("admin.title"), href: "/admin" }}>
        <LogViewer />
      </AdminShell>
    </AdminGate>
  );
}
