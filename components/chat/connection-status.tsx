/** Connection state as a compact badge; the reason is spelled out when something is wrong. */
import { useT, type Translate } from "@/components/i18n/use-t";
import type { ConnectionState } from "./chat-types";
import { RefreshIcon } from "./icons";

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
        // On a phone the button is its icon (chat.css), its word kept as its name: the word took half of what
        // was left of the room's name ("Aの話…").
        <button type="button" className="link-button reconnect-button" onClick={onReconnect}>
          <RefreshIcon />
          <span className="reconnect-text">{t("status.reconnect")}</span>
        </button>
      )}
    </div>
  );
}
