import { format } from "node:util";
import type { Logger } from "./log";

/** ANSI SGR sequences (colours, bold): a terminal's, not a log record's. */
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * Runs `work` with `console`'s writing methods turned into records of `log`: `log`/`info`/`debug` at
 * debug, `warn` at warn, `error` at error, each as one record (`msg`: the line as the console would have
 * printed it, without terminal colours), then puts them back. For a library that writes to the console
 * while it starts (Next.js prints "✓ Running next.config.mjs took 26ms" to stdout while it prepares,
 * whatever its `quiet` option): stdout stays one JSON object per line, as docs/operations.md promises
 * (an operator trial's `jq` stopped at that line). Only around `work`: the console is the process's.
 */
export async function withConsoleAsLog<T>(log: Logger, work: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn, error: console.error };
  const to = (level: "debug" | "warn" | "error") => (...args: unknown[]) => log[level](format(...args).replace(SGR, "").trim());
  console.log = console.info = console.debug = to("debug");
  console.warn = to("warn");
  console.error = to("error");
  try {
    return await work();
  } finally {
    Object.assign(console, saved);
  }
}
