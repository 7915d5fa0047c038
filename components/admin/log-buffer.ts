/** The live log's entries: unique by id, oldest first, at most 1000 (the oldest are dropped). */
export const MAX_LOG_ENTRIES = 1000;
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogEntry = {
  id: string;
  level: string;
  message: string;
  timestamp: string;
  module?: string;
  reqId?: string;
} & Record<string, unknown>;

export function isLogEntry(value: unknown): value is LogEntry {
  const e = value as Partial<LogEntry> | null;
  return !!e && typeof e.id === "string" && typeof e.level === "string" && typeof e.message === "string";
}

export function appendEntries(list: readonly LogEntry[], incoming: readonly LogEntry[], max = MAX_LOG_ENTRIES): LogEntry[] {
  const next = [...list, ...incoming];
  return next.length > max ? next.slice(next.length - max) : next;
}

/**
 * Remembers which ids were shown. Log ids are increasing numbers, so "at or below the highest seen" is
 * enough, and it keeps working after Clear: a fresh connection's backlog does not bring cleared entries
 * back. Ids that are not numbers fall back to an exact set.
 */
export class SeenIds {
  private highest: bigint | null = null;
  private other = new Set<string>();

  /** True the first time an id is offered. */
  add(id: string): boolean {
    let n: bigint | null = null;
    try {
      n = /^\d+$/.test(id) ? BigInt(id) : null;
    } catch {
      n = null;
    }
    if (n === null) {
      if (this.other.has(id)) return false;
      this.other.add(id);
      return true;
    }
    if (this.highest !== null && n <= this.highest) return false;
    this.highest = n;
    return true;
  }
}
