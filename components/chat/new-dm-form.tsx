"use client";
/** "New message" disclosure: type a person's name to open (or reuse) the direct message with them. */
import { useT } from "@/components/i18n/use-t";
import { AtIcon } from "./icons";
import { NameDisclosure } from "./name-disclosure";
import { useNameForm } from "./use-name-form";

type Props = {
  /** Resolves with an error message to show (no such user …), or nothing once the DM is open. */
  onOpenDm(name: string): Promise<string | void> | void;
};

export function NewDmForm({ onOpenDm }: Props) {
  const t = useT();
  const form = useNameForm({ missingMessage: t("dm.nameMissing"), onSubmit: onOpenDm });

  return (
    <NameDisclosure form={form} icon={<AtIcon />} label={t("dm.new")} formLabel={t("dm.form")} submitLabel={t("dm.submit")}>
      <label className="field">
        <span className="field-label">{t("dm.person")}</span>
        <input className="input" maxLength={64} autoFocus autoComplete="off" {...form.inputProps} />
      </label>
    </NameDisclosure>
  );
}
