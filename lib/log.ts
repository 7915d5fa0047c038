import pino, { type DestinationStream, type Level, type Logger } from "pino";
import pinoPretty from "pino-pretty";
import { LEVEL_VALUES, LogHub } from "./log-hub";

export type { Logger };

/** Paths scrubbed from every log record: credentials never reach logs. */
export const REDACT_PATHS = [
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  "headers.cookie",
  "headers.authorization",
  "cookie",
  "authorization",
  "password",
  "token",
  "*.password",
  "*.token",
  "*.cookie",
  "*.authorization",
];

/** How records are written to stdout: one JSON object per line, or human-readable lines (pino-pretty). */
export type LogFormat = "json" | "pretty";

/**
 * The format to use when LOG_FORMAT is unset: readable lines for a person at a terminal, JSON for
 * everything else (containers, systemd, log shippers), where stdout is not a TTY.
 */
export const defaultLogFormat = (isTTY: boolean | undefined): LogFormat => (isTTY ? "pretty" : "json");

/**
 * Path segments that are secrets: the join code in `/join/<code>` (page) and `/api/join/<code>` (API),
 * however the path spells `join` (Express routes paths case-insensitively, so `/api/JOIN/<code>` is the
 * join endpoint too) and however many slashes come before the code.
 */
const SECRET_PATH = /(\/join\/+)[^/?#]+/gi;
/**
 * A direct conversation's room name in a path (`/rooms/dm:2:3`, `/api/rooms/dm%3A2%3A3/uploads`): it names
 * the two people, which the contract keeps from everyone else, the admins reading the live log included.
 */
const DM_NAME = /^dm:/i;
/** A file's name in its address (`/api/files/<id>/<name>`; not `thumb`): what someone called a private file. */
const FILE_NAME = /(\/api\/+files\/+[^/?#]+\/+)(?!thumb(?:[/?#]|$))[^/?#]+/gi;

/**
 * A request path as it may be logged: the query string dropped (it may carry anything a client typed),
 * secret segments replaced by `[redacted]` (a join code), and what would tell who talks to whom or what
 * a private file is called replaced too (a DM's room name: `dm:[redacted]`; a file's name: `[name]`).
 * Every place that logs a path goes through this.
 */
export function loggablePath(url: string): string {
  const path = url.split("?")[0].replace(SECRET_PATH, "$1[redacted]").replace(FILE_NAME, "$1[name]");
  // A DM's name however its segment is %-encoded (`dm%3A2%3A3`, `%64m:2:3`): routes decode it so.
  return path
    .split("/")
    .map((segment) => (DM_NAME.test(decodedSegment(segment)) ? "dm:[redacted]" : segment))
    .join("/");
}

/** A path segment %-decoded as a route decodes its parameters; as it is when it does not decode. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The root logger. Modules take children: `log.child({ module: "realtime" })`. With `hub`, records at or
 * above `hubLevel` also go to the admin live log stream (after redaction, like every destination).
 * `format` applies to stdout only (default JSON); the hub always gets JSON records.
 */
export function createLogger(opts: {
  level: string;
  destination?: DestinationStream;
  hub?: DestinationStream;
  hubLevel?: Level;
  format?: LogFormat;
}): Logger {
  const main =
    opts.destination ??
    (opts.format === "pretty"
      ? // Colours for a terminal only: in a file, a pipe or journald they are escape codes (an operator trial).
        pinoPretty({ colorize: process.stdout.isTTY === true && !process.env.NO_COLOR, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname", singleLine: true })
      : pino.destination({ dest: 1, sync: false }));
  const streams: pino.StreamEntry[] = [{ level: opts.level as Level, stream: main }];
  if (opts.hub) streams.push({ level: opts.hubLevel ?? "info", stream: opts.hub });
  if (opts.hub instanceof LogHub) {
    const hubLevel = opts.hubLevel ?? "info";
    opts.hub.level = !(opts.level in LEVEL_VALUES) ? "silent" : LEVEL_VALUES[opts.level] > LEVEL_VALUES[hubLevel] ? opts.level : hubLevel;
  }
  return pino(
    {
      level: opts.level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.level === "silent" && !opts.hub ? main : pino.multistream(streams),
  );
}
