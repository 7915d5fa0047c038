"use client";
/**
 * Name and password inputs (plus a confirmation for new accounts). The field at fault is marked invalid
 * and described by the error, which the form shows once, under the fields.
 */
import "@/components/i18n/auth-strings";
import { useT } from "@/components/i18n/use-t";
import { PASSWORD_MAX } from "./session-api";
import type { Field } from "./validate";

export type Credentials = { name: string; password: string; confirm: string };

type Props = {
  values: Credentials;
  onChange(values: Credentials): void;
  /** New accounts: a confirmation field and `new-password` autofill. */
  creating: boolean;
  invalid?: Field | null;
  errorId: string;
};

export function CredentialFields({ values, onChange, creating, invalid, errorId }: Props) {
  const t = useT();
  const field = (key: Field, label: string, type: string, autoComplete: string) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        className="input" type={type} name={key} value={values[key]} autoComplete={autoComplete}
        maxLength={type === "password" ? PASSWORD_MAX * 2 : 64} required
        aria-invalid={invalid === key || undefined} aria-describedby={invalid === key ? errorId : undefined}
        onChange={(e) => onChange({ ...values, [key]: e.target.value })}
      />
    </label>
  );
  return (
    <>
      {field("name", t("auth.name"), "text", "username")}
      {field("password", t("auth.password"), "password", creating ? "new-password" : "current-password")}
      {creating && field("confirm", t("auth.confirm"), "password", "new-password")}
    </>
  );
}
