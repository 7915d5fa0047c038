"use client";
/** What notifies the signed-in person in this room (all / mentions / none), in the room header. */
import { useEffect, useState } from "react";
import { useT } from "@/components/i18n/use-t";
import { LEVELS, getRoomLevel, setRoomLevel, type NotificationLevel } from "@/components/notifications/levels-api";
import "@/components/i18n/levels-strings";

export function RoomLevelSelect({ room }: { room: string }) {
  const t = useT();
  const [level, setLevel] = useState<NotificationLevel | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    setLevel(null);
    getRoomLevel(room).then((r) => live && setLevel(r.level), () => live && setLevel(null));
    return () => {
      live = false;
    };
  }, [room]);

  if (level === null) return null;
  async function change(next: NotificationLevel) {
    const before = level;
    setLevel(next);
    try {
      await setRoomLevel(room, next);
      setFailed(false);
    } catch {
      setLevel(before);
      setFailed(true);
    }
  }
  return (
    <select
      className="input level-select" aria-label={t.label("room.notifications")} value={level} aria-invalid={failed || undefined}
      onChange={(e) => void change(e.target.value as NotificationLevel)}
    >
      {LEVELS.map((l) => (
        <option key={l} value={l}>{t(`settings.level.${l}`)}</option>
      ))}
    </select>
  );
}
