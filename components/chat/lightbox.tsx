"use client";
/**
 * A full-size image over the page: a modal dialog that closes with Esc, the close button or a click
 * outside the picture. Focus moves into it, stays in it (Tab cycles), and returns to what opened it
 * (WAI-ARIA Authoring Practices, modal dialog pattern).
 */
import { useEffect, useId, useRef, type KeyboardEvent } from "react";
import "@/components/i18n/dialogs-strings";
import { useT } from "@/components/i18n/use-t";
import type { Attachment } from "@/lib/chat/types";
import { CloseIcon } from "./icons";
import "@/components/i18n/files-strings";

export function Lightbox({ image, onClose }: { image: Attachment; onClose(): void }) {
  const t = useT();
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    closeButton.current?.focus();
    return () => opener?.focus?.();
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape") {
      e.stopPropagation();
      return onClose();
    }
    if (e.key !== "Tab" || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>("a[href], button:not([disabled])")];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="lightbox-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={dialog} role="dialog" aria-modal="true" aria-labelledby={titleId} className="lightbox" onKeyDown={onKeyDown}>
        <div className="lightbox-bar">
          <h2 id={titleId} className="lightbox-title"><bdi>{image.name}</bdi></h2>
          <a className="button button-secondary" href={image.url} download={image.name}>{t("file.download")}</a>
          <button ref={closeButton} type="button" className="icon-button" aria-label={t.label("app.close")} onClick={onClose}>
            <CloseIcon />
          </button>
        </div>
        <img className="lightbox-image" src={image.url} alt={image.name} width={image.width} height={image.height} />
      </div>
    </div>
  );
}
