"use client";
/**
 * Adds a person to a private room by name, suggesting people as the name is typed and taking the start
 * of one person's name for them (like "New message": person-form.tsx); keeps the form and shows why when
 * the server refuses.
 */
import { useId } from "react";
import type { Answer } from "./chat-types";
import { useT } from "@/components/i18n/use-t";
import { PeopleList, usePersonForm } from "./person-form";
import "@/components/i18n/members-strings";

type Props = { onAdd(name: string): Promise<Answer<unknown>> };

export function AddMemberForm({ onAdd }: Props) {
  const t = useT();
  const inputId = useId();
  const listId = useId();
  const form = usePersonForm({
    onSubmit: async (person) => {
      const res = await onAdd(person);
      if (!res.ok) return res.error;
    },
  });

  return (
    <form className="add-member-form" onSubmit={form.submit} aria-label={t.label("members.add")}>
      <label htmlFor={inputId} className="field-label">{t("members.addName")}</label>
      <div className="inline-field">
        <input id={inputId} className="input" maxLength={64} autoComplete="off" list={listId} {...form.inputProps} />
        <button type="submit" className="button button-primary button-small" disabled={form.busy || !form.inputProps.value.trim()}>
          {t("members.add")}
        </button>
      </div>
      <PeopleList id={listId} names={form.people} />
      {form.error && <p id={form.errorId} className="field-error" role="alert">{t.text(form.error)}</p>}
    </form>
  );
}
