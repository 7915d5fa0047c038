"use client";
/**
 * One message. Its text is Markdown, rendered by a lazily loaded module (markdown/message-markdown.tsx)
 * to React elements only, so markup in a message is shown, never run; until that module has loaded the
 * text shows as it was written.
 */
import { lazy, Suspense, type CSSProperties } from "react";
import { useT } from "@/components/i18n/use-t";
import { AttachmentList } from "./attachment-list";
import { formatClock, formatFull } from "./format-time";
import type { OutgoingMessage } from "./chat-types";
import { LinkPreviewCard } from "./link-preview-card";
import { nameHue, type MessageRow } from "./message-rows";

const MessageMarkdown = lazy(() => import("./markdown/message-markdown"));

type Props = {
  row: MessageRow;
  isOwn: boolean;
  /** The reader's name (mentions of them are marked). */
  me?: string | null;
  onRetry(message: OutgoingMessage): void;
  onDiscard?(message: OutgoingMessage): void;
  /** The message a search result opened: marked and scrolled to. */
  found?: boolean;
};

export function MessageItem({ row, isOwn, me, onRetry, onDiscard, found }: Props) {
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
          <bdi className="visually-hidden">{row.author}</bdi>
          <span className="message-gutter">{time}</span>
        </>
      ) : (
        <>
          <span className="avatar" style={{ "--avatar-hue": nameHue(row.author) } as CSSProperties} aria-hidden="true">
            {Array.from(row.author)[0]?.toUpperCase()}
          </span>
          <div className="message-meta">
            <bdi className="message-author">{row.author}</bdi>
            {time}
          </div>
        </>
      )}
      {row.text !== "" && (
        <Suspense fallback={<p className="message-text" dir="auto">{row.text}</p>}>
          <MessageMarkdown text={row.text} me={me} />
        </Suspense>
      )}
      {row.attachments && row.attachments.length > 0 && <AttachmentList items={row.attachments} />}
      {row.preview && <LinkPreviewCard preview={row.preview} />}
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
