"use client";
/**
 * A modal dialog on the native <dialog>: showModal() makes the rest of the page inert (focus stays
 * inside) and Esc closes it; on close, focus returns to what had it before (WAI-ARIA dialog pattern).
 */
import { useEffect, useRef, type ReactNode } from "react";

export function ModalDialog({ label, onClose, className, children }: { label: string; onClose(): void; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement as HTMLElement | null;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
    return () => before?.focus?.();
  }, []);
  return (
    <dialog
      ref={ref} className={className ? `modal ${className}` : "modal"} aria-label={label}
      onCancel={(e) => (e.preventDefault(), onClose())}
      onClick={(e) => e.target === ref.current && onClose()}
    >
      {children}
    </dialog>
  );
}
