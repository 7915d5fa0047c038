"use client";
/**
 * Pages for signed-in accounts (and, with `adminOnly`, for admins): others are sent to set up or sign in,
 * or told the page is not for them.
 */
import "@/components/i18n/admin-strings";
import { useRouter } from "next/navigation";
import { createContext, use, useEffect, type ReactNode } from "react";
import { AuthCard } from "@/components/auth/auth-card";
import { signInPath } from "@/components/auth/next-path";
import { useChatHomePath } from "@/components/chat/home-path";
import type { SessionUser } from "@/components/auth/session-api";
import { SessionSplash } from "@/components/auth/session-splash";
import { useSession } from "@/components/auth/use-session";
import "@/components/i18n/pages-strings";
import { useT } from "@/components/i18n/use-t";

/** The signed-in account a gated page is shown to (SessionGate provides it); null outside a gate. */
export const SignedInUser = createContext<SessionUser | null>(null);
export const useSignedInUser = (): SessionUser | null => use(SignedInUser);

export function AdminGate({ children }: { children: ReactNode }) {
  return <SessionGate adminOnly>{children}</SessionGate>;
}

export function SessionGate({ children, adminOnly = false }: { children: ReactNode; adminOnly?: boolean }) {
  const t = useT();
  const router = useRouter();
  const home = useChatHomePath();
  const { session, error, reload } = useSession();
  const leaving = !!session && (session.setupRequired || !session.user);

  useEffect(() => {
    if (session?.setupRequired) router.replace("/setup");
    else if (session && !session.user) router.replace(signInPath());
  }, [session, router]);

  if (!session || leaving) return <SessionSplash error={error} onRetry={reload} />;
  if (adminOnly && !session.user?.admin) {
    return (
      <AuthCard title={t("admin.only")} intro={t("admin.onlyBody")}>
        <p><a className="button button-secondary" href={home}>{t("app.backToChat")}</a></p>
      </AuthCard>
    );
  }
  return <SignedInUser value={session.user ?? null}>{children}</SignedInUser>;
}
