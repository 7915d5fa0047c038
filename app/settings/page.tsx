import type { Metadata } from "next";
import { servedTitle } from "@/app/served-title";
import { SettingsPage } from "@/components/settings/settings-page";

export const generateMetadata = (): Promise<Metadata> => servedTitle("settings");

export default function SettingsRoute() {
  return <SettingsPage />;
}
