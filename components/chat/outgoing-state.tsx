"use client";
/**
 * What a message being sent says under it: "Sending…", or why it was not sent with Retry and Discard.
 * One of the room's live parts (live-parts.ts): a page's first render has none (they come from this
 * tab's composer, which comes after it).
 */
import { lazy, Suspense } from "react";
import "@/components/i18n/message-strings";
import { useT } from "@/components/i18n/use-t";
import type { OutgoingMessage } from "./chat-types";

// A refusal's words (by its reason) are a chunk of their own, fetched when something is first refused.
const RefusalText = lazy(() => import("./refusal-text"));

type Props = {
  outgoing: OutgoingMessage;
  onRetry(message: OutgoingMessage): void;
  onDiscard?(message: OutgoingMessage): void;
  /** -1 while the message is not the list's current one (its controls leave the Tab order). */
  tabIndex?: -1;
};

export function OutgoingState({ outgoing, onRetry, onDiscard, tabIndex }: Props) {
  const t = useT();
  if (outgoing.status === "pending") return <span className="message-state">{t("message.sending")}</span>;
  return (
    <div className="message-error">
      {/* An alert, as a refused edit or thread reply is: the person who pressed Enter hears why it did not go. */}
      <span role="alert">
        {outgoing.error ? (
          <Suspense fallback={null}><RefusalText refusal={outgoing.error} sentence="message.notSent" /></Suspense>
        ) : t("message.notSent", { reason: t("message.unknownError") })}
      </span>
      <button type="button" className="link-button" tabIndex={tabIndex} onClick={() => onRetry(outgoing)}>{t("message.retry")}</button>
      {onDiscard && (
        <button type="button" className="link-button" tabIndex={tabIndex} onClick={() => onDiscard(outgoing)}>{t("message.discard")}</button>
      )}
    </div>
  );
}
