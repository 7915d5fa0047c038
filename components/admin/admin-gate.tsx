"use client";
/**
 * Pages for signed-in accounts (and, with `adminOnly`, for admins): others are sent to set up or sign in,
 * or told the page is not for them. An admin page watches its admin's rights while it is open
 * (useRightsWatch): one who loses the role there is told so in place of the panels, and one signed out
 * or deactivated is sent to sign in, at once rather than when an action fails. A page with a stream of its
 * own that the server closes too (the live log: `ownStream`) opens no second one (a browser holds six
 * HTTP/1.1 connections per server, every tab's streams among them): its stream's openings and ends ask
 * again through RightsRecheck. Told the role is gone, the page keeps asking (useLostRoleRecheck), so a
 * role given back shows the panels again.
 */
import "@/components/i18n/admin-strings";
import { useRouter } from "next/navigation";
import { createContext, use, useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { AuthCard } from "@/components/auth/auth-card";
import { signInPath } from "@/components/auth/next-path";
import type { EndedReason } from "@/components/auth/sign-in-path";
import { useChatHomePath } from "@/components/chat/home-path";
import type { SessionUser } from "@/components/auth/session-api";
import { SessionSplash } from "@/components/auth/session-splash";
import { useSession } from "@/components/auth/use-session";
import "@/components/i18n/pages-strings";
import { useT } from "@/components/i18n/use-t";
import { useRightsWatch } from "./use-rights-watch";

/**
 * Asks the session again (the gate's): for a page's own stream that opened or ended (`ownStream`), with
 * the reason when the server said why the session ended (its `session-ended` event); null outside a gate.
 */
export const RightsRecheck = createContext<((ended?: EndedReason) => void) | null>(null);

/** How often a page that told its admin the role is gone asks whether it came back (ms). */
export const LOST_ROLE_RECHECK_MS = 10_000;

/**
 * While `active` (the page says the role is gone), asks `recheck` every LOST_ROLE_RECHECK_MS while the
 * tab is shown, and when it is shown again: a role given back brings the panels back without a reload.
 */
function useLostRoleRecheck(active: boolean, recheck: () => void): void {
  useEffect(() => {
    if (!active) return;
    const shown = () => document.visibilityState === "visible";
    const timer = setInterval(() => shown() && recheck(), LOST_ROLE_RECHECK_MS);
    const onVisible = () => shown() && recheck();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [active, recheck]);
}

/** The signed-in account a gated page is shown to (SessionGate provides it); null outside a gate. */
export const SignedInUser = createContext<SessionUser | null>(null);
export const useSignedInUser = (): SessionUser | null => use(SignedInUser);

export function AdminGate({ children, ownStream = false }: { children: ReactNode; ownStream?: boolean }) {
  return <SessionGate adminOnly ownStream={ownStream}>{children}</SessionGate>;
}

export function SessionGate({ children, adminOnly = false, ownStream = false }: { children: ReactNode; adminOnly?: boolean; ownStream?: boolean }) {
  const t = useT();
  const router = useRouter();
  const home = useChatHomePath();
  const { session, error, reload } = useSession();
  const leaving = !!session && (session.setupRequired || !session.user);
  const admin = !!session?.user?.admin;
  /** Why the session ended, when the server said so (the sign-in page says it). */
  const [ended, setEnded] = useState<EndedReason | null>(null);
  const recheck = useCallback(
    (why?: EndedReason) => {
      if (why) setEnded(why);
      reload();
    },
    [reload],
  );
  useRightsWatch(adminOnly && admin && !ownStream, recheck);
  /** Whether this page was shown to a signed-in account: a later session without one ended here. */
  const [wasSignedIn, setWasSignedIn] = useState(false);
  if (session?.user && !wasSignedIn) setWasSignedIn(true);
  /** Whether this page was shown to its admin: a later session without the role means they lost it here. */
  const [wasAdmin, setWasAdmin] = useState(false);
  if (adminOnly && admin && !wasAdmin) setWasAdmin(true);
  useLostRoleRecheck(adminOnly && wasAdmin && !!session?.user && !admin, reload);

  useEffect(() => {
    if (session?.setupRequired) router.replace("/setup");
    // A session that ended while the page was open: the sign-in page says so, and why when it is known.
    else if (session && !session.user) router.replace(signInPath(ended ?? wasSignedIn));
  }, [session, router, ended, wasSignedIn]);

  if (!session || leaving) return <SessionSplash error={error} onRetry={reload} />;
  if (adminOnly && !admin) {
    return (
      <AuthCard title={t(wasAdmin ? "admin.lost" : "admin.only")}>
        {/* Said as it happens (the panels it replaces may have had the focus). */}
        <p className="muted" role={wasAdmin ? "alert" : undefined}>{t(wasAdmin ? "admin.lostBody" : "admin.onlyBody")}</p>
        <p><BackToChat href={home} takeFocus={wasAdmin}>{t("app.backToChat")}</BackToChat></p>
      </AuthCard>
    );
  }
  return (
    <RightsRecheck value={recheck}>
      <SignedInUser value={session.user ?? null}>{children}</SignedInUser>
    </RightsRecheck>
  );
}

/**
 * The way back to the chat. With `takeFocus` (the notice replaced the panels, taking with them the
 * button that had the focus) it takes the focus when it appears, if nothing else has it: a keyboard
 * user's next Tab or Enter then starts from it rather than from the top of the page (WCAG 2.4.3 Focus Order).
 */
function BackToChat({ href, takeFocus, children }: { href: string; takeFocus: boolean; children: ReactNode }) {
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (takeFocus && (!active || active === document.body)) link.current?.focus();
  }, [takeFocus]);
  return (
    <a ref={link} className="button button-secondary" href={href}>
      {children}
    </a>
  );
}
