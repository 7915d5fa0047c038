"use client";
/**
 * `/join/<code>`: the admin's invite link makes a new account, then opens the chat. `invalid`: the page
 * found the code is not the current link's (rotated): it says so instead of showing the form, and to
 * someone signed in beside the way to the chat.
 */
import "@/components/i18n/auth-strings";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useT } from "@/components/i18n/use-t";
import { useDocumentTitle } from "@/components/page-title";
import { FormError } from "@/components/forms/form-problem";
import { AuthCard } from "./auth-card";
import { CredentialFields } from "./credential-fields";
import { HOME_PATH } from "./next-path";
import { joinWithCode } from "./session-api";
import { useSession } from "./use-session";
import { useCredentialForm } from "./use-credential-form";
import { validateNewAccount } from "./validate";
import "@/components/i18n/forms-strings";
import "@/components/i18n/errors-strings";

export function JoinForm({ code, invalid = false }: { code: string; invalid?: boolean }) {
  const t = useT();
  useDocumentTitle(t("auth.joinPage"));
  const router = useRouter();
  const { session } = useSession();
  const form = useCredentialForm({
    validate: (v) => validateNewAccount(v.name, v.password, v.confirm),
    async send(credentials) {
      await joinWithCode(code, credentials);
      router.replace(HOME_PATH);
    },
  });

  // No admin yet: an invite link cannot have been issued; the first run comes first.
  useEffect(() => {
    if (session?.setupRequired) router.replace("/setup");
  }, [session, router]);

  if (session?.user) {
    // Signed in, the link is still said to be invalid (an outside trial: an old link opened in a signed-in
    // browser read as if it had worked), with the way on to the chat.
    return (
      <AuthCard title={t("auth.joinTitle")} intro={t("auth.signedInAs", { name: session.user.name })}>
        {invalid && <p role="alert">{t("error.joinLinkInvalid")}</p>}
        <p><a className="button button-primary" href={HOME_PATH}>{t("auth.openChat")}</a></p>
      </AuthCard>
    );
  }
  if (invalid) {
    return (
      <AuthCard title={t("auth.joinTitle")}>
        <p role="alert">{t("error.joinLinkInvalid")}</p>
        <p className="auth-aside"><a href="/signin">{t("name.haveAccount")}</a></p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("auth.joinTitle")} intro={t("auth.joinIntro")}>
      <form ref={form.problem.formRef} className="auth-form" onSubmit={form.submit} noValidate aria-label={t.label("auth.joinTitle")}>
        <CredentialFields values={form.values} onChange={form.setValues} creating problem={form.problem} />
        <FormError form={form.problem} />
        <button type="submit" className="button button-primary" aria-disabled={form.busy || undefined}>{t("auth.joinSubmit")}</button>
      </form>
      <p className="auth-aside"><a href="/signin">{t("name.haveAccount")}</a></p>
    </AuthCard>
  );
}
