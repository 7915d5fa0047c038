import type { Metadata } from "next";
import { LogsPage } from "@/components/admin/logs-page";

export const metadata: Metadata = { title: "Live logs" };

export default function AdminLogsRoute() {
  return <LogsPage />;
}
