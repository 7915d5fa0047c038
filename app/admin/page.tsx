import type { Metadata } from "next";
import { servedTitle } from "@/app/served-title";
import { AdminPage } from "@/components/admin/admin-page";

export const generateMetadata = (): Promise<Metadata> => servedTitle("admin");

export default function AdminRoute() {
  return <AdminPage />;
}
