/** A log record as the admin stream shows it. */
export type LogRecord = { id: string; level: string; message: string; timestamp: string; module?: string; reqId?: string } & Record<string, unknown>;

const LEVELS: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "error" };
export const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const KEEP = 1000;
/** Fields of a pino record that are already mapped or too bulky for the live view. */
const SKIP = new Set(["level", "time", "msg", "pid", "hostname", "v", "req", "res"]);

/**
 * Keeps the last 1000 log records (already redacted by pino) and hands new ones to live subscribers.
 * It is a pino destination: pino writes each record as one JSON line.
 */
export class LogHub {
  /**
   * The lowest level of the records the logger hands this hub (createLogger sets it from `LOG_LEVEL` and
   * `LOG_STREAM_LEVEL`, the higher of the two; "silent" when none): the admin stream tells its viewers, so
   * the levels below it are known to stay empty.
   */
  level = "info";
  private records: LogRecord[] = [];
  private listeners = new Set<(r: LogRecord) => void>();
  // Ids keep increasing across restarts (start from the boot time) so a stale Last-Event-ID replays all.
  private next = Date.now();

  write(line: string) {
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line);
    } catch {
      return;
    }
    const record: LogRecord = {
      id: String(this.next++),
      level: LEVELS[raw.level as number] ?? "info",
      message: typeof raw.msg === "string" ? raw.msg : "",
      timestamp: typeof raw.time === "string" ? raw.time : new Date(Number(raw.time) || Date.now()).toISOString(),
    };
    for (const [k, v] of Object.entries(raw)) if (!SKIP.has(k)) record[k] = v;
    const req = raw.req as { id?: unknown; method?: unknown; path?: unknown } | undefined;
    if (req && typeof req === "object") Object.assign(record, { reqId: String(req.id), method: req.method, path: req.path });
    const res = raw.res as { statusCode?: unknown } | undefined;
    if (res && typeof res === "object") record.statusCode = res.statusCode;
    if (raw.err && typeof raw.err === "object") record.err = { type: (raw.err as { type?: string }).type, message: (raw.err as { message?: string }).message };
    this.records.push(record);
    if (this.records.length > KEEP) this.records.splice(0, this.records.length - KEEP);
    for (const l of [...this.listeners]) l(record);
  }

  /** The kept records after `afterId` (all of them without it). */
  since(afterId?: string): LogRecord[] {
    if (afterId === undefined) return [...this.records];
    return this.records.filter((r) => BigInt(r.id) > BigInt(afterId));
  }

  subscribe(fn: (r: LogRecord) => void) {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  listenerCount() {
    return this.listeners.size;
  }
}
