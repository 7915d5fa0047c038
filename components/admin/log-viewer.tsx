"use client";
/**
 * The live log: level filter, auto-scroll (stick to the newest entry), Clear, and the stream's state.
 * Entries render as text only: a log message is whatever a request put in it.
 */
import "@/components/i18n/admin-strings";
import { use, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { StreamIndicator } from "@/components/notifications/stream-indicator";
import { useT } from "@/components/i18n/use-t";
import { LOG_LEVELS, type LogLevel } from "./log-buffer";
import { LogRow } from "./log-row";
import { RightsRecheck } from "./admin-gate";
import { useLogStream, LOGS_URL } from "./use-log-stream";
import "./logs.css";

/** Trace is noise unless asked for; fatal is shown with error by the server. */
const SHOWN_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

export function LogViewer({ url = LOGS_URL }: { url?: string }) {
  const t = useT();
  const { status, entries, clear, lowest, ended } = useLogStream(url);
  // The server closes this stream for an admin who lost the role: its openings and ends ask the gate to
  // read the session again (the page opens no other stream to learn it: admin-gate.tsx).
  const recheck = use(RightsRecheck);
  const open = status === "connected";
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open !== wasOpen.current) recheck?.();
    wasOpen.current = open;
  }, [open, recheck]);
  // The server said why the session ended: the sign-in page the gate sends to says it too.
  useEffect(() => {
    if (ended) recheck?.(ended);
  }, [ended, recheck]);
  const noteId = useId();
  // The levels the server does not send (below LOG_LEVEL or LOG_STREAM_LEVEL): their boxes would stay empty.
  const unsent = lowest === null ? [] : SHOWN_LEVELS.filter((level) => lowest === "silent" || LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(lowest as LogLevel));
  const [levels, setLevels] = useState<ReadonlySet<string>>(() => new Set(SHOWN_LEVELS));
  const [autoScroll, setAutoScroll] = useState(true);
  const scroller = useRef<HTMLDivElement>(null);

  const visible = useMemo(
    () => entries.filter((e) => levels.has(e.level) || (!LOG_LEVELS.includes(e.level as LogLevel) && levels.has("info"))),
    [entries, levels],
  );

  useLayoutEffect(() => {
    const el = scroller.current;
    if (autoScroll && el) el.scrollTop = el.scrollHeight;
  }, [visible, autoScroll]);

  const toggleLevel = (level: string, on: boolean) =>
    setLevels((set) => {
      const next = new Set(set);
      if (on) next.add(level);
      else next.delete(level);
      return next;
    });

  return (
    <div className="log-viewer">
      <div className="log-toolbar">
        <fieldset className="log-levels" aria-describedby={unsent.length > 0 ? noteId : undefined}>
          <legend className="visually-hidden">{t("logs.levels")}</legend>
          {SHOWN_LEVELS.map((level) => (
            <label key={level} className="checkbox log-level-choice" data-level={level}>
              <input type="checkbox" checked={levels.has(level)} onChange={(e) => toggleLevel(level, e.target.checked)} />
              {level}
            </label>
          ))}
        </fieldset>
        <label className="checkbox">
          <input type="checkbox" checked={autoScroll} onChange={(e) => setAutoScroll(e.target.checked)} />
          {t("logs.autoScroll")}
        </label>
        <button type="button" className="button button-secondary button-small" onClick={clear}>{t("logs.clear")}</button>
        <span className="log-count muted small">{t("logs.count", { count: visible.length })}</span>
        <StreamIndicator status={status} label={t("logs.stream")} />
        {unsent.length > 0 && (
          <p id={noteId} className="muted small log-level-note">
            {lowest === "silent"
              ? t("logs.silent")
              : t("logs.unsentLevels", { levels: unsent.join(", "), lowest: lowest! })}
          </p>
        )}
      </div>
      {/* The log region scrolls; the records inside stay a list (a list item's parent must be a list). */}
      <div ref={scroller} className="log-list" role="log" aria-live="off" aria-label={t.label("logs.list")} tabIndex={0}>
        <ol className="log-items">
          {visible.length === 0 ? (
            <li className="log-empty muted">{t("logs.empty")}</li>
          ) : (
            visible.map((entry) => <LogRow key={entry.id} entry={entry} />)
          )}
        </ol>
      </div>
    </div>
  );
}
