"use client";
/**
 * Name and password inputs (plus a confirmation for new accounts). The field at fault is marked invalid,
 * described by the error and focused (useFormProblem); the form shows the error once, under the fields.
 */
import "@/components/i18n/auth-strings";
import { FormField } from "@/components/forms/form-field";
import type { FormProblemState } from "@/components/forms/form-problem";
import { useT } from "@/components/i18n/use-t";
import { PASSWORD_MAX } from "./session-api";
import type { Field } from "./validate";

export type Credentials = { name: string; password: string; confirm: string };

type Props = {
  values: Credentials;
  onChange(values: Credentials): void;
  /** New accounts: a confirmation field and `new-password` autofill. */
  creating: boolean;
  problem: FormProblemState;
};

/**
 * The fields of a sign-in or new-account form. A new password says its rule (8 to 256 characters) under
 * its field, before anyone fails it, and the field is described by that hint (and by the error, if any).
 */
export function CredentialFields({ values, onChange, creating, problem }: Props) {
  const t = useT();
  const field = (key: Field, label: string, type: "text" | "password", autoComplete: string, hint?: string) => (
    <FormField
      form={problem} name={key} label={label} value={values[key]} onValue={(v) => onChange({ ...values, [key]: v })}
      type={type} autoComplete={autoComplete} maxLength={type === "password" ? PASSWORD_MAX * 2 : 64} hint={hint}
    />
  );
  return (
    <>
      {field("name", t("auth.name"), "text", "username")}
      {field("password", t("auth.password"), "password", creating ? "new-password" : "current-password", creating ? t("auth.passwordHint") : undefined)}
      {creating && field("confirm", t("auth.confirm"), "password", "new-password")}
    </>
  );
}
