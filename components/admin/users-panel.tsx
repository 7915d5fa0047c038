"use client";
/**
 * Every account with its kind, role and state; deactivating one signs it out everywhere at once, so it
 * asks first (Esc or Cancel answers no), as it does before giving or taking the admin role of a person.
 * The row's button has the focus back as soon as the question is answered, and keeps it through the
 * request (a reset's new password then takes it).
 */
import "@/components/i18n/admin-strings";
import { useRef, useState } from "react";
import { errorText } from "@/components/auth/error-text";
import { focusReturns, useFocusWhenShown } from "@/components/chat/keep-focus";
import { useT } from "@/components/i18n/use-t";
import "@/components/i18n/members-strings";
import { listUsers, resetPassword, resetToken, setUserActive, setUserAdmin, type AdminUser } from "./admin-api";
import { CopyField } from "./copy-field";
import { useSignedInUser } from "./admin-gate";
import { Panel } from "./panel";
import { RowAction } from "./row-action";
import { useAdminData } from "./use-admin-data";

export function UsersPanel({ version }: { version: number }) {
  const t = useT();
  const { data, setData, error, setError } = useAdminData(listUsers, version);
  const [busy, setBusy] = useState<string | null>(null);
  /** The row action being asked about (one at a time): an account's deactivation or password reset. */
  const [asking, setAsking] = useState<string | null>(null);
  /** The password or bot token a reset just issued: shown once, for the admin to hand over. */
  const [issued, setIssued] = useState<{ name: string; secret: string; kind: "password" | "token" } | null>(null);
  const issuedField = useRef<HTMLDivElement>(null);
  /** The keyboard goes where a new password is, to copy it, after the render that shows it. */
  const focusIssued = useFocusWhenShown(() => issuedField.current?.querySelector("input"));
  /** Each row action's button, by actionKey, to give the focus back to. */
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  /** A row action's question, which has the focus, gives it to the button that takes its place (focusReturns). */
  const returns = useRef(focusReturns());
  /** The refusal said above the table: where the focus goes when the row it came from is gone. */
  const refusal = useRef<HTMLParagraphElement>(null);
  /**
   * Gives the focus to the button of `key`, or of `fallback` when that one is gone (the row changed), or
   * to the refusal when the row itself is gone (the account renamed meanwhile).
   */
  const backTo = (key: string, fallback?: string) =>
    requestAnimationFrame(() => (buttons.current.get(key) ?? (fallback ? buttons.current.get(fallback) : undefined) ?? refusal.current)?.focus());
  const users = data?.users;
  /** Your own account is offered neither for deactivation nor for losing the admin role (the server refuses both). */
  const me = useSignedInUser()?.name;

  /** Runs one row's change (`key`: its action), puts the changed account in its row, and keeps the focus there. */
  async function change(user: AdminUser, key: "deactivate" | "role", request: () => Promise<{ user: AdminUser }>) {
    // The question (which had the focus) gives way to the button again, which takes it (focusReturns) and
    // keeps it through the request.
    setAsking(null);
    setBusy(user.name);
    setError(null);
    try {
      const { user: changed } = await request();
      setData((d) => d && { users: d.users.map((u) => (u.name === user.name ? changed : u)) });
    } catch (err) {
      setError(errorText(err));
      // Refused, the row may be out of date (another admin deactivated the account, or renamed or
      // demoted it): the list is read again, so the row shows what the server holds (an account now
      // deactivated is no longer offered the role). A failed read leaves the rows as they were.
      await listUsers().then((fresh) => setData(fresh), () => undefined);
    } finally {
      setBusy(null);
      backTo(actionKey(key, user.name), actionKey("deactivate", user.name));
    }
  }
  const toggle = (user: AdminUser) => change(user, "deactivate", () => setUserActive(user.name, user.deactivated));
  const toggleAdmin = (user: AdminUser) => change(user, "role", () => setUserAdmin(user.name, !user.admin));

  /** A new password for an account, or a new token for a bot (`user.kind`), shown once. */
  async function reset(user: AdminUser) {
    // The button takes the question's focus (focusReturns) and keeps it through the request (argon2 takes a while).
    setAsking(null);
    setBusy(user.name);
    setError(null);
    setIssued(null);
    try {
      if (user.kind === "bot") setIssued({ name: user.name, secret: (await resetToken(user.name)).token, kind: "token" });
      else setIssued({ name: user.name, secret: (await resetPassword(user.name)).password, kind: "password" });
      focusIssued();
    } catch (err) {
      setError(errorText(err));
      backTo(actionKey("reset", user.name));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Panel title={t("users.title")}>
      {error && <p ref={refusal} tabIndex={-1} className="field-error" role="alert">{t.text(error)}</p>}
      {issued && (
        <div ref={issuedField} className="issued-password">
          <CopyField label={t.label(issued.kind === "token" ? "users.newToken" : "users.newPassword", { name: issued.name })} value={issued.secret} />
          <p className="muted small">{t(issued.kind === "token" ? "users.newTokenNote" : "users.newPasswordNote")}</p>
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
                    {u.name !== me && (u.kind === "user" || u.kind === "bot") && (
                      // A new password for an account, a new token for a bot.
                      <RowAction
                        id={actionKey("reset", u.name)} asking={asking} setAsking={setAsking} buttons={buttons.current} returns={returns.current} busy={busy === u.name}
                        text={t(u.kind === "bot" ? "users.resetToken" : "users.resetPassword")}
                        label={t.label(u.kind === "bot" ? "users.resetTokenLabel" : "users.resetPasswordLabel", { name: u.name })}
                        question={t(u.kind === "bot" ? "users.confirmResetToken" : "users.confirmReset", { name: u.name })}
                        questionLabel={t.label(u.kind === "bot" ? "users.confirmResetToken" : "users.confirmReset", { name: u.name })}
                        onConfirm={() => void reset(u)}
                      />
                    )}
                    {/* A deactivated account is not offered the role (the server refuses it, promote_deactivated); one it has can still be taken. */}
                    {u.name !== me && u.kind === "user" && (u.admin || !u.deactivated) && (
                      <RowAction
                        id={actionKey("role", u.name)} asking={asking} setAsking={setAsking} buttons={buttons.current} returns={returns.current} busy={busy === u.name}
                        text={u.admin ? t("users.removeAdmin") : t("users.makeAdmin")}
                        label={t.label(u.admin ? "users.removeAdminLabel" : "users.makeAdminLabel", { name: u.name })}
                        question={t(u.admin ? "users.confirmRemoveAdmin" : "users.confirmMakeAdmin", { name: u.name })}
                        questionLabel={t.label(u.admin ? "users.confirmRemoveAdmin" : "users.confirmMakeAdmin", { name: u.name })}
                        onConfirm={() => void toggleAdmin(u)}
                      />
                    )}
                    {u.name !== me && (
                      <RowAction
                        id={actionKey("deactivate", u.name)} asking={asking} setAsking={setAsking} buttons={buttons.current} returns={returns.current} busy={busy === u.name}
                        text={u.deactivated ? t("users.reactivate") : t("users.deactivate")}
                        label={t.label(u.deactivated ? "users.reactivateLabel" : "users.deactivateLabel", { name: u.name })}
                        // Reactivating takes nothing away: it does not ask.
                        question={u.deactivated ? undefined : t("users.confirmDeactivate", { name: u.name })}
                        questionLabel={t.label("users.confirmDeactivate", { name: u.name })}
                        onConfirm={() => void toggle(u)}
                      />
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

const actionKey = (action: "reset" | "deactivate" | "role", name: string) => `${action}:${name}`;
