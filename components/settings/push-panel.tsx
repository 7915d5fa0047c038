"use client";
/**
 * Web Push on this browser: the permission, an "enable" flow, a test push and turning it off; and the
 * account's choice to be pushed while every Hibiki tab is hidden.
 */
import "@/components/i18n/settings-strings";
import { useEffect, useId, useRef, useState } from "react";
import { useFocusHandoff } from "@/components/chat/keep-focus";
import { Panel } from "@/components/admin/panel";
import { errorText } from "@/components/auth/error-text";
import type { Text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import { getPushSettings, putPushSettings } from "@/components/notifications/push-client";
import { usePush } from "@/components/notifications/use-push";

export function PushPanel() {
  const t = useT();
  const push = usePush();
  // A button that gives way to what it did (Enable to Test and Turn off, Turn off to Enable, Enable to
  // the sentence that the browser blocks them) hands its focus to the first button now there, else to
  // that sentence; the buttons stay focusable while they work (aria-disabled: a disabled button drops
  // the focus to the page).
  const state = useRef<HTMLDivElement>(null);
  const handoff = useFocusHandoff<HTMLButtonElement>(() => state.current?.querySelector<HTMLElement>("button") ?? state.current?.querySelector("p"));
  const act = (run: () => Promise<void>) => () => void (push.busy || run());
  const busy = push.busy || undefined;
  let body;
  if (!push.supported) body = <p tabIndex={-1}>{t("settings.push.unsupported")}</p>;
  else if (push.permission === "denied") body = <p tabIndex={-1}>{t("settings.push.denied")}</p>;
  else if (!push.subscribed) {
    body = (
      <>
        <p tabIndex={-1}>{t("settings.push.off")}</p>
        <button ref={handoff} type="button" className="button" aria-disabled={busy} onClick={act(push.enable)}>{t("settings.push.enable")}</button>
      </>
    );
  } else {
    body = (
      <>
        <p tabIndex={-1}>{t("settings.push.on")}</p>
        <div className="button-row">
          <button ref={handoff} type="button" className="button" aria-disabled={busy} onClick={act(push.test)}>{t("settings.push.test")}</button>
          <button ref={handoff} type="button" className="button button-secondary" aria-disabled={busy} onClick={act(push.disable)}>{t("settings.push.disable")}</button>
        </div>
      </>
    );
  }
  return (
    <Panel title={t("settings.push.title")} intro={t("settings.push.intro")}>
      <div ref={state} className="push-state">{body}</div>
      <p role="status" className="small">{push.tested ? t("settings.push.tested") : ""}</p>
      {push.error && <p role="alert" className="field-error">{t.text(push.error)}</p>}
      <WhenHiddenField />
    </Panel>
  );
}

/**
 * "Push also while all my tabs are hidden": an account setting (every subscribed browser), so it shows
 * whatever this browser supports. It flips at once and flips back if the server refuses.
 */
function WhenHiddenField() {
  const t = useT();
  const hint = useId();
  const [whenHidden, setWhenHidden] = useState<boolean | null>(null);
  const [error, setError] = useState<Text | null>(null);

  useEffect(() => {
    let live = true;
    getPushSettings().then((s) => live && setWhenHidden(s.whenHidden), (err: unknown) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, []);

  async function change(next: boolean) {
    const before = whenHidden;
    setWhenHidden(next);
    setError(null);
    try {
      setWhenHidden((await putPushSettings({ whenHidden: next })).whenHidden);
    } catch (err) {
      setWhenHidden(before);
      setError(errorText(err));
    }
  }

  return (
    <div className="field">
      <label className="checkbox">
        <input
          type="checkbox" checked={whenHidden ?? false} disabled={whenHidden === null} aria-describedby={hint}
          onChange={(e) => void change(e.target.checked)}
        />
        {t("settings.push.whenHidden")}
      </label>
      <p id={hint} className="muted small">{t("settings.push.whenHiddenHint")}</p>
      {error && <p role="alert" className="field-error">{t.text(error)}</p>}
    </div>
  );
}
