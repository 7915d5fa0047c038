/**
 * Who is in the room: those with it open now ("here") first; in a private room each member can be removed,
 * after a question (you: leave, since only a member can let you back in; someone else: they lose the room
 * until a member adds them back, and a slip of the finger on a phone is easy).
 */
import { useEffect, useRef, useState, type CSSProperties } from "react";
import { focusInPlace } from "@/components/focus-in-place";
import { useT } from "@/components/i18n/use-t";
import type { Member } from "./chat-types";
import { avatarColor, OFFLINE_AVATAR_COLOR } from "./avatar-color";
import { SpokenText } from "./spoken-text";
import "@/components/i18n/members-strings";

type Props = {
  members: readonly Member[];
  me?: string | null;
  /** Offered only where membership can change (private rooms). */
  onRemove?(name: string): void;
};

export function MemberList({ members, me, onRemove }: Props) {
  const t = useT();
  /** The member whose removal (yours: leaving) is being asked about. */
  const [confirming, setConfirming] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  /** No: the focus goes back to the button the question replaced. */
  const stopConfirming = (name: string) => {
    setConfirming(null);
    requestAnimationFrame(() => list.current?.querySelector<HTMLButtonElement>(`.member-remove[data-name="${CSS.escape(name)}"]`)?.focus());
  };
  const sorted = [...members].sort(
    (a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name),
  );
  // Someone removed here: once their row (and the button that had the focus) is gone, the focus goes
  // to the button now in its place, the next person's (or, after the last, the one before), not the page.
  const [removing, setRemoving] = useState<{ name: string; index: number } | null>(null);
  useEffect(() => {
    if (!removing || members.some((m) => m.name === removing.name)) return;
    setRemoving(null);
    focusInPlace(list.current, ".member-remove", removing.index);
  }, [members, removing]);
  const online = members.filter((m) => m.online).length;
  return (
    <section className="member-list" aria-labelledby="member-list-title">
      <h2 id="member-list-title" className="panel-title">
        {t("members.title")} <span className="panel-count">{t("members.online", { n: online })}</span>
      </h2>
      {sorted.length === 0 ? (
        <p className="muted">{t("members.nobody")}</p>
      ) : (
        <ul ref={list}>
          {sorted.map((m, index) => (
            <li key={m.name} className="member" data-online={m.online}>
              <span className="avatar avatar-small" style={{ "--avatar-bg": m.online ? avatarColor(m.name) : OFFLINE_AVATAR_COLOR } as CSSProperties} aria-hidden="true">
                {Array.from(m.name)[0]?.toUpperCase()}
                <span className="presence-dot" />
              </span>
              <bdi className="member-name" aria-hidden="true">{m.name}</bdi>
              {m.name === me && <span className="muted" aria-hidden="true">{t("members.you")}</span>}
              {/* A bot is said to be one (a member list's `bot`, from the server): no mention reaches it,
                  and its posts are a program's (an outside trial found bots indistinguishable from people). */}
              {m.bot && <span className="member-bot" aria-hidden="true">{t("members.bot")}</span>}
              <SpokenText
                text={t.list([
                  m.name === me ? t.label("members.nameYou", { name: m.name }) : m.name,
                  ...(m.bot ? [t.label("members.bot")] : []),
                  t.label(m.online ? "members.isOnline" : "members.isOffline"),
                ])}
              />
              {onRemove && confirming === m.name && (
                <span
                  className="member-confirm" role="alertdialog"
                  aria-label={m.name === me ? t.label("members.confirmLeave") : t.label("members.confirmRemove", { name: m.name })}
                  onKeyDown={(e) => {
                    if (e.key !== "Escape") return;
                    // Esc answers no (and closes nothing else, such as the panel around it).
                    e.stopPropagation();
                    stopConfirming(m.name);
                  }}
                >
                  {m.name === me ? t("members.confirmLeave") : t("members.confirmRemove", { name: m.name })}{" "}
                  {/* The question takes the focus, on its answer asked for, as a dialog does. Answered, the focus goes
                      back to the button the question replaced: the page moves on once the room is left, a refusal
                      (the last member) leaves the person where they were, and once someone removed is gone from
                      the list the focus moves to the button now in their row's place. */}
                  <button
                    type="button" className="link-button" autoFocus
                    onClick={() => {
                      stopConfirming(m.name);
                      if (m.name !== me) setRemoving({ name: m.name, index });
                      onRemove(m.name);
                    }}
                  >
                    {m.name === me ? t("members.leave") : t("members.remove")}
                  </button>{" "}
                  <button type="button" className="link-button" onClick={() => stopConfirming(m.name)}>{t("members.cancel")}</button>
                </span>
              )}
              {onRemove && confirming !== m.name && (
                // Removing yourself is leaving: said so, not "Remove" next to your own name.
                <button
                  type="button" className="link-button member-remove" data-name={m.name}
                  aria-label={m.name === me ? t.label("members.leaveLabel") : t.label("members.removeLabel", { name: m.name })}
                  onClick={() => setConfirming(m.name)}
                >
                  {m.name === me ? t("members.leave") : t("members.remove")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
