/** Connection state as a compact badge; the reason is spelled out when something is wrong. */
import type { ConnectionState } from "./chat-types";

type Props = { connection: ConnectionState; onReconnect?(): void };

function describe({ status, reason }: ConnectionState): string {
  if (status === "connected") return "Connected";
  if (status === "connecting") return reason ?? "Connecting…";
  return reason ? `Offline — ${reason}` : "Offline";
}

export function ConnectionStatus({ connection, onReconnect }: Props) {
  const text = describe(connection);
  return (
    <div className="connection-status" data-status={connection.status}>
      <span role="status" className="connection-label" title={text}>
        <span className="status-dot" aria-hidden="true" />
        <span className="connection-text">{text}</span>
      </span>
      {connection.status === "disconnected" && onReconnect && (
        <button type="button" className="link-button" onClick={onReconnect}>Reconnect</button>
      )}
    </div>
  );
}
