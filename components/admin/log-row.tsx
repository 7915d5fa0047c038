/** One log record on one line: time, level, module, message, then the request details it carries. */
import { memo } from "react";
import type { LogEntry } from "./log-buffer";

function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The fields worth a glance; the rest stay in the server's log. */
function details(e: LogEntry): string {
  const parts: string[] = [];
  if (typeof e.method === "string" && typeof e.path === "string") parts.push(`${e.method} ${e.path}`);
  if (typeof e.statusCode === "number") parts.push(String(e.statusCode));
  const err = e.err as { message?: unknown } | undefined;
  if (err && typeof err.message === "string") parts.push(err.message);
  if (e.reqId) parts.push(`req=${e.reqId}`);
  return parts.join(" · ");
}

export const LogRow = memo(function LogRow({ entry }: { entry: LogEntry }) {
  const extra = details(entry);
  return (
    <li className="log-row" data-level={entry.level}>
      <time dateTime={entry.timestamp} className="log-time">{clock(entry.timestamp)}</time>
      <span className="log-level">{entry.level}</span>
      {entry.module && <span className="log-module">{entry.module}</span>}
      <bdi className="log-message">{entry.message}</bdi>
      {extra && <span className="log-details">{extra}</span>}
    </li>
  );
});
