"use client";
/**
 * The "New message" form: type a person's name to open (or reuse) the direct message with them. Opened
 * by its sidebar disclosure (room-list.tsx), which fetches this module then. As the name is typed, the
 * people whose name starts with it are offered as the input's suggestions (people-suggestions.ts).
 */
import { useId } from "react";
import type { Refusal } from "@/components/auth/api";
import { text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import type { DisclosedFormProps } from "./name-disclosure";
import { NameForm } from "./name-form";
import { useNameForm } from "./use-name-form";
import { usePeopleSuggestions } from "./people-suggestions";
import "@/components/i18n/forms-strings";

type Props = DisclosedFormProps & {
  /** Resolves with the server's refusal (no such user …), or nothing once the DM is open. */
  onOpenDm(name: string): Promise<Refusal | void> | void;
};

export function NewDmForm({ onOpenDm, formId, onClose }: Props) {
  const t = useT();
  const form = useNameForm({ missing: text("dm.nameMissing"), onSubmit: onOpenDm, onDone: onClose });
  const listId = useId();
  const people = usePeopleSuggestions(form.inputProps.value);

  return (
    <NameForm form={form} formId={formId} formLabel={t("dm.form")} submitLabel={t("dm.submit")}>
      <label className="field">
        <span className="field-label">{t("dm.person")}</span>
        <input className="input" maxLength={64} autoFocus autoComplete="off" list={listId} {...form.inputProps} />
      </label>
      <datalist id={listId}>
        {people.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </NameForm>
  );
}
