/**
 * With LOG_FORMAT=json, what the process writes is log records only: every line of stdout one JSON object
 * (docs/operations.md: `journalctl -u hibiki -o cat | jq .`), nothing on stderr. An operator trial's `jq`
 * stopped at Next.js's "✓ Running next.config.mjs took 26ms" on stdout, and with S3 storage the AWS
 * SDK's NodeVersionSupportWarning came on stderr (which journald and `docker logs` merge) at every start.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { startServerProcess, type ServerProcess } from "../helpers/process";
import { until } from "../helpers/server";

jest.setTimeout(180_000);

describe("the production server's output with LOG_FORMAT=json", () => {
  let s3: S3rver;
  let s3Port: number;
  let dir: string;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "json-log-"));
    s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: path.join(dir, "s3"), configureBuckets: [{ name: "hibiki-files", configs: [] }] });
    s3Port = (await s3.run()).port;
  });
  afterAll(async () => {
    await server?.stop();
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("is one JSON record per line from start to stop, Next's start-up lines and process warnings included", async () => {
    server = await startServerProcess({
      env: {
        NODE_ENV: "production", LOG_FORMAT: "json", LOG_LEVEL: "debug", DATA_DIR: path.join(dir, "data"),
        S3_BUCKET: "hibiki-files", S3_ENDPOINT: `http://127.0.0.1:${s3Port}`, S3_FORCE_PATH_STYLE: "true", S3_ACCESS_KEY_ID: "S3RVER", S3_SECRET_ACCESS_KEY: "S3RVER",
      },
    });
    // A page, so Next has served something too.
    expect((await fetch(`${server.url}/setup`)).status).toBe(200);
    await server.stop();
    // stdout and stderr, as journald and `docker logs` take them.
    const lines = server.output().split("\n").filter((l) => l.trim() !== "");
    const notJson = lines.filter((l) => {
      try {
        return typeof JSON.parse(l) !== "object";
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    const records = lines.map((l) => JSON.parse(l) as { msg?: string; module?: string; level: number });
    // Next's line is a record (debug), not text of its own; the server said it was ready and shut down.
    expect(records.some((r) => r.module === "next" && /next\.config/.test(r.msg ?? ""))).toBe(true);
    expect(records.some((r) => r.msg === "shut down")).toBe(true);
  });

  // From the same trial: pretty lines written to a file or a pipe carried terminal colour codes.
  it("writes LOG_FORMAT=pretty lines without terminal colours when stdout is not a terminal", async () => {
    const pretty = await startServerProcess({ env: { NODE_ENV: "production", LOG_FORMAT: "pretty", LOG_LEVEL: "info", DATA_DIR: path.join(dir, "pretty") } });
    // /healthz answers before the ready line is written (it follows a database read).
    await until(() => /Hibiki is ready/.test(pretty.output()), 30_000, "ready line");
    await pretty.stop();
    const out = pretty.output();
    expect(out).toMatch(/INFO.*Hibiki is ready|WARN.*Hibiki is ready/);
    expect(out).toMatch(/INFO.*shut down/);
    expect(out).not.toContain("\x1b[");
  });
});
