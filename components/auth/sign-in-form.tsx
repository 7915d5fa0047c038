"use client";
/** `/signin`: name and password → a session cookie → back to where the user was going. */
import "@/components/i18n/auth-strings";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useT } from "@/components/i18n/use-t";
import { useDocumentTitle } from "@/components/page-title";
import { FormError } from "@/components/forms/form-problem";
import { AuthCard } from "./auth-card";
import { CredentialFields } from "./credential-fields";
import { nextPath } from "./next-path";
import { sessionEnded, type EndedReason } from "./sign-in-path";
import { signIn } from "./session-api";
import { useSession } from "./use-session";
import { useCredentialForm } from "./use-credential-form";
import { validateSignIn } from "./validate";

const ENDED_TEXT = {
  signed_out: "auth.sessionEnded",
  account_deactivated: "auth.sessionEndedDeactivated",
  guest_access_off: "auth.sessionEndedGuests",
  password_reset: "auth.sessionEndedPasswordReset",
} as const;

export function SignInForm() {
  const t = useT();
  useDocumentTitle(t("auth.signIn"));
  const router = useRouter();
  const { session } = useSession();
  // Sent here by the chat because the session ended: say so, and why when the server said (read after
  // mount: the server renders none).
  const [ended, setEnded] = useState<EndedReason | null>(null);
  useEffect(() => setEnded(sessionEnded(window.location.search)), []);
  const form = useCredentialForm({
    validate: (v) => validateSignIn(v.name, v.password),
    // A wrong name or password is one answer for either mistake (on purpose), about the password field;
    // too many attempts say how long to wait.
    async send(credentials) {
      // "Sign in again to go on" is answered: what the server says now (deactivated, say) is the news.
      setEnded(null);
      await signIn(credentials);
      router.replace(nextPath());
    },
  });

  useEffect(() => {
    if (session?.setupRequired) router.replace("/setup");
    else if (session?.user) router.replace(nextPath());
  }, [session, router]);

  return (
    <AuthCard title={t("auth.signInTitle")}>
      {ended && <p className="muted" role="status">{t(ENDED_TEXT[ended])}</p>}
      <form ref={form.problem.formRef} className="auth-form" onSubmit={form.submit} noValidate aria-label={t.label("auth.signIn")}>
        <CredentialFields values={form.values} onChange={form.setValues} creating={false} problem={form.problem} />
        <FormError form={form.problem} />
        <button type="submit" className="button button-primary" aria-disabled={form.busy || undefined}>
          {form.busy ? t("auth.signingIn") : t("auth.signIn")}
        </button>
      </form>
      {/* Not offered to someone an admin just deactivated (an outside trial: the ban's sentence sat right
          above an invitation back in under another name). */}
      {session?.guestAccess && !session.user && ended !== "account_deactivated" && (
        <p className="auth-aside"><a href="/rooms/general">{t("auth.asGuest")}</a></p>
      )}
    </AuthCard>
  );
}
