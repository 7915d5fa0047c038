"use client";
/**
 * What the members panel shows once opened: the list, the server's refusal, and (in a private room) the
 * form to add someone. A chunk of its own, fetched when the panel is first opened.
 */
import { useRef, useState } from "react";
import "@/components/i18n/members-strings";
import { ConfirmInline } from "@/components/admin/confirm-inline";
import { errorText } from "@/components/auth/error-text";
import type { Text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import { AddMemberForm } from "./add-member-form";
import { MemberList } from "./member-list";
import type { MembersPanelProps } from "./members-panel";

export function MembersPanelBody({ room, kind, members, me, onAdd, onRemove, archived, onArchive, onLeave }: Omit<MembersPanelProps, "open" | "onClose" | "onCoverPage">) {
  const t = useT();
  const [error, setError] = useState<{ room: string; text: Text } | null>(null);
  const manageable = kind === "private";
  // An administrator archives a room (never a DM or the lobby, which the server refuses): asked first,
  // in place of the button, which takes the focus back once answered.
  const [asking, setAsking] = useState<string | null>(null);
  const archiveButton = useRef<HTMLButtonElement>(null);
  const archivable = !!onArchive && !!kind && kind !== "dm" && room !== "lobby";
  // Anyone leaves a public room (never the lobby, which the server refuses: its messages go to everyone
  // connected), asked first as for archiving. A private room is left from one's own row (MemberList).
  const [askingLeave, setAskingLeave] = useState<string | null>(null);
  const leaveButton = useRef<HTMLButtonElement>(null);
  const leavable = !!onLeave && kind === "public" && room !== "lobby";

  async function archive(to: boolean) {
    setAsking(null);
    setError(null);
    const res = await onArchive!(to);
    if (!res.ok) setError({ room, text: errorText(res.error) });
    requestAnimationFrame(() => archiveButton.current?.focus());
  }

  async function leave() {
    setAskingLeave(null);
    setError(null);
    const res = await onLeave!();
    // Left: the page moves on (LostRoom, which then takes the focus); refused, the person stays here.
    if (!res.ok) {
      setError({ room, text: errorText(res.error) });
      requestAnimationFrame(() => leaveButton.current?.focus());
    }
  }

  async function remove(name: string) {
    setError(null);
    const res = await onRemove(name);
    if (!res.ok) setError({ room, text: errorText(res.error) });
  }

  return (
    <>
      <MemberList members={members} me={me} onRemove={manageable ? remove : undefined} />
      {error?.room === room && <p className="field-error" role="alert">{t.text(error.text)}</p>}
      {manageable && <AddMemberForm key={room} onAdd={onAdd} />}
      {archivable && (
        <p className="room-archive">
          {asking === room ? (
            <ConfirmInline
              question={t("members.confirmArchive")} label={t.label("members.confirmArchive")} action={t("members.archive")}
              onConfirm={() => void archive(true)}
              onCancel={() => (setAsking(null), requestAnimationFrame(() => archiveButton.current?.focus()))}
            />
          ) : (
            <button ref={archiveButton} type="button" className="button button-secondary button-small" onClick={() => (archived ? void archive(false) : setAsking(room))}>
              {archived ? t("members.unarchive") : t("members.archive")}
            </button>
          )}
        </p>
      )}
      {leavable && (
        <p className="room-leave">
          {askingLeave === room ? (
            <ConfirmInline
              question={t("members.confirmLeaveRoom")} label={t.label("members.confirmLeaveRoom")} action={t("members.leaveRoom")}
              onConfirm={() => void leave()}
              onCancel={() => (setAskingLeave(null), requestAnimationFrame(() => leaveButton.current?.focus()))}
            />
          ) : (
            <button ref={leaveButton} type="button" className="button button-secondary button-small" onClick={() => setAskingLeave(room)}>
              {t("members.leaveRoom")}
            </button>
          )}
        </p>
      )}
    </>
  );
}
