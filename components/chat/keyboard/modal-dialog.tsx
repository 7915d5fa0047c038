"use client";
/**
 * A modal dialog on the native <dialog> (HTML's modal dialog, the WAI-ARIA APG dialog pattern):
 * showModal() makes the rest of the page inert — Tab goes round the dialog's own controls, and nothing
 * behind it can be pressed or focused — and Esc closes it (not an Esc that cancels an input method's
 * conversion in one of its fields); so does a click on the backdrop (outside the
 * dialog's box); on close, the focus returns to what had it before (or to `returnFocus`).
 */
import { useEffect, useImperativeHandle, useRef, type KeyboardEventHandler, type ReactNode, type Ref } from "react";
import { inputMethodTookEscape } from "../ime";

type Props = {
  label: string;
  onClose(): void;
  className?: string;
  /** Runs before the dialog's own Esc handling (the `cancel` event), e.g. to close at once from a search box. */
  onKeyDown?: KeyboardEventHandler<HTMLDialogElement>;
  /** -1 keeps the focus in the dialog when its empty space is clicked (instead of the page's body). */
  tabIndex?: number;
  ref?: Ref<HTMLDialogElement | null>;
  /**
   * Where the focus goes when the dialog closes, when that is not what had it as the dialog opened: the
   * control that asked for it, when something stood in for the dialog meanwhile (and had the focus).
   * Used while it is still in the page; else what had the focus before.
   */
  returnFocus?: HTMLElement | null;
  children: ReactNode;
};

export function ModalDialog({ label, onClose, className, onKeyDown, tabIndex, ref, returnFocus, children }: Props) {
  const inner = useRef<HTMLDialogElement>(null);
  const pressedOnBackdrop = useRef(false);
  /**
   * Whether a pointer event is on the backdrop: the backdrop is part of the <dialog> element, so the
   * event's target is the dialog, as it is on the dialog's own padding; where it landed tells them apart.
   */
  const onBackdrop = (e: { target: EventTarget; clientX: number; clientY: number }) => {
    const dialog = inner.current;
    if (!dialog || e.target !== dialog) return false;
    const box = dialog.getBoundingClientRect();
    return e.clientX < box.left || e.clientX > box.right || e.clientY < box.top || e.clientY > box.bottom;
  };
  useImperativeHandle<HTMLDialogElement | null, HTMLDialogElement | null>(ref, () => inner.current, []);
  useEffect(() => {
    const dialog = inner.current;
    const before = returnFocus?.isConnected ? returnFocus : (document.activeElement as HTMLElement | null);
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
    return () => before?.focus?.();
    // Once: where the focus was (or was asked to go) when the dialog opened.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <dialog
      ref={inner} className={className ? `modal ${className}` : "modal"} aria-label={label} tabIndex={tabIndex}
      onKeyDown={onKeyDown}
      // Not the cancel of an Esc that cancelled an input method's conversion in one of its fields.
      onCancel={(e) => (e.preventDefault(), inputMethodTookEscape() || onClose())}
      onPointerDown={(e) => {
        pressedOnBackdrop.current = onBackdrop(e);
      }}
      onClick={(e) => {
        // Only a press and its release both on the backdrop: a drag that selects text from inside the box
        // out onto the backdrop ends with a click on the <dialog> too, and must not close it.
        const close = pressedOnBackdrop.current && onBackdrop(e);
        pressedOnBackdrop.current = false;
        if (close) onClose();
      }}
    >
      {children}
    </dialog>
  );
}
