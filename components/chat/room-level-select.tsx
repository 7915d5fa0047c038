"use client";
/**
 * What notifies the signed-in person in this room (all / mentions / none), in the room header. On a
 * phone the header has no room for the words: the select is then a bell (struck through for "nothing")
 * with the native select laid over it, invisible but still what is focused, named and operated, so the
 * platform's own picker opens (chat.css, `.level-picker`).
 */
import { useEffect, useState } from "react";
import { useT } from "@/components/i18n/use-t";
import { errorText } from "@/components/auth/error-text";
import { useAnnounce } from "./announcer";
import { LEVELS, LEVELS_CHANGED, getRoomLevel, setRoomLevel, type NotificationLevel } from "@/components/notifications/levels-api";
import "@/components/i18n/levels-strings";

/**
 * `initial`: the level the room list says (`list-rooms`), shown at once while the room's own answer is
 * on its way, so the select is there as soon as the header is (an outside trial saw it appear a second or
 * two later, pushing the header's buttons aside and changing their Tab order).
 */
export function RoomLevelSelect({ room, initial }: { room: string; initial?: NotificationLevel }) {
  const t = useT();
  const [level, setLevel] = useState<NotificationLevel | null>(initial ?? null);
  // Why the last change was refused (its sentence): said by the chat's announcer, and the select's tooltip.
  const [failed, setFailed] = useState<string | null>(null);
  const announce = useAnnounce();

  useEffect(() => {
    let live = true;
    setLevel(initial ?? null);
    setFailed(null);
    getRoomLevel(room).then((r) => live && setLevel(r.level), () => live && setLevel(null));
    // Chosen again on another page (a tab, a phone: the chat's `levels-changed`) or in Settings: read it again.
    const reread = () => void getRoomLevel(room).then((r) => live && setLevel(r.level), () => undefined);
    window.addEventListener(LEVELS_CHANGED, reread);
    return () => {
      live = false;
      window.removeEventListener(LEVELS_CHANGED, reread);
    };
    // The list's level seeds a room's first render only: a change of it later is heard as levels-changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [room]);

  if (level === null) return null;
  async function change(next: NotificationLevel) {
    const before = level;
    setLevel(next);
    try {
      await setRoomLevel(room, next);
      setFailed(null);
    } catch (err) {
      // Put back, and said why: a select that only jumps back tells nobody anything.
      setLevel(before);
      const sentence = t("room.levelNotChanged", { reason: t.text(errorText(err)) });
      setFailed(sentence);
      announce(sentence);
    }
  }
  return (
    <span className="level-picker" data-level={level}>
      <svg
        width={18} height={18} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2}
        strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" className="icon level-bell"
      >
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        {level === "none" && <path d="m2 2 20 20" />}
      </svg>
      <select
        className="input level-select" aria-label={t.label("room.notifications")} value={level} aria-invalid={!!failed || undefined} title={failed ?? undefined}
        onChange={(e) => void change(e.target.value as NotificationLevel)}
      >
        {LEVELS.map((l) => (
          <option key={l} value={l}>{t(`settings.level.${l}`)}</option>
        ))}
      </select>
    </span>
  );
}
