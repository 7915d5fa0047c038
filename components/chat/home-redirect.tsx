"use client";
/** `/` opens the room the user was last in (remembered per browser), or the default room. */
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useT } from "@/components/i18n/use-t";
import { DEFAULT_ROOM, roomPath } from "./room-path";
import { readLastRoom } from "./storage";

export function HomeRedirect() {
  const router = useRouter();
  const t = useT();
  useEffect(() => {
    router.replace(roomPath(readLastRoom() ?? DEFAULT_ROOM));
  }, [router]);
  return (
    <p className="splash" role="status">
      <span className="brand"><span className="brand-mark" aria-hidden="true">響</span> Hibiki</span>
      <span className="muted">{t("app.openingRooms")}</span>
    </p>
  );
}
