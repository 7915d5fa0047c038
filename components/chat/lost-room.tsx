"use client";
/**
 * Removed from a room, or left it (the socket client reports it as `lostRoom`): from that room the page
 * leaves for `next` (the default room, unless that is the one gone or one left: roomAfterLeaving);
 * elsewhere a notice says so until dismissed (after a move from the lost room, with the focus on its
 * Dismiss), and so it does in the lost room itself when there is nowhere to go. One of the room's live
 * parts (live-parts.ts).
 */
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import "@/components/i18n/connection-strings";
import "@/components/i18n/notifications-strings";
import { useT } from "@/components/i18n/use-t";
import { roomPath } from "./room-path";

type Props = {
  /** The room this person no longer has access to. */
  lostRoom: string;
  /** They left it themselves (Leave): said as "You left …". */
  left?: boolean;
  /**
   * The room the page has open (the socket client's `currentRoom`): the move happens only while it is the
   * lost room. Not the address, which reaches a lost room opened again before the open that ends the loss.
   */
  room: string;
  /** Where the page goes from the lost room; null: nowhere to go, it stays (the notice says why). */
  next: string | null;
  onDismiss(): void;
};

export function LostRoom({ lostRoom, left, room, next, onDismiss }: Props) {
  const t = useT();
  const router = useRouter();
  const dismiss = useRef<HTMLButtonElement>(null);
  const shown = lostRoom !== room || next === null;
  useEffect(() => {
    if (lostRoom === room && next !== null && next !== room) router.replace(roomPath(next));
  }, [lostRoom, room, next, router]);
  // The page was moved here from the lost room: the focus, dropped with that room's controls, is on the
  // page or on the skip link the move gave it to (chat-app.tsx). It goes to this notice's Dismiss, what
  // the person is to read and answer; someone busy elsewhere on the page (typing) keeps their place.
  useEffect(() => {
    const active = document.activeElement;
    if (shown && (!active || active === document.body || active.classList.contains("skip-link"))) dismiss.current?.focus();
  }, [shown]);
  if (!shown) return null;
  return (
    <p className="banner banner-notice" role="alert">
      <span>{t(left ? "rooms.left" : "rooms.lostAccess", { room: lostRoom })}</span>
      <button
        ref={dismiss} type="button" className="link-button"
        onClick={() => {
          // Answered from the notice: the conversation's composer takes the focus, not the page.
          const answered = document.activeElement === dismiss.current;
          onDismiss();
          if (answered) requestAnimationFrame(() => document.querySelector<HTMLElement>("#chat-main .composer-input")?.focus());
        }}
      >
        {t("notif.dismiss")}
      </button>
    </p>
  );
}
