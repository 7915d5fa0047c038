"use client";
/**
 * What the members panel shows once opened: the list, the server's refusal, and (in a private room) the
 * form to add someone. A chunk of its own, fetched when the panel is first opened.
 */
import { useState } from "react";
import { errorText } from "@/components/auth/error-text";
import type { Text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import { AddMemberForm } from "./add-member-form";
import { MemberList } from "./member-list";
import type { MembersPanelProps } from "./members-panel";

export function MembersPanelBody({ room, kind, members, me, onAdd, onRemove }: Omit<MembersPanelProps, "open" | "onClose" | "onCoverPage">) {
  const t = useT();
  const [error, setError] = useState<{ room: string; text: Text } | null>(null);
  const manageable = kind === "private";

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
    </>
  );
}
