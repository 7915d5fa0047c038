"use client";
/** `/` opens the room the user was last in (remembered per browser), or the default room. */
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import "@/components/i18n/pages-strings";
import { useT } from "@/components/i18n/use-t";
import { DEFAULT_ROOM, roomPath } from "./room-path";
import { readLastRoom } from "./storage";
import { Brand } from "@/components/brand";

export function HomeRedirect() {
  const router = useRouter();
  const t = useT();
  useEffect(() => {
    router.replace(roomPath(readLastRoom() ?? DEFAULT_ROOM));
  }, [router]);
  return (
    <p className="splash" role="status">
      <Brand />
      <span className="muted">{t("app.openingRooms")}</span>
    </p>
  );
}
