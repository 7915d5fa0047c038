"use client";
/**
 * A question asked in place of the button that would do something that cannot be undone (deactivate an
 * account, rotate the join link): the question, then the action and Cancel. Cancel takes the focus, as a
 * message's "Delete this message?" does (WAI-ARIA APG, alertdialog: the least destructive action first):
 * what cannot be undone is never one Enter away, as a second press of the button's Enter would have
 * made it (an outside trial). Esc answers no, and goes no further (nothing around it closes). Giving the
 * focus back to the button afterwards is the caller's: the button is rendered again in its place.
 */
import "@/components/i18n/dialogs-strings";
import { useT } from "@/components/i18n/use-t";

type Props = {
  /** The question as shown (from `t()`). */
  question: string;
  /** The question as the dialog's accessible name (from `t.label()`). */
  label: string;
  /** The action's button text. */
  action: string;
  onConfirm(): void;
  onCancel(): void;
};

export function ConfirmInline({ question, label, action, onConfirm, onCancel }: Props) {
  const t = useT();
  return (
    <span
      role="alertdialog" aria-label={label}
      onKeyDown={(e) => {
        if (e.key !== "Escape") return;
        e.stopPropagation();
        onCancel();
      }}
    >
      {question}{" "}
      <button type="button" className="button button-small" onClick={onConfirm}>
        {action}
      </button>{" "}
      <button type="button" className="button button-secondary button-small" autoFocus onClick={onCancel}>
        {t("app.cancel")}
      </button>
    </span>
  );
}
