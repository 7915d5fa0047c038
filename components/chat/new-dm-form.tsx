"use client";
/**
 * The "New message" form: type a person's name to open (or reuse) the direct message with them. Opened
 * by its sidebar disclosure (room-list.tsx), which fetches this module then.
 */
import { useT } from "@/components/i18n/use-t";
import type { DisclosedFormProps } from "./name-disclosure";
import { NameForm } from "./name-form";
import { useNameForm } from "./use-name-form";
import "@/components/i18n/forms-strings";

type Props = DisclosedFormProps & {
  /** Resolves with an error message to show (no such user …), or nothing once the DM is open. */
  onOpenDm(name: string): Promise<string | void> | void;
};

export function NewDmForm({ onOpenDm, formId, onClose }: Props) {
  const t = useT();
  const form = useNameForm({ missingMessage: t("dm.nameMissing"), onSubmit: onOpenDm, onDone: onClose });

  return (
    <NameForm form={form} formId={formId} formLabel={t("dm.form")} submitLabel={t("dm.submit")}>
      <label className="field">
        <span className="field-label">{t("dm.person")}</span>
        <input className="input" maxLength={64} autoFocus autoComplete="off" {...form.inputProps} />
      </label>
    </NameForm>
  );
}
