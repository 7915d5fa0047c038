"use client";
/**
 * The sidebar's "new …" disclosures (new room, new direct message): the toggle button, and the form it
 * opens. The form is in another chunk (`prefetch`: the page's idle parts, idle-parts.ts), fetched when the
 * disclosure is first opened or about to be (hover or focus on the toggle), and at the latest with the
 * page's deferred parts (once it is used or idle: use-deferred-ready.ts), so the room's first load carries
 * only the button and the form is there at once when asked for (keys typed right after opening it are not
 * lost). Esc closes it, back to the toggle. Done (a room opened or made), it closes too: a move to
 * another room puts the focus on that page's skip link (chat-app.tsx); staying (the room named was the
 * one open) puts it in the room's message box, else on the toggle, never on the page.
 */
import { Suspense, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useDeferredReady } from "./use-deferred-ready";
import { useFocusHandoff } from "./keep-focus";

/** What the form gets from its disclosure: its element id (the toggle's aria-controls) and closing it. */
export type DisclosedFormProps = { formId: string; onClose(): void };

type Props = {
  icon: ReactNode;
  /** The toggle button's text. */
  label: string;
  /** Starts fetching the form's chunk ahead of its first use (preloadable.ts); stable across renders. */
  prefetch(): void;
  /** The form (preloadable.ts's Component; rendered inside Suspense), given its id and how to close it. */
  children(form: DisclosedFormProps): ReactNode;
};

export function NameDisclosure({ icon, label, prefetch, children }: Props) {
  const [open, setOpen] = useState(false);
  const formId = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const ready = useDeferredReady();
  const handoff = useFocusHandoff<HTMLDivElement>(() => document.querySelector<HTMLElement>("#chat-main .composer-input:not(:disabled)") ?? toggle.current);
  useEffect(() => {
    if (ready) prefetch();
  }, [ready, prefetch]);
  return (
    <div
      className="create-room"
      onKeyDown={(e) => {
        if (e.key !== "Escape" || !open) return;
        // Esc closes this form (not also the phone's drawer around it) and goes back to its toggle.
        e.stopPropagation();
        setOpen(false);
        toggle.current?.focus();
      }}
    >
      <button
        ref={toggle} type="button" className="sidebar-action" aria-expanded={open} aria-controls={formId}
        onPointerEnter={prefetch} onFocus={prefetch} onClick={() => setOpen((o) => !o)}
      >
        {icon} {label}
      </button>
      {open && (
        <div ref={handoff}>
          <Suspense fallback={null}>
            {children({ formId, onClose: () => setOpen(false) })}
          </Suspense>
        </div>
      )}
    </div>
  );
}
