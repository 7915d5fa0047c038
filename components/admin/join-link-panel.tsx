"use client";
/** The invite link, to copy and hand out; rotating it makes the old one stop working. */
import "@/components/i18n/admin-strings";
import { useState } from "react";
import { errorText } from "@/components/auth/error-text";
import { useT } from "@/components/i18n/use-t";
import { getJoinCode, rotateJoinCode } from "./admin-api";
import { CopyField } from "./copy-field";
import { Panel } from "./panel";
import { useAdminData } from "./use-admin-data";

export function JoinLinkPanel() {
  const t = useT();
  const { data, setData, error, setError } = useAdminData(getJoinCode);
  const [busy, setBusy] = useState(false);
  const [rotated, setRotated] = useState(false);

  async function rotate() {
    setBusy(true);
    setError(null);
    try {
      setData(await rotateJoinCode());
      setRotated(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title={t("join.title")} intro={t("join.intro")}>
      {error && <p className="field-error" role="alert">{t.text(error)}</p>}
      {data && <CopyField label={t("join.url")} value={data.url} />}
      <div className="panel-actions">
        {/* aria-disabled, not disabled, while rotating: a disabled button loses the focus (to the page). */}
        <button
          type="button" className="button button-secondary button-small" disabled={!data} aria-disabled={busy || undefined}
          onClick={() => void (busy || rotate())}
        >
          {t("join.rotate")}
        </button>
        <p className="muted small" role="status">{rotated ? t("join.rotated") : ""}</p>
      </div>
    </Panel>
  );
}
