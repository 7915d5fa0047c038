import { Writable } from "node:stream";
import { createLogger } from "../../lib/log";
import { LogHub } from "../../lib/log-hub";

/** stdout of the logger under test: kept away from the test's output. */
const sink = () => new Writable({ write: (_chunk, _enc, done) => done() });

describe("LogHub.level: the lowest level the admin live log receives", () => {
  it.each([
    ["info", "info", "info"],
    ["warn", "info", "warn"],
    ["error", "debug", "error"],
    ["debug", "info", "info"],
    ["debug", "debug", "debug"],
    ["trace", "warn", "warn"],
    ["fatal", "info", "fatal"],
    ["silent", "info", "silent"],
  ] as const)("LOG_LEVEL=%s, LOG_STREAM_LEVEL=%s: %s", async (level, hubLevel, lowest) => {
    const hub = new LogHub();
    const log = createLogger({ level, destination: sink(), hub, hubLevel });
    expect(hub.level).toBe(lowest);
    // What the hub really receives agrees with what it says: nothing below its level, its level itself.
    for (const l of ["debug", "info", "warn", "error"] as const) log[l]({ module: "test" }, `at ${l}`);
    await new Promise<void>((resolve) => log.flush(() => resolve()));
    const got = hub.since().map((r) => r.level);
    const order = ["trace", "debug", "info", "warn", "error", "fatal"];
    for (const l of got) expect(order.indexOf(l)).toBeGreaterThanOrEqual(order.indexOf(lowest === "fatal" ? "error" : lowest));
    if (lowest !== "silent" && lowest !== "fatal") expect(got).toContain(lowest);
  });
});
