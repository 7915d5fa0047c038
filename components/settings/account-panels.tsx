"use client";
/** The password and the other sessions of the signed-in account. */
import "@/components/i18n/settings-strings";
import { useId, useState, type FormEvent } from "react";
import { Panel } from "@/components/admin/panel";
import { api, errorMessage } from "@/components/auth/api";
import { PASSWORD_MAX } from "@/components/auth/session-api";
import { useT } from "@/components/i18n/use-t";

export function PasswordPanel() {
  const t = useT();
  const errorId = useId();
  const [values, setValues] = useState({ current: "", password: "", confirm: "" });
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: boolean }>({ busy: false, error: null, done: false });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (values.password !== values.confirm) return setState({ busy: false, error: t("settings.password.mismatch"), done: false });
    setState({ busy: true, error: null, done: false });
    try {
      await api("PUT", "/api/account/password", { current: values.current, password: values.password });
      setValues({ current: "", password: "", confirm: "" });
      setState({ busy: false, error: null, done: true });
    } catch (err) {
      setState({ busy: false, error: errorMessage(err), done: false });
    }
  }

  const field = (key: keyof typeof values, label: string, autoComplete: string) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        className="input" type="password" value={values[key]} autoComplete={autoComplete} required maxLength={PASSWORD_MAX * 2}
        aria-describedby={state.error ? errorId : undefined} onChange={(e) => setValues({ ...values, [key]: e.target.value })}
      />
    </label>
  );
  return (
    <Panel title={t("settings.password.title")}>
      <form className="panel-form" aria-label={t.label("settings.password.title")} onSubmit={(e) => void submit(e)}>
        {field("current", t("settings.password.current"), "current-password")}
        {field("password", t("settings.password.new"), "new-password")}
        {field("confirm", t("settings.password.confirm"), "new-password")}
        {state.error && <p id={errorId} role="alert" className="field-error">{state.error}</p>}
        <button type="submit" className="button" disabled={state.busy}>{t("settings.password.submit")}</button>
        <p role="status" className="small">{state.done ? t("settings.password.done") : ""}</p>
      </form>
    </Panel>
  );
}

export function SessionsPanel() {
  const t = useT();
  const [ended, setEnded] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function signOutOthers() {
    try {
      setEnded((await api<{ ended: number }>("DELETE", "/api/account/sessions")).ended);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <Panel title={t("settings.sessions.title")} intro={t("settings.sessions.intro")}>
      <button type="button" className="button button-secondary" onClick={() => void signOutOthers()}>{t("settings.sessions.submit")}</button>
      <p role="status" className="small">{ended === null ? "" : t("settings.sessions.done", { count: ended })}</p>
      {error && <p role="alert" className="field-error">{error}</p>}
    </Panel>
  );
}

export function NamePanel() {
  const t = useT();
  const errorId = useId();
  const [name, setName] = useState("");
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: string | null }>({ busy: false, error: null, done: null });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setState({ busy: true, error: null, done: null });
    try {
      const res = await api<{ name: string }>("PUT", "/api/account/name", { name });
      setName("");
      setState({ busy: false, error: null, done: res.name });
    } catch (err) {
      setState({ busy: false, error: errorMessage(err), done: null });
    }
  }

  return (
    <Panel title={t("settings.name.title")} intro={t("settings.name.intro")}>
      <form className="panel-form" aria-label={t.label("settings.name.title")} onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">{t("settings.name.new")}</span>
          <input
            className="input" value={name} autoComplete="nickname" required dir="auto"
            aria-describedby={state.error ? errorId : undefined} onChange={(e) => setName(e.target.value)}
          />
        </label>
        {state.error && <p id={errorId} role="alert" className="field-error">{state.error}</p>}
        <button type="submit" className="button" disabled={state.busy}>{t("settings.name.submit")}</button>
        <p role="status" className="small">{state.done ? t("settings.name.done", { name: state.done }) : ""}</p>
      </form>
    </Panel>
  );
}
