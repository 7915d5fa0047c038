"use client";
/**
 * Removed from a room, or left it (the socket client reports it as `lostRoom`): from that room the page
 * leaves for the default room; elsewhere a notice says so until dismissed. One of the room's live parts (live-parts.ts).
 */
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import "@/components/i18n/connection-strings";
import "@/components/i18n/notifications-strings";
import { useT } from "@/components/i18n/use-t";
import { DEFAULT_ROOM, roomPath } from "./room-path";

type Props = {
  /** The room this person no longer has access to. */
  lostRoom: string;
  /** They left it themselves (Leave): said as "You left …". */
  left?: boolean;
  /** The room the page shows. */
  room: string;
  onDismiss(): void;
};

export function LostRoom({ lostRoom, left, room, onDismiss }: Props) {
  const t = useT();
  const router = useRouter();
  useEffect(() => {
    if (lostRoom === room && room !== DEFAULT_ROOM) router.replace(roomPath(DEFAULT_ROOM));
  }, [lostRoom, room, router]);
  if (lostRoom === room) return null;
  return (
    <p className="banner banner-notice" role="alert">
      <span>{t(left ? "rooms.left" : "rooms.lostAccess", { room: lostRoom })}</span>
      <button type="button" className="link-button" onClick={onDismiss}>{t("notif.dismiss")}</button>
    </p>
  );
}
