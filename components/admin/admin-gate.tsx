"use client";
/** Admin pages are for admins: others are sent to set up or sign in, or told the page is not for them. */
import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { AuthCard } from "@/components/auth/auth-card";
import { HOME_PATH, signInPath } from "@/components/auth/next-path";
import { SessionSplash } from "@/components/auth/session-splash";
import { useSession } from "@/components/auth/use-session";
import { useT } from "@/components/i18n/use-t";

export function AdminGate({ children }: { children: ReactNode }) {
  const t = useT();
  const router = useRouter();
  const { session, error, reload } = useSession();
  const leaving = !!session && (session.setupRequired || !session.user);

  useEffect(() => {
    if (session?.setupRequired) router.replace("/setup");
    else if (session && !session.user) router.replace(signInPath());
  }, [session, router]);

  if (!session || leaving) return <SessionSplash error={error} onRetry={reload} />;
  if (!session.user?.admin) {
    return (
      <AuthCard title={t("admin.only")} intro={t("admin.onlyBody")}>
        <p><a className="button button-secondary" href={HOME_PATH}>{t("app.backToChat")}</a></p>
      </AuthCard>
    );
  }
  return <>{children}</>;
}
