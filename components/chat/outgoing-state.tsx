"use client";
/**
 * What a message being sent says under it: "Sending…", or why it was not sent with Retry and Discard.
 * One of the room's live parts (live-parts.ts): a page's first render has none (they come from this
 * tab's composer, which comes after it).
 */
import { lazyPart } from "./chunk-load";
import { Suspense } from "react";
import "@/components/i18n/message-strings";
import { useT } from "@/components/i18n/use-t";
import type { OutgoingMessage } from "./chat-types";
import { keepFocus } from "./keep-focus";

// A refusal's words (by its reason) are a chunk of their own, fetched when something is first refused.
const RefusalText = lazyPart(() => import("./refusal-text"));

type Props = {
  outgoing: OutgoingMessage;
  onRetry(message: OutgoingMessage): void;
  onDiscard?(message: OutgoingMessage): void;
  /** -1 while the message is not the list's current one (its controls leave the Tab order). */
  tabIndex?: -1;
};

/** The message item after `item` in its list, else the one before it (day separators are not messages). */
function neighbour(item: HTMLElement): HTMLElement | null {
  for (const step of ["nextElementSibling", "previousElementSibling"] as const) {
    for (let el = item[step]; el; el = el[step]) if (el.matches("li.message")) return el as HTMLElement;
  }
  return null;
}

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
      {/* Retried, the message stays (sending again): the focus stays on it. */}
      <button
        type="button" className="link-button" tabIndex={tabIndex}
        onClick={(e) => {
          const item = e.currentTarget.closest<HTMLElement>("li.message");
          onRetry(outgoing);
          keepFocus(() => item);
        }}
      >
        {t("message.retry")}
      </button>
      {/* Discarded, it is gone: the focus goes to the message after it (else before it), else the box it was written in. */}
      {onDiscard && (
        <button
          type="button" className="link-button" tabIndex={tabIndex}
          onClick={(e) => {
            const item = e.currentTarget.closest<HTMLElement>("li.message");
            const next = item && neighbour(item);
            const box = item?.closest("aside, main")?.querySelector<HTMLElement>("textarea");
            onDiscard(outgoing);
            keepFocus(() => (next?.isConnected ? next : box));
          }}
        >
          {t("message.discard")}
        </button>
      )}
    </div>
  );
}
