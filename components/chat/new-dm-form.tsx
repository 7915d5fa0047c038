"use client";
/**
 * The "New message" form: type a person's name to open (or reuse) the direct message with them. Opened
 * by its sidebar disclosure (room-list.tsx), which fetches this module then. As the name is typed, the
 * people whose name starts with it are offered as the input's suggestions, and the start of one person's
 * name opens the conversation with them (person-form.tsx).
 */
import { useId } from "react";
import type { Refusal } from "@/components/auth/api";
import { text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import type { DisclosedFormProps } from "./name-disclosure";
import { NameForm } from "./name-form";
import { PeopleList, usePersonForm } from "./person-form";
import "@/components/i18n/forms-strings";

type Props = DisclosedFormProps & {
  /** Resolves with the server's refusal (no such user …), or nothing once the DM is open. */
  onOpenDm(name: string): Promise<Refusal | void> | void;
};

export function NewDmForm({ onOpenDm, formId, onClose }: Props) {
  const t = useT();
  const form = usePersonForm({ missing: text("dm.nameMissing"), onSubmit: onOpenDm, onDone: onClose });
  const listId = useId();

  return (
    <NameForm form={form} formId={formId} formLabel={t("dm.form")} submitLabel={t("dm.submit")}>
      <label className="field">
        <span className="field-label">{t("dm.person")}</span>
        <input className="input" maxLength={64} autoFocus autoComplete="off" list={listId} {...form.inputProps} />
      </label>
      <PeopleList id={listId} names={form.people} />
    </NameForm>
  );
}
