import type { Metadata } from "next";
import { servedTitle } from "@/app/served-title";
import { LogsPage } from "@/components/admin/logs-page";

export const generateMetadata = (): Promise<Metadata> => servedTitle("logs");

export default function AdminLogsRoute() {
  return <LogsPage />;
}
