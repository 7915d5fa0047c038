/** Connection state as a compact badge; the reason is spelled out when something is wrong. */
import { useT, type Translate } from "@/components/i18n/use-t";
import type { ConnectionState } from "./chat-types";

type Props = { connection: ConnectionState; onReconnect?(): void };

function describe(t: Translate, { status, reason }: ConnectionState): string {
  if (status === "connected") return t("status.connected");
  if (status === "connecting") return reason ? t.text(reason) : t("status.connecting");
  return reason ? t("status.offlineBecause", { reason: t.text(reason) }) : t("status.offline");
}

export function ConnectionStatus({ connection, onReconnect }: Props) {
  const t = useT();
  const text = describe(t, connection);
  // With a reason, a phone's header shows the dot alone (chat.css), as when connected: the words took the
  // room's name down to "gen…" there, and the composer says the reason under the message box meanwhile.
  const long = !!connection.reason && connection.status !== "connected";
  return (
    <div className="connection-status" data-status={connection.status}>
      <span role="status" className="connection-label" title={text}>
        <span className="status-dot" aria-hidden="true" />
        <span className={long ? "connection-text connection-long" : "connection-text"}>{text}</span>
      </span>
      {connection.status === "disconnected" && onReconnect && (
        <button type="button" className="link-button" onClick={onReconnect}>{t("status.reconnect")}</button>
      )}
    </div>
  );
}
