"use client";
/** Sends an announcement to everyone else's notification stream (it shows as a toast; not to its author). */
import "@/components/i18n/admin-strings";
import { useId, useState, type FormEvent } from "react";
import { errorText } from "@/components/auth/error-text";
import { text as textOf, type Text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import { announce } from "./admin-api";
import { Panel } from "./panel";
import { prepareText } from "@/lib/text/rules";
import { isBlank } from "@/lib/text/unicode";

export function AnnouncementForm() {
  const t = useT();
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: Text } | null>(null);
  const inputId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    // The server's rules (lib/text): blank means nothing visible; its length limit (2000 code points,
    // not UTF-16 units) is enforced there and its refusal shown below.
    const text = prepareText(message);
    if (busy) return;
    if (isBlank(text)) return setResult({ ok: false, text: textOf("announce.empty") });
    setBusy(true);
    setResult(null);
    try {
      await announce(text);
      setMessage("");
      setResult({ ok: true, text: textOf("announce.sent") });
    } catch (err) {
      setResult({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title={t("announce.title")}>
      <form className="panel-form" onSubmit={submit} aria-label={t.label("announce.title")}>
        <label htmlFor={inputId} className="field-label">{t("announce.label")}</label>
        <textarea
          id={inputId} className="input" rows={3} value={message}
          onChange={(e) => setMessage(e.target.value)}
        />
        <div className="panel-actions">
          {/* aria-disabled, not disabled, while sending: a disabled button loses the focus (to the page). */}
          <button type="submit" className="button button-primary button-small" aria-disabled={busy || undefined}>{t("announce.send")}</button>
          {result && (
            <p className={result.ok ? "muted small" : "field-error"} role={result.ok ? "status" : "alert"}>{t.text(result.text)}</p>
          )}
        </div>
      </form>
    </Panel>
  );
}
