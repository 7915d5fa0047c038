import type { Metadata } from "next";
import { servedTitle } from "@/app/served-title";
import { SetupForm } from "@/components/auth/setup-form";

export const generateMetadata = (): Promise<Metadata> => servedTitle("setup");

export default function SetupPage() {
  return <SetupForm />;
}
