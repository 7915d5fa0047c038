"use client";
/** A small badge for a Server-Sent Events stream: connected, connecting, or disconnected. */
import "@/components/i18n/notifications-strings";
import { useT } from "@/components/i18n/use-t";
import type { StreamStatus } from "./event-source-loop";
import "./notifications.css";

const LABEL = { connected: "status.connected", connecting: "status.connecting", disconnected: "status.disconnected" } as const;

/** `label` names the stream; the notification stream's name is the default. */
export function StreamIndicator({ status, label }: { status: StreamStatus; label?: string }) {
  const t = useT();
  return (
    <span className="stream-indicator" data-status={status} role="status">
      <span className="status-dot" aria-hidden="true" />
      <span>{label ?? t("notif.stream")}</span>{" "}
      <span aria-hidden="true">·</span>{" "}
      <span className="stream-indicator-text">{t(LABEL[status])}</span>
    </span>
  );
}
