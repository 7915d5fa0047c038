"use client";
/** `/setup`: the first run creates the administrator's account (and room `general`), then opens the chat. */
import "@/components/i18n/auth-strings";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useT } from "@/components/i18n/use-t";
import { useDocumentTitle } from "@/components/page-title";
import { FormError } from "@/components/forms/form-problem";
import { AuthCard } from "./auth-card";
import { CredentialFields } from "./credential-fields";
import { HOME_PATH } from "./next-path";
import { setup } from "./session-api";
import { SessionSplash } from "./session-splash";
import { useSession } from "./use-session";
import { useCredentialForm } from "./use-credential-form";
import { validateNewAccount } from "./validate";

export function SetupForm() {
  const t = useT();
  useDocumentTitle(t("auth.setupPage"));
  const router = useRouter();
  const { session, error, reload } = useSession();
  const [done, setDone] = useState(false);
  const form = useCredentialForm({
    validate: (v) => validateNewAccount(v.name, v.password, v.confirm),
    async send(credentials) {
      await setup(credentials);
      setDone(true);
      router.replace(HOME_PATH);
    },
  });

  if (!session) return <SessionSplash error={error} onRetry={reload} />;
  if (!session.setupRequired && !done) {
    return (
      <AuthCard title={t("auth.setupTitle")} intro={t("auth.alreadySetUp")}>
        <p><a className="button button-primary" href="/signin">{t("auth.goSignIn")}</a></p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t("auth.setupTitle")} intro={t("auth.setupIntro")}>
      <form ref={form.problem.formRef} className="auth-form" onSubmit={form.submit} noValidate aria-label={t.label("auth.setupTitle")}>
        <CredentialFields values={form.values} onChange={form.setValues} creating problem={form.problem} />
        <FormError form={form.problem} />
        <button type="submit" className="button button-primary" aria-disabled={form.busy || done || undefined}>
          {form.busy || done ? t("auth.settingUp") : t("auth.setupSubmit")}
        </button>
      </form>
    </AuthCard>
  );
}
