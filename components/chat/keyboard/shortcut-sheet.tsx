"use client";
/** `?`: the list of keyboard shortcuts. */
import "@/components/i18n/keys-strings";
import "@/components/i18n/dialogs-strings";
import { Fragment } from "react";
import { useT } from "@/components/i18n/use-t";
import { ModalDialog } from "./modal-dialog";

/** The `?` dialog: every keyboard shortcut, its keys beside what it does; `onClose` on Close or Esc. */
export function ShortcutSheet({ onClose }: { onClose(): void }) {
  const t = useT();
  const mod = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl";
  // Each row: the keys that do it (alternatives, each a <kbd> of its own that never breaks across lines), and what.
  const rows: [string[], string][] = [
    [[`${mod}+K`], t("keys.switcher")],
    [["Alt+↑", "Alt+↓"], t("keys.prevNext")],
    [["Shift+Alt+↑", "Shift+Alt+↓"], t("keys.prevNextUnread")],
    [["/"], t("keys.search")],
    [["↑", "↓"], t("keys.messages")],
    [["Home", "End"], t("keys.firstLast")],
    [["Tab"], t("keys.messageActions")],
    [[t("keys.anyCharacter")], t("keys.typeAnywhere")],
    [["Enter"], t("keys.send")],
    [["Shift+Enter"], t("keys.newline")],
    [["↑"], t("keys.editLast")],
    [["Esc"], t("keys.close")],
    [["?"], t("keys.help")],
  ];
  return (
    <ModalDialog label={t("keys.title")} onClose={onClose} className="shortcut-sheet">
      <h2 className="modal-title">{t("keys.title")}</h2>
      {/* It scrolls where the screen is short (controls.css): a Tab stop, so the keys can scroll it too. */}
      <dl className="shortcut-list" tabIndex={0}>
        {rows.map(([keys, what]) => (
          <div key={what} className="shortcut-row">
            <dt>
              {keys.map((key, i) => (
                <Fragment key={key}>
                  {i > 0 && " / "}
                  <kbd>{key}</kbd>
                </Fragment>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button button-secondary" onClick={onClose}>
        {/* Drawn only: the button is named by its word ("Close", not "multiplication x Close"). */}
        <span aria-hidden="true">{"✕ "}</span>
        {t("app.close")}
      </button>
    </ModalDialog>
  );
}
