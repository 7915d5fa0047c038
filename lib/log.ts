import pino, { type Logger, type DestinationStream } from "pino";

export type { Logger };

/** Paths scrubbed from every log record: credentials never reach logs. */
export const REDACT_PATHS = [
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  "password",
  "token",
  "*.password",
  "*.token",
  "auth.token",
];

/** The root logger. Modules take children: `log.child({ module: "realtime" })`. */
export function createLogger(opts: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}
