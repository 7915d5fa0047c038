"use client";
/**
 * Every account with its kind, role and state; deactivating one signs it out everywhere at once, so it
 * asks first (Esc or Cancel answers no). The row's button keeps the focus through the request.
 */
import "@/components/i18n/admin-strings";
import { useRef, useState } from "react";
import { errorText } from "@/components/auth/error-text";
import { useT } from "@/components/i18n/use-t";
import "@/components/i18n/members-strings";
import { listUsers, resetPassword, setUserActive, type AdminUser } from "./admin-api";
import { CopyField } from "./copy-field";
import { useSignedInUser } from "./admin-gate";
import { ConfirmInline } from "./confirm-inline";
import { Panel } from "./panel";
import { useAdminData } from "./use-admin-data";

export function UsersPanel({ version }: { version: number }) {
  const t = useT();
  const { data, setData, error, setError } = useAdminData(listUsers, version);
  const [busy, setBusy] = useState<string | null>(null);
  /** The account whose deactivation is being asked about. */
  const [confirming, setConfirming] = useState<string | null>(null);
  /** The account whose password reset is being asked about. */
  const [confirmingReset, setConfirmingReset] = useState<string | null>(null);
  /** The password a reset just issued: shown once, for the admin to hand over. */
  const [issued, setIssued] = useState<{ name: string; password: string } | null>(null);
  const issuedField = useRef<HTMLDivElement>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const resetButtons = useRef(new Map<string, HTMLButtonElement>());
  const backTo = (name: string) => requestAnimationFrame(() => buttons.current.get(name)?.focus());
  const backToReset = (name: string) => requestAnimationFrame(() => resetButtons.current.get(name)?.focus());
  const users = data?.users;
  /** Your own account is not offered for deactivation (the server refuses it anyway). */
  const me = useSignedInUser()?.name;

  async function toggle(user: AdminUser) {
    setConfirming(null);
    setBusy(user.name);
    setError(null);
    try {
      const { user: changed } = await setUserActive(user.name, user.deactivated);
      setData((d) => d && { users: d.users.map((u) => (u.name === user.name ? changed : u)) });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
      backTo(user.name);
    }
  }

  async function reset(user: AdminUser) {
    setConfirmingReset(null);
    setBusy(user.name);
    setError(null);
    setIssued(null);
    try {
      const { password } = await resetPassword(user.name);
      setIssued({ name: user.name, password });
      // The keyboard goes where the password is, to copy it.
      requestAnimationFrame(() => issuedField.current?.querySelector("input")?.focus());
    } catch (err) {
      setError(errorText(err));
      backToReset(user.name);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Panel title={t("users.title")}>
      {error && <p className="field-error" role="alert">{t.text(error)}</p>}
      {issued && (
        <div ref={issuedField} className="issued-password">
          <CopyField label={t.label("users.newPassword", { name: issued.name })} value={issued.password} />
          <p className="muted small">{t("users.newPasswordNote")}</p>
        </div>
      )}
      {!users ? (
        !error && <p className="muted" role="status">{t("app.loading")}</p>
      ) : users.length === 0 ? (
        <p className="muted">{t("users.none")}</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t("users.name")}</th>
                <th scope="col">{t("users.kind")}</th>
                <th scope="col">{t("users.role")}</th>
                <th scope="col">{t("users.state")}</th>
                <th scope="col"><span className="visually-hidden">{t("users.actions")}</span></th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.name} data-deactivated={u.deactivated || undefined}>
                  <th scope="row" className="user-name">
                    <bdi>{u.name}</bdi>
                    {u.name === me && <span className="muted"> {t("members.you")}</span>}
                  </th>
                  <td>{t(`users.kind.${u.kind}`)}</td>
                  <td>{u.admin ? t("users.admin") : t("users.member")}</td>
                  <td><span className="pill" data-state={u.deactivated ? "off" : "on"}>{u.deactivated ? t("users.deactivated") : t("users.active")}</span></td>
                  <td className="row-actions">
                    {u.name === me || u.kind !== "user" ? null : confirmingReset === u.name ? (
                      <ConfirmInline
                        question={t("users.confirmReset", { name: u.name })}
                        label={t.label("users.confirmReset", { name: u.name })}
                        action={t("users.resetPassword")}
                        onConfirm={() => void reset(u)}
                        onCancel={() => (setConfirmingReset(null), backToReset(u.name))}
                      />
                    ) : (
                      <button
                        ref={(el) => void (el ? resetButtons.current.set(u.name, el) : resetButtons.current.delete(u.name))}
                        type="button" className="button button-secondary button-small" aria-disabled={busy === u.name || undefined}
                        aria-label={t.label("users.resetPasswordLabel", { name: u.name })}
                        onClick={() => {
                          if (busy === u.name) return;
                          setConfirming(null);
                          setConfirmingReset(u.name);
                        }}
                      >
                        {t("users.resetPassword")}
                      </button>
                    )}
                    {u.name === me ? null : confirming === u.name ? (
                      <ConfirmInline
                        question={t("users.confirmDeactivate", { name: u.name })}
                        label={t.label("users.confirmDeactivate", { name: u.name })}
                        action={t("users.deactivate")}
                        onConfirm={() => void toggle(u)}
                        onCancel={() => (setConfirming(null), backTo(u.name))}
                      />
                    ) : (
                      <button
                        ref={(el) => void (el ? buttons.current.set(u.name, el) : buttons.current.delete(u.name))}
                        type="button" className="button button-secondary button-small" aria-disabled={busy === u.name || undefined}
                        aria-label={t.label(u.deactivated ? "users.reactivateLabel" : "users.deactivateLabel", { name: u.name })}
                        onClick={() => {
                          if (busy === u.name) return;
                          if (u.deactivated) void toggle(u);
                          else (setConfirmingReset(null), setConfirming(u.name));
                        }}
                      >
                        {u.deactivated ? t("users.reactivate") : t("users.deactivate")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
