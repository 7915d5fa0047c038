"use client";
/**
 * The "New room" form: create a room, or open an existing public one, by name. Opened by its sidebar
 * disclosure (room-list.tsx), which fetches this module then.
 */
import { useState } from "react";
import type { Refusal } from "@/components/auth/api";
import { text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import type { DisclosedFormProps } from "./name-disclosure";
import { NameForm } from "./name-form";
import { useNameForm } from "./use-name-form";
import { cleanRoomName, withoutRoomSign } from "@/lib/text/rules";
import "@/components/i18n/forms-strings";

/** The server's room-name rule (lengths in code points, not UTF-16 units); its refusal (an AppError) when it refuses. */
function roomNameProblem(name: string): Refusal | null {
  try {
    cleanRoomName(name);
    return null;
  } catch (err) {
    return err as Refusal;
  }
}


type Props = DisclosedFormProps & {
  /** Resolves with the server's refusal, or nothing on success. */
  onCreateRoom(name: string, isPrivate: boolean): Promise<Refusal | void> | void;
  /** Guests cannot create private rooms, so they are not offered the choice. */
  canCreatePrivate?: boolean;
};

export function CreateRoomForm({ onCreateRoom, canCreatePrivate = true, formId, onClose }: Props) {
  const t = useT();
  const [isPrivate, setIsPrivate] = useState(false);
  const form = useNameForm({
    missing: text("rooms.nameMissing"),
    // "#dev" means the room dev, as it is written in messages and search: the `#` is not part of the name.
    validate: (name) => roomNameProblem(withoutRoomSign(name)),
    onSubmit: (name) => onCreateRoom(withoutRoomSign(name), canCreatePrivate && isPrivate),
    onDone: () => (setIsPrivate(false), onClose()),
  });

  return (
    <NameForm form={form} formId={formId} formLabel={t("rooms.form")} submitLabel={t("rooms.submit")}>
      <label className="field">
        <span className="field-label">{t("rooms.name")}</span>
        <input
          className="input" autoFocus
          placeholder={t("rooms.namePlaceholder")} {...form.inputProps}
        />
      </label>
      {canCreatePrivate && (
        <label className="checkbox">
          <input type="checkbox" checked={isPrivate} onChange={(e) => setIsPrivate(e.target.checked)} />
          {t("rooms.privateOption")}
        </label>
      )}
    </NameForm>
  );
}
