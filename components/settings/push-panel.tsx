"use client";
/** Web Push on this browser: the permission, an "enable" flow, a test push and turning it off. */
import { Panel } from "@/components/admin/panel";
import { useT } from "@/components/i18n/use-t";
import { usePush } from "@/components/notifications/use-push";

export function PushPanel() {
  const t = useT();
  const push = usePush();
  let body;
  if (!push.supported) body = <p>{t("settings.push.unsupported")}</p>;
  else if (push.permission === "denied") body = <p>{t("settings.push.denied")}</p>;
  else if (!push.subscribed) {
    body = (
      <>
        <p>{t("settings.push.off")}</p>
        <button type="button" className="button" disabled={push.busy} onClick={() => void push.enable()}>{t("settings.push.enable")}</button>
      </>
    );
  } else {
    body = (
      <>
        <p>{t("settings.push.on")}</p>
        <div className="button-row">
          <button type="button" className="button" disabled={push.busy} onClick={() => void push.test()}>{t("settings.push.test")}</button>
          <button type="button" className="button button-secondary" disabled={push.busy} onClick={() => void push.disable()}>{t("settings.push.disable")}</button>
        </div>
      </>
    );
  }
  return (
    <Panel title={t("settings.push.title")} intro={t("settings.push.intro")}>
      {body}
      <p role="status" className="small">{push.tested ? t("settings.push.tested") : ""}</p>
      {push.error && <p role="alert" className="field-error">{push.error}</p>}
    </Panel>
  );
}
