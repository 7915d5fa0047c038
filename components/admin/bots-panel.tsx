"use client";
/**
 * Creates a bot account. Its token is shown exactly once: the server keeps only a hash of it, so the
 * focus goes to it, to copy it (Create stays focusable while it works: a disabled button would drop the
 * focus to the page, and it is disabled once its name is emptied).
 */
import "@/components/i18n/admin-strings";
import { useId, useRef, useState, type FormEvent } from "react";
import { useFocusWhenShown } from "@/components/chat/keep-focus";
import { errorText } from "@/components/auth/error-text";
import type { Text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import { createBot } from "./admin-api";
import { CopyField } from "./copy-field";
import { Panel } from "./panel";

export function BotsPanel({ onCreated }: { onCreated(): void }) {
  const t = useT();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Text | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const inputId = useId();
  const tokenField = useRef<HTMLDivElement>(null);
  /** The keyboard goes where the token is, to copy it, after the render that shows it (and, in the same
   * render, disables Create, its name emptied). */
  const focusToken = useFocusWhenShown(() => tokenField.current?.querySelector("input"));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy || !name.trim()) return;
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      setCreated(await createBot(name.trim()));
      setName("");
      onCreated();
      focusToken();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title={t("bots.title")} intro={t("bots.intro")}>
      <form className="panel-form" onSubmit={submit} aria-label={t.label("bots.create")}>
        <label htmlFor={inputId} className="field-label">{t("bots.name")}</label>
        <div className="inline-field">
          <input id={inputId} className="input" value={name} maxLength={64} autoComplete="off" onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="button button-primary button-small" disabled={!busy && !name.trim()} aria-disabled={busy || undefined}>{t("bots.create")}</button>
        </div>
      </form>
      {error && <p className="field-error" role="alert">{t.text(error)}</p>}
      {created && (
        <div ref={tokenField} className="token-once">
          <p className="token-warning" role="alert">{t("bots.once")}</p>
          <CopyField label={t("bots.token", { name: created.name })} value={created.token} />
        </div>
      )}
    </Panel>
  );
}
