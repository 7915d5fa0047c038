"use client";
/** A table row's action button that may ask first (the People and guest lists). */
import { focusReturns } from "@/components/chat/keep-focus";
import { ConfirmInline } from "./confirm-inline";

/**
 * One row action: its button, or, while it is being asked about, the question in its place (ConfirmInline:
 * Esc or Cancel answers no and gives the focus back to the button). Without a `question` the button acts
 * at once. A busy row's button ignores clicks (aria-disabled keeps the focus on it).
 */
export function RowAction(props: {
  id: string;
  asking: string | null;
  setAsking(id: string | null): void;
  buttons: Map<string, HTMLButtonElement>;
  /** Gives the focus back to the button when its question, which has it, is answered (by id). */
  returns: ReturnType<typeof focusReturns>;
  busy: boolean;
  text: string;
  label: string;
  question?: string;
  questionLabel: string;
  onConfirm(): void;
}) {
  const { id, buttons, returns } = props;
  if (props.question && props.asking === id) {
    // Answering removes the question, which has the focus: the button that takes its place takes it in
    // the same commit (its ref, below).
    return (
      <ConfirmInline
        question={props.question}
        label={props.questionLabel}
        action={props.text}
        onConfirm={() => (returns.expect(id), props.onConfirm())}
        onCancel={() => (returns.expect(id), props.setAsking(null))}
      />
    );
  }
  return (
    <button
      ref={(el) => {
        if (!el) return void buttons.delete(id);
        buttons.set(id, el);
        returns.take(id, el);
      }}
      type="button" className="button button-secondary button-small" aria-disabled={props.busy || undefined}
      aria-label={props.label}
      onClick={() => {
        if (props.busy) return;
        if (props.question) props.setAsking(id);
        else props.onConfirm();
      }}
    >
      {props.text}
    </button>
  );
}
