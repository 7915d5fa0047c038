"use client";
/** `/setup`: the first run creates the administrator's account (and room `general`), then opens the chat. */
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { useT } from "@/components/i18n/use-t";
import { errorMessage } from "./api";
import { AuthCard } from "./auth-card";
import { CredentialFields, type Credentials } from "./credential-fields";
import { HOME_PATH } from "./next-path";
import { setup } from "./session-api";
import { SessionSplash } from "./session-splash";
import { useSession } from "./use-session";
import { validateNewAccount, type Problem } from "./validate";

export function SetupForm() {
  const t = useT();
  const router = useRouter();
  const { session, error, reload } = useSession();
  const [values, setValues] = useState<Credentials>({ name: "", password: "", confirm: "" });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const errorId = useId();

  if (!session) return <SessionSplash error={error} onRetry={reload} />;
  if (!session.setupRequired && !done) {
    return (
      <AuthCard title={t("auth.setupTitle")} intro={t("auth.alreadySetUp")}>
        <p><a className="button button-primary" href="/signin">{t("auth.goSignIn")}</a></p>
      </AuthCard>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const invalid = validateNewAccount(values.name, values.password, values.confirm);
    setProblem(invalid);
    if (invalid) return;
    setBusy(true);
    try {
      await setup({ name: values.name.trim(), password: values.password });
      setDone(true);
      router.replace(HOME_PATH);
    } catch (err) {
      setProblem({ field: "name", text: errorMessage(err) });
      setBusy(false);
    }
  }

  return (
    <AuthCard title={t("auth.setupTitle")} intro={t("auth.setupIntro")}>
      <form className="auth-form" onSubmit={submit} noValidate aria-label={t("auth.setupTitle")}>
        <CredentialFields values={values} onChange={setValues} creating invalid={problem?.field} errorId={errorId} />
        {problem && <p id={errorId} className="field-error" role="alert">{t.text(problem.text)}</p>}
        <button type="submit" className="button button-primary" disabled={busy || done}>
          {busy || done ? t("auth.settingUp") : t("auth.setupSubmit")}
        </button>
      </form>
    </AuthCard>
  );
}
