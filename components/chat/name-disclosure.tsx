"use client";
/**
 * The sidebar's "new …" disclosures (new room, new direct message): the toggle button, and the form it
 * opens. The form is a chunk of its own (`load`), fetched when the disclosure is first opened or about to
 * be (hover or focus on the toggle), so the room's first load carries only the button.
 */
import { Suspense, useId, useState, type ReactNode } from "react";

/** What the form gets from its disclosure: its element id (the toggle's aria-controls) and closing it. */
export type DisclosedFormProps = { formId: string; onClose(): void };

type Props = {
  icon: ReactNode;
  /** The toggle button's text. */
  label: string;
  /** Starts fetching the form's chunk (the `lazy` component's import); errors are left to the render. */
  prefetch(): void;
  /** The form (a `lazy` component), given its id and how to close it. */
  children(form: DisclosedFormProps): ReactNode;
};

export function NameDisclosure({ icon, label, prefetch, children }: Props) {
  const [open, setOpen] = useState(false);
  const formId = useId();
  return (
    <div className="create-room">
      <button
        type="button" className="sidebar-action" aria-expanded={open} aria-controls={formId}
        onPointerEnter={prefetch} onFocus={prefetch} onClick={() => setOpen((o) => !o)}
      >
        {icon} {label}
      </button>
      {open && (
        <Suspense fallback={null}>
          {children({ formId, onClose: () => setOpen(false) })}
        </Suspense>
      )}
    </div>
  );
}
