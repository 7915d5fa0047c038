import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { pageData } from "@/lib/pages/request";
import { servedTitle } from "@/app/served-title";
import { SignInForm } from "@/components/auth/sign-in-form";

export const generateMetadata = (): Promise<Metadata> => servedTitle("signIn");

/** A server with no account yet has nobody to sign in: /setup at once, from the server. */
export default async function SignInPage() {
  if (await pageData()?.setupRequired()) redirect("/setup");
  return <SignInForm />;
}
