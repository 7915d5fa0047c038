"use client";
/**
 * The members side panel. In a private room members manage membership here: add someone by name, or
 * remove anyone (yourself included); a public room is left here ("Leave room"). The server's refusal is shown as it was given. The panel itself
 * (the target of the header's toggle) is always there; its contents (`members-panel-body.tsx`) are a
 * chunk fetched when it is first opened, and stay mounted after that.
 */
import { lazyPart } from "./chunk-load";
import { Suspense, useRef, useState } from "react";
import type { RoomKind } from "@/lib/realtime/events";
import { useT } from "@/components/i18n/use-t";
import type { Answer, Member } from "./chat-types";
import { CloseIcon } from "./icons";
import { useCoverPage } from "./cover-page";

type Done = Answer<Record<string, never>>;

export type MembersPanelProps = {
  open: boolean;
  room: string;
  kind?: RoomKind;
  members: readonly Member[];
  me: string | null;
  onAdd(name: string): Promise<Answer<unknown>>;
  onRemove(name: string): Promise<Done>;
  /** Archived (RoomSummary.archived). */
  archived?: boolean;
  /** Archives (`true`) or unarchives the room: given to administrators only, who see the button. */
  onArchive?(archived: boolean): Promise<Answer<unknown>>;
  /**
   * Leaves the room (remove-member of oneself): given for a public room other than the lobby, where the
   * panel then offers "Leave room" (a private room offers "Leave" on one's own row instead).
   */
  onLeave?(): Promise<Answer<unknown>>;
  /** Closes the panel (its close button, shown on narrow screens, where the panel covers the header's toggle). */
  onClose(): void;
  /**
   * Told whether the open panel covers the page (narrow screens): true when it does, false when it
   * stops (closed, or the window grew wide). Stable across renders (a state setter).
   */
  onCoverPage(covers: boolean): void;
};

/** Whether the focus is on `close` or on nothing (the page itself): where a hidden control leaves it. */
function lostFocus(close: HTMLElement): boolean {
  const active = close.ownerDocument.activeElement;
  return active === close || active === null || active === close.ownerDocument.body;
}

const MembersPanelBody = lazyPart(() => import("./members-panel-body").then((m) => ({ default: m.MembersPanelBody })));

export function MembersPanel({ open, onClose, onCoverPage, ...body }: MembersPanelProps) {
  const t = useT();
  // Once opened, the contents stay (closing only hides the panel), as before the split.
  const [opened, setOpened] = useState(open);
  if (open && !opened) setOpened(true);
  const closeRef = useRef<HTMLButtonElement>(null);
  // On narrow screens the panel covers the page, its toggle included (its close button shows only
  // there, chat.css): the page behind is made inert (onCoverPage) and the focus moves into the panel, as
  // into the rooms drawer, so keyboard and screen-reader users follow. Beside the conversation (wide
  // screens) it stays on the toggle. Measured again when the window changes size (a phone turned): had
  // the focus stayed on the toggle, it would be lost in the page gone inert.
  useCoverPage(
    closeRef,
    open,
    onCoverPage,
    (close) => getComputedStyle(close).display !== "none",
    (covers, close) => {
      if (covers) close.focus();
      // Turned wide with the focus on the close button, now hidden (or already dropped to the page by
      // the browser): it goes to the header's toggle, the panel's control beside the conversation. While
      // the panel covered the page nothing else could hold it; a field in the panel keeps it.
      else if (lostFocus(close)) close.ownerDocument.querySelector<HTMLElement>(".members-toggle")?.focus();
    },
  );

  return (
    <aside id="chat-members" className="members-panel" hidden={!open} aria-label={t.label("members.panel")}>
      <button ref={closeRef} type="button" className="icon-button members-close" aria-label={t.label("members.close")} onClick={onClose}>
        <CloseIcon />
      </button>
      {opened && (
        <Suspense fallback={null}>
          <MembersPanelBody {...body} />
        </Suspense>
      )}
    </aside>
  );
}
