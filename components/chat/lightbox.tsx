"use client";
/**
 * A full-size image over the page: a native modal dialog (ModalDialog: the page behind is inert, its
 * shortcuts do not act, Tab goes round the dialog's controls) that closes with Esc, the close button or a
 * click outside the picture. The focus starts on the close button and goes back to what opened it
 * (WAI-ARIA Authoring Practices, modal dialog pattern).
 */
import { useEffect, useRef } from "react";
import { createPortal } from "react-dom";
import "@/components/i18n/dialogs-strings";
import { useT } from "@/components/i18n/use-t";
import type { Attachment } from "@/lib/chat/types";
import { CloseIcon } from "./icons";
import { ModalDialog } from "./keyboard/modal-dialog";
import "@/components/i18n/files-strings";

export function Lightbox({ image, onClose }: { image: Attachment; onClose(): void }) {
  const t = useT();
  const closeButton = useRef<HTMLButtonElement>(null);
  // After ModalDialog's own effect (a child's runs first) has opened it: a closed <dialog> takes no focus.
  useEffect(() => closeButton.current?.focus(), []);

  // Under <body>, not in the message it was opened from: the message list is a live region (role=log),
  // and its keys and focus tracking are the list's, not the dialog's.
  return createPortal(
    <ModalDialog
      label={image.name} className="lightbox" onClose={onClose}
      // Esc closes the lightbox and nothing else (not a drawer or panel behind it), as the search panel.
      onKeyDown={(e) => {
        if (e.key !== "Escape") return;
        e.preventDefault();
        e.stopPropagation();
        onClose();
      }}
    >
      <div className="lightbox-bar">
        <h2 className="lightbox-title"><bdi>{image.name}</bdi></h2>
        <a className="button button-secondary" href={image.url} download={image.name}>{t("file.download")}</a>
        <button ref={closeButton} type="button" className="icon-button" aria-label={t.label("app.close")} onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <img className="lightbox-image" src={image.url} alt={image.name} width={image.width} height={image.height} />
    </ModalDialog>,
    document.body,
  );
}
