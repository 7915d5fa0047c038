"use client";
/** The password and the other sessions of the signed-in account. */
import "@/components/i18n/settings-strings";
import "@/components/i18n/auth-strings";
import { useState, type FormEvent } from "react";
import { useSignedInUser } from "@/components/admin/admin-gate";
import { Panel } from "@/components/admin/panel";
import { api } from "@/components/auth/api";
import { errorText, problemOf } from "@/components/auth/error-text";
import { PASSWORD_MAX } from "@/components/auth/session-api";
import { FormField } from "@/components/forms/form-field";
import { FormError, useFormProblem } from "@/components/forms/form-problem";
import { text, type Text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";

/** Change password: the current one, the new one (its rule said under it) twice. */
export function PasswordPanel() {
  const t = useT();
  const problem = useFormProblem();
  const [values, setValues] = useState({ current: "", password: "", confirm: "" });
  const [state, setState] = useState<{ busy: boolean; done: boolean }>({ busy: false, done: false });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (state.busy) return;
    if (values.password !== values.confirm) {
      setState({ busy: false, done: false });
      return problem.show({ field: "confirm", text: text("settings.password.mismatch") });
    }
    problem.show(null);
    setState({ busy: true, done: false });
    try {
      await api("PUT", "/api/account/password", { current: values.current, password: values.password });
      setValues({ current: "", password: "", confirm: "" });
      setState({ busy: false, done: true });
    } catch (err) {
      setState({ busy: false, done: false });
      problem.show(problemOf(err));
    }
  }

  // The fields' names are the request's (`current`, `password`): a refusal names the one at fault.
  const field = (key: keyof typeof values, label: string, autoComplete: string, hint?: string) => (
    <FormField
      form={problem} name={key} label={label} value={values[key]} onValue={(v) => setValues({ ...values, [key]: v })}
      type="password" autoComplete={autoComplete} maxLength={PASSWORD_MAX * 2} hint={hint}
    />
  );
  return (
    <Panel title={t("settings.password.title")}>
      <form ref={problem.formRef} className="panel-form" aria-label={t.label("settings.password.title")} onSubmit={(e) => void submit(e)}>
        {field("current", t("settings.password.current"), "current-password")}
        {field("password", t("settings.password.new"), "new-password", t("auth.passwordHint"))}
        {field("confirm", t("settings.password.confirm"), "new-password")}
        <FormError form={problem} />
        {/* aria-disabled, not disabled, while sending: a disabled button loses the focus (to the page). */}
        <button type="submit" className="button" aria-disabled={state.busy || undefined}>{t("settings.password.submit")}</button>
        <p role="status" className="small">{state.done ? t("settings.password.done") : ""}</p>
      </form>
    </Panel>
  );
}

export function SessionsPanel() {
  const t = useT();
  const [ended, setEnded] = useState<number | null>(null);
  const [error, setError] = useState<Text | null>(null);
  async function signOutOthers() {
    try {
      setEnded((await api<{ ended: number }>("DELETE", "/api/account/sessions")).ended);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <Panel title={t("settings.sessions.title")} intro={t("settings.sessions.intro")}>
      <button type="button" className="button button-secondary" onClick={() => void signOutOthers()}>{t("settings.sessions.submit")}</button>
      <p role="status" className="small">{ended === null ? "" : ended === 0 ? t("settings.sessions.none") : t("settings.sessions.done", { count: ended })}</p>
      {error && <p role="alert" className="field-error">{t.text(error)}</p>}
    </Panel>
  );
}

/**
 * The account's display name: the name it has now (so that the person sees what they are changing), and
 * a form for a new one.
 */
export function NamePanel() {
  const t = useT();
  const problem = useFormProblem();
  const user = useSignedInUser();
  const [name, setName] = useState("");
  /** `done`: the name the account has after the last answer; `same`: that answer changed nothing (it was the name already). */
  const [state, setState] = useState<{ busy: boolean; done: string | null; same?: boolean }>({ busy: false, done: null });
  const current = state.done ?? user?.name ?? null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (state.busy) return;
    problem.show(null);
    // The name the last answer gave stays the current one while a new one is asked for, and when it is refused.
    setState((s) => ({ busy: true, done: s.done }));
    try {
      const res = await api<{ name: string; changed?: boolean }>("PUT", "/api/account/name", { name });
      setName("");
      setState({ busy: false, done: res.name, same: res.changed === false });
    } catch (err) {
      setState((s) => ({ busy: false, done: s.done }));
      problem.show(problemOf(err));
    }
  }

  return (
    <Panel title={t("settings.name.title")} intro={t("settings.name.intro")}>
      {current !== null && <p className="name-current">{t("settings.name.current", { name: current })}</p>}
      <form ref={problem.formRef} className="panel-form" aria-label={t.label("settings.name.title")} onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">{t("settings.name.new")}</span>
          <input
            className="input" value={name} autoComplete="nickname" required dir="auto"
            {...problem.fieldProps("name")} onChange={(e) => setName(e.target.value)}
          />
        </label>
        <FormError form={problem} />
        <button type="submit" className="button" aria-disabled={state.busy || undefined}>{t("settings.name.submit")}</button>
        <p role="status" className="small">{state.done ? t(state.same ? "settings.name.same" : "settings.name.done", { name: state.done }) : ""}</p>
      </form>
    </Panel>
  );
}
