"use client";
/** `/join/<code>`: the admin's invite link makes a new account, then opens the chat. */
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useT } from "@/components/i18n/use-t";
import { text } from "@/components/i18n/text";
import { ApiError, errorMessage } from "./api";
import { AuthCard } from "./auth-card";
import { CredentialFields, type Credentials } from "./credential-fields";
import { HOME_PATH } from "./next-path";
import { joinWithCode } from "./session-api";
import { useSession } from "./use-session";
import { validateNewAccount, type Problem } from "./validate";

export function JoinForm({ code }: { code: string }) {
  const t = useT();
  const router = useRouter();
  const { session } = useSession();
  const [values, setValues] = useState<Credentials>({ name: "", password: "", confirm: "" });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();

  // No admin yet: an invite link cannot have been issued; the first run comes first.
  useEffect(() => {
    if (session?.setupRequired) router.replace("/setup");
  }, [session, router]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const invalid = validateNewAccount(values.name, values.password, values.confirm);
    setProblem(invalid);
    if (invalid) return;
    setBusy(true);
    try {
      await joinWithCode(code, { name: values.name.trim(), password: values.password });
      router.replace(HOME_PATH);
    } catch (err) {
      const invalidLink = err instanceof ApiError && err.status === 404;
      setProblem({ field: "name", text: invalidLink ? text("auth.joinInvalid") : errorMessage(err) });
      setBusy(false);
    }
  }

  if (session?.user) {
    return (
      <AuthCard title={t("auth.joinTitle")} intro={t("auth.signedInAs", { name: session.user.name })}>
        <p><a className="button button-primary" href={HOME_PATH}>{t("auth.openChat")}</a></p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("auth.joinTitle")} intro={t("auth.joinIntro")}>
      <form className="auth-form" onSubmit={submit} noValidate aria-label={t("auth.joinTitle")}>
        <CredentialFields values={values} onChange={setValues} creating invalid={problem?.field} errorId={errorId} />
        {problem && <p id={errorId} className="field-error" role="alert">{t.text(problem.text)}</p>}
        <button type="submit" className="button button-primary" disabled={busy}>{t("auth.joinSubmit")}</button>
      </form>
      <p className="auth-aside"><a href="/signin">{t("name.haveAccount")}</a></p>
    </AuthCard>
  );
}
