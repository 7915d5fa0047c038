"use client";
/** Every room the person is in, with what notifies them there. */
import "@/components/i18n/settings-strings";
import { useEffect, useId, useState } from "react";
import { Panel } from "@/components/admin/panel";
import { errorText } from "@/components/auth/error-text";
import type { Text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import { RoomIcon } from "@/components/chat/room-icon";
import { LEVELS, listRoomLevels, setRoomLevel, type NotificationLevel, type RoomLevel } from "@/components/notifications/levels-api";
import "@/components/i18n/levels-strings";

export function LevelsPanel() {
  const t = useT();
  const [rooms, setRooms] = useState<RoomLevel[] | null>(null);
  const [error, setError] = useState<Text | null>(null);

  useEffect(() => {
    listRoomLevels().then((r) => setRooms(r.rooms), (err: unknown) => setError(errorText(err)));
  }, []);

  /**
   * Shows `level` for `room` at once; a refusal puts back that room's level as it was, and only that
   * room's: a change to another room made meanwhile (and saved) stays as chosen.
   */
  async function change(room: string, level: NotificationLevel) {
    const was = rooms?.find((r) => r.room === room)?.level;
    setRooms((list) => list?.map((r) => (r.room === room ? { ...r, level } : r)) ?? null);
    try {
      await setRoomLevel(room, level);
      setError(null);
    } catch (err) {
      // Unless a later choice for the same room replaced this one meanwhile.
      if (was !== undefined) setRooms((list) => list?.map((r) => (r.room === room && r.level === level ? { ...r, level: was } : r)) ?? null);
      setError(errorText(err));
    }
  }

  return (
    <Panel title={t("settings.levels.title")} intro={t("settings.levels.intro")}>
      {rooms === null && !error && <p className="muted">{t("app.loading")}</p>}
      {rooms?.length === 0 && <p className="muted">{t("settings.levels.empty")}</p>}
      {rooms && rooms.length > 0 && (
        <ul className="settings-levels">
          {rooms.map((r) => (
            <LevelRow key={r.room} entry={r} onChange={(level) => void change(r.room, level)} />
          ))}
        </ul>
      )}
      {error && <p role="alert" className="field-error">{t.text(error)}</p>}
    </Panel>
  );
}

/**
 * One room: its name (isolated: user text) labels the select by id, so the name is exactly the room's,
 * after the sidebar's mark (a lock for a private room, @ for a direct message, each said in words too).
 */
function LevelRow({ entry, onChange }: { entry: RoomLevel; onChange(level: NotificationLevel): void }) {
  const t = useT();
  const id = useId();
  return (
    <li className="field field-inline">
      <span id={id} className="field-label">
        <RoomIcon room={entry} />
        <bdi>{entry.title ?? entry.room}</bdi>
        {entry.kind === "private" && <span className="visually-hidden"> ({t.label("rooms.private")})</span>}
        {/* A DM is titled by the other person: said so, or it reads like a room of that name. */}
        {entry.kind === "dm" && <span className="visually-hidden"> ({t.label("rooms.dm")})</span>}
      </span>
      <select className="input" aria-labelledby={id} value={entry.level} onChange={(e) => onChange(e.target.value as NotificationLevel)}>
        {LEVELS.map((l) => (
          <option key={l} value={l}>{t(`settings.level.${l}`)}</option>
        ))}
      </select>
    </li>
  );
}
