"use client";
/**
 * The members side panel. In a private room members manage membership here: add someone by name, or
 * remove anyone (yourself included). The server's refusal is shown as it was given.
 */
import { useState } from "react";
import type { Ack, RoomKind } from "@/lib/realtime/events";
import { useT } from "@/components/i18n/use-t";
import { AddMemberForm } from "./add-member-form";
import type { Member } from "./chat-types";
import { MemberList } from "./member-list";

type Done = Ack<Record<string, never>>;

type Props = {
  open: boolean;
  room: string;
  kind?: RoomKind;
  members: readonly Member[];
  me: string | null;
  onAdd(name: string): Promise<Done>;
  onRemove(name: string): Promise<Done>;
};

export function MembersPanel({ open, room, kind, members, me, onAdd, onRemove }: Props) {
  const t = useT();
  const [error, setError] = useState<{ room: string; message: string } | null>(null);
  const manageable = kind === "private";

  async function remove(name: string) {
    setError(null);
    const res = await onRemove(name);
    if (!res.ok) setError({ room, message: res.error.message });
  }

  return (
    <aside id="chat-members" className="members-panel" hidden={!open} aria-label={t.label("members.panel")}>
      <MemberList members={members} me={me} onRemove={manageable ? remove : undefined} />
      {error?.room === room && <p className="field-error" role="alert">{error.message}</p>}
      {manageable && <AddMemberForm key={room} onAdd={onAdd} />}
    </aside>
  );
}
