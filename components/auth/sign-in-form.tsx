"use client";
/** `/signin`: name and password → a session cookie → back to where the user was going. */
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useT } from "@/components/i18n/use-t";
import { ApiError, errorMessage } from "./api";
import { AuthCard } from "./auth-card";
import { CredentialFields, type Credentials } from "./credential-fields";
import { nextPath } from "./next-path";
import { signIn } from "./session-api";
import { useSession } from "./use-session";
import { validateSignIn, type Problem } from "./validate";

export function SignInForm() {
  const t = useT();
  const router = useRouter();
  const { session } = useSession();
  const [values, setValues] = useState<Credentials>({ name: "", password: "", confirm: "" });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();

  useEffect(() => {
    if (session?.setupRequired) router.replace("/setup");
    else if (session?.user) router.replace(nextPath());
  }, [session, router]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const invalid = validateSignIn(values.name, values.password);
    setProblem(invalid);
    if (invalid) return;
    setBusy(true);
    try {
      await signIn({ name: values.name.trim(), password: values.password });
      router.replace(nextPath());
    } catch (err) {
      // 401 says "wrong name or password" for either mistake (the server's words, on purpose);
      // 429 says how long to wait.
      const throttled = err instanceof ApiError && err.status === 429 && err.retryAfter !== undefined;
      const said = throttled ? t("auth.tooMany", { seconds: (err as ApiError).retryAfter as number }) : errorMessage(err);
      setProblem({ field: "password", text: said });
      setBusy(false);
    }
  }

  return (
    <AuthCard title={t("auth.signInTitle")}>
      <form className="auth-form" onSubmit={submit} noValidate aria-label={t("auth.signIn")}>
        <CredentialFields values={values} onChange={setValues} creating={false} invalid={problem?.field} errorId={errorId} />
        {problem && <p id={errorId} className="field-error" role="alert">{t.text(problem.text)}</p>}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t("auth.signingIn") : t("auth.signIn")}
        </button>
      </form>
      {session?.guestAccess && !session.user && (
        <p className="auth-aside"><a href="/rooms/general">{t("auth.asGuest")}</a></p>
      )}
    </AuthCard>
  );
}
