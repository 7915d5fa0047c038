"use client";
/** `/signin`: name and password → a session cookie → back to where the user was going. */
import "@/components/i18n/auth-strings";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useT } from "@/components/i18n/use-t";
import { useDocumentTitle } from "@/components/page-title";
import { ApiError, errorMessage } from "./api";
import { AuthCard } from "./auth-card";
import { CredentialFields } from "./credential-fields";
import { nextPath } from "./next-path";
import { signIn } from "./session-api";
import { useSession } from "./use-session";
import { useCredentialForm } from "./use-credential-form";
import { validateSignIn } from "./validate";

export function SignInForm() {
  const t = useT();
  useDocumentTitle(t("auth.signIn"));
  const router = useRouter();
  const { session } = useSession();
  const form = useCredentialForm({
    validate: (v) => validateSignIn(v.name, v.password),
    async send(credentials) {
      await signIn(credentials);
      router.replace(nextPath());
    },
    // 401 says "wrong name or password" for either mistake (the server's words, on purpose);
    // 429 says how long to wait.
    failure(err) {
      const throttled = err instanceof ApiError && err.status === 429 && err.retryAfter !== undefined;
      const said = throttled ? t("auth.tooMany", { seconds: (err as ApiError).retryAfter as number }) : errorMessage(err);
      return { field: "password", text: said };
    },
  });

  useEffect(() => {
    if (session?.setupRequired) router.replace("/setup");
    else if (session?.user) router.replace(nextPath());
  }, [session, router]);

  return (
    <AuthCard title={t("auth.signInTitle")}>
      <form className="auth-form" onSubmit={form.submit} noValidate aria-label={t.label("auth.signIn")}>
        <CredentialFields values={form.values} onChange={form.setValues} creating={false} invalid={form.problem?.field} errorId={form.errorId} />
        {form.problem && <p id={form.errorId} className="field-error" role="alert">{t.text(form.problem.text)}</p>}
        <button type="submit" className="button button-primary" disabled={form.busy}>
          {form.busy ? t("auth.signingIn") : t("auth.signIn")}
        </button>
      </form>
      {session?.guestAccess && !session.user && (
        <p className="auth-aside"><a href="/rooms/general">{t("auth.asGuest")}</a></p>
      )}
    </AuthCard>
  );
}
