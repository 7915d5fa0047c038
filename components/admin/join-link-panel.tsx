"use client";
/**
 * The invite link, to copy and hand out; rotating it makes the old one stop working at once, so it asks
 * first, as deactivating an account does (Esc or Cancel answers no). The focus comes back to Rotate and
 * stays there through the request.
 */
import "@/components/i18n/admin-strings";
import { useRef, useState } from "react";
import { errorText } from "@/components/auth/error-text";
import { useT } from "@/components/i18n/use-t";
import { getJoinCode, rotateJoinCode } from "./admin-api";
import { focusReturns } from "@/components/chat/keep-focus";
import { ConfirmInline } from "./confirm-inline";
import { CopyField } from "./copy-field";
import { Panel } from "./panel";
import { useAdminData } from "./use-admin-data";

export function JoinLinkPanel() {
  const t = useT();
  const { data, setData, error, setError } = useAdminData(getJoinCode);
  const [busy, setBusy] = useState(false);
  const [rotated, setRotated] = useState(false);
  const [confirming, setConfirming] = useState(false);
  /** The question, which has the focus, gives it to Rotate as Rotate takes its place (focusReturns). */
  const returns = useRef(focusReturns());
  /** Closes the question; Rotate is rendered again in its place and takes the focus back. */
  const stopConfirming = () => {
    returns.current.expect("rotate");
    setConfirming(false);
  };

  async function rotate() {
    stopConfirming();
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
        {confirming ? (
          <ConfirmInline
            question={t("join.confirmRotate")}
            label={t.label("join.confirmRotate")}
            action={t("join.rotate")}
            onConfirm={() => void rotate()}
            onCancel={stopConfirming}
          />
        ) : (
          // aria-disabled, not disabled, while rotating: a disabled button loses the focus (to the page).
          <button
            ref={(el) => returns.current.take("rotate", el)} type="button" className="button button-secondary button-small" disabled={!data} aria-disabled={busy || undefined}
            onClick={() => busy || setConfirming(true)}
          >
            {t("join.rotate")}
          </button>
        )}
        <p className="muted small" role="status">{rotated ? t("join.rotated") : ""}</p>
      </div>
    </Panel>
  );
}
