"use client";
/**
 * A modal dialog on the native <dialog> (HTML's modal dialog, the WAI-ARIA APG dialog pattern):
 * showModal() makes the rest of the page inert — Tab goes round the dialog's own controls, and nothing
 * behind it can be pressed or focused — and Esc closes it; so does a click on the backdrop (outside the
 * dialog's box); on close, the focus returns to what had it before.
 */
import { useEffect, useImperativeHandle, useRef, type KeyboardEventHandler, type ReactNode, type Ref } from "react";

type Props = {
  label: string;
  onClose(): void;
  className?: string;
  /** Runs before the dialog's own Esc handling (the `cancel` event), e.g. to close at once from a search box. */
  onKeyDown?: KeyboardEventHandler<HTMLDialogElement>;
  /** -1 keeps the focus in the dialog when its empty space is clicked (instead of the page's body). */
  tabIndex?: number;
  ref?: Ref<HTMLDialogElement | null>;
  children: ReactNode;
};

export function ModalDialog({ label, onClose, className, onKeyDown, tabIndex, ref, children }: Props) {
  const inner = useRef<HTMLDialogElement>(null);
  useImperativeHandle<HTMLDialogElement | null, HTMLDialogElement | null>(ref, () => inner.current, []);
  useEffect(() => {
    const dialog = inner.current;
    const before = document.activeElement as HTMLElement | null;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
    return () => before?.focus?.();
  }, []);
  return (
    <dialog
      ref={inner} className={className ? `modal ${className}` : "modal"} aria-label={label} tabIndex={tabIndex}
      onKeyDown={onKeyDown}
      onCancel={(e) => (e.preventDefault(), onClose())}
      onClick={(e) => {
        // The backdrop is part of the <dialog> element: a click lands on it when it is outside the box. A
        // click on the dialog's own padding has the same target, so where it landed decides.
        const dialog = inner.current;
        if (!dialog || e.target !== dialog) return;
        const box = dialog.getBoundingClientRect();
        const outside = e.clientX < box.left || e.clientX > box.right || e.clientY < box.top || e.clientY > box.bottom;
        if (outside) onClose();
      }}
    >
      {children}
    </dialog>
  );
}
