/**
 * What a small deployment's server loads at start. Image processing (sharp), the link-preview scraper,
 * Web Push, node-postgres, Redis and the S3 client are loaded by their first use, so a server on PGlite
 * with local files, one instance, does without their resident memory (about 35 MiB of the idle
 * footprint together; measured by `npm run bench`'s `idle` scenario, not here). Runs the compiled
 * production server (dist/, which `npm test` builds), as `node dist/server.js` does.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServerProcess, ROOT } from "../helpers/process";
import { setupAdmin } from "../helpers/http";
import { png, upload } from "../helpers/uploads";
import { until, type TestServer } from "../helpers/server";

/** Packages loaded only where they are needed (package names as they appear in node_modules paths). */
const ON_DEMAND = ["sharp", "open-graph-scraper", "web-push", "pg", "ioredis", "@socket.io/redis-streams-adapter", "@aws-sdk/client-s3"];

describe("modules loaded at start", () => {
  let dir: string;
  let preload: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "hibiki-idle-modules-"));
    // Run before the server: on SIGUSR2 it writes every module it has loaded (to a temporary name, then
    // renamed, so the file is never seen half-written).
    preload = path.join(dir, "list-modules.cjs");
    writeFileSync(
      preload,
      `process.on("SIGUSR2", () => { const fs = require("node:fs"); const to = process.env.MODULE_LIST; ` +
        `fs.writeFileSync(to + ".tmp", JSON.stringify(Object.keys(require.cache))); fs.renameSync(to + ".tmp", to); });\n`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The packages among ON_DEMAND that the server had loaded when it stopped after `use` ran. */
  async function loadedPackages(name: string, use: (server: TestServer) => Promise<void> = async () => undefined) {
    const list = path.join(dir, `${name}.json`);
    const server = await startServerProcess({
      entry: ["--require", preload, path.join(ROOT, "dist/server.js")],
      env: { DATA_DIR: path.join(dir, "data"), MODULE_LIST: list },
    });
    let files: string[];
    try {
      await use({ url: server.url } as TestServer);
      server.child.kill("SIGUSR2");
      await until(async () => existsSync(list), 10_000, `the module list (server output: ${server.output().slice(-1000)})`);
      files = JSON.parse(readFileSync(list, "utf8")) as string[];
    } finally {
      await server.stop();
    }
    expect(files.some((f) => f.includes(`${path.sep}lib${path.sep}files${path.sep}inspect.js`))).toBe(true);
    return ON_DEMAND.filter((pkg) => files.some((f) => f.includes(`${path.sep}node_modules${path.sep}${pkg}${path.sep}`)));
  }

  it(
    "a first start generates the VAPID keys (web-push), and loads none of the others",
    async () => {
      expect(await loadedPackages("first")).toEqual(["web-push"]);
    },
    120_000,
  );

  it(
    "a restart loads none of them; the first image upload loads sharp",
    async () => {
      expect(await loadedPackages("restart")).toEqual([]);
      const afterUpload = await loadedPackages("upload", async (server) => {
        const cookie = await setupAdmin(server);
        const res = await upload(server, "general", { name: "dot.png", bytes: await png(8, 8), type: "image/png" }, { cookie, origin: server.url });
        expect(res.status).toBe(201);
      });
      expect(afterUpload).toEqual(["sharp"]);
    },
    120_000,
  );
});
