"use client";
/**
 * The composer as it is before the socket has joined the room: disabled, with the reason under it. The
 * page renders this (server, hydration and first load) until composer.tsx, fetched right after the first
 * render, is here: nobody can write before the join, which comes later, so the first load need not carry
 * the composer's code (typing, drafts, uploads, counting). Same markup as composer.tsx's disabled state.
 */
import { useId } from "react";
import { useT } from "@/components/i18n/use-t";
import { PaperclipIcon, SendIcon } from "./icons";

type Props = {
  /** How people know the room ("#general", or the other person's name for a DM). */
  label: string;
  /** Why nobody can write yet, e.g. "Connecting to the server…". */
  reason?: string;
  /** Whether the composer will have the attach button (accounts, not guests). */
  canAttach: boolean;
};

export function ComposerShell({ label, reason, canAttach }: Props) {
  const t = useT();
  const noteId = useId();
  return (
    <form className="composer" aria-label={t.label("composer.form", { room: label })}>
      <div className="composer-box" data-disabled>
        {canAttach && (
          <button type="button" className="attach-button" aria-label={t.label("upload.attach")} disabled>
            <PaperclipIcon />
          </button>
        )}
        <textarea
          className="composer-input" aria-label={t.label("composer.label", { room: label })} placeholder={t("composer.blocked")}
          rows={1} disabled aria-describedby={reason ? noteId : undefined} aria-autocomplete="list"
        />
        <button type="submit" className="send-button" aria-label={t.label("composer.send")} disabled>
          <SendIcon />
        </button>
      </div>
      {/* The files' note (attach.tsx's AttachNote): its live region is there, empty, from the start. */}
      <p className="composer-note" role="status"></p>
      <div className="composer-footer">
        {reason && <p id={noteId} className="composer-note" role="status">{reason}</p>}
      </div>
    </form>
  );
}
