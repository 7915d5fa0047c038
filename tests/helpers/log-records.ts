import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../lib/log";

/**
 * A real logger (lib/log.ts, JSON lines) at `level` whose records land, parsed, in `records` as they are
 * written: for tests that check what the server logs (pass `log` to startTestServer's options).
 */
export function recordingLogger<R = Record<string, unknown>>(level = "info"): { log: Logger; records: R[] } {
  const records: R[] = [];
  let tail = "";
  const log = createLogger({
    level,
    destination: new Writable({
      write(chunk, _e, cb) {
        tail += String(chunk);
        const lines = tail.split("\n");
        tail = lines.pop() ?? "";
        for (const line of lines) if (line.trim()) records.push(JSON.parse(line));
        cb();
      },
    }),
  });
  return { log, records };
}
