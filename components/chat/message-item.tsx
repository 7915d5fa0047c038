"use client";
/** One message. Text is rendered as a React text node only, so markup in a message is shown, never run. */
import type { CSSProperties } from "react";
import { useT } from "@/components/i18n/use-t";
import { formatClock, formatFull } from "./format-time";
import type { OutgoingMessage } from "./chat-types";
import { nameHue, type MessageRow } from "./message-rows";

type Props = {
  row: MessageRow;
  isOwn: boolean;
  onRetry(message: OutgoingMessage): void;
  onDiscard?(message: OutgoingMessage): void;
  /** The message a search result opened: marked and scrolled to. */
  found?: boolean;
};

export function MessageItem({ row, isOwn, onRetry, onDiscard, found }: Props) {
  const { outgoing } = row;
  const t = useT();
  const status = outgoing?.status;
  const classes = ["message", row.continuation && "message-continued", isOwn && "message-own", status && `message-${status}`];
  const time = (
    <time dateTime={row.createdAt} title={formatFull(row.createdAt)} className="message-time">
      {formatClock(row.createdAt)}
    </time>
  );
  return (
    <li
      className={classes.filter(Boolean).join(" ")} aria-busy={status === "pending" || undefined}
      id={row.id ? `m-${row.id}` : undefined} data-found={found || undefined} aria-current={found || undefined}
    >
      {row.continuation ? (
        <>
          <span className="visually-hidden">{row.author}</span>
          <span className="message-gutter">{time}</span>
        </>
      ) : (
        <>
          <span className="avatar" style={{ "--avatar-hue": nameHue(row.author) } as CSSProperties} aria-hidden="true">
            {Array.from(row.author)[0]?.toUpperCase()}
          </span>
          <div className="message-meta">
            <span className="message-author">{row.author}</span>
            {time}
          </div>
        </>
      )}
      <p className="message-text">{row.text}</p>
      {status === "pending" && <span className="message-state">{t("message.sending")}</span>}
      {status === "failed" && outgoing && (
        <div className="message-error">
          <span>{t("message.notSent", { reason: outgoing.error ?? t("message.unknownError") })}</span>
          <button type="button" className="link-button" onClick={() => onRetry(outgoing)}>{t("message.retry")}</button>
          {onDiscard && (
            <button type="button" className="link-button" onClick={() => onDiscard(outgoing)}>{t("message.discard")}</button>
          )}
        </div>
      )}
    </li>
  );
}
