/**
 * A server started on a database from before migration 34 whose names already collide under the second
 * name key ("Kate" and "Κate" with a Greek capital Kappa): it starts, keeps every name, warns the
 * operator of each pair, and refuses new look-alikes. On PGlite (a data dir on disk) and PostgreSQL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { Database } from "../../lib/db";
import { openPglite } from "../../lib/db/pglite";
import { openPostgres } from "../../lib/db/postgres";
import { hashPassword } from "../../lib/auth/secrets";
import { createLogger } from "../../lib/log";
import { nameKey } from "../../lib/text/skeleton";
import { api } from "../helpers/http";
import { migratedTo } from "../helpers/migrations";
import { freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

const PASSWORD = "correct horse battery";

/** Stores names as a server before migration 34 did: the first key only. */
async function seedOldNames(db: Database): Promise<void> {
  const hash = await hashPassword(PASSWORD);
  for (const name of ["Kate", "\u039aate", "alice", "aIice", "Hana"]) {
    await db.query("insert into users (name, name_key, kind, password_hash, is_admin) values ($1, $2, 'user', $3, $4)", [name, nameKey(name), hash, name === "Kate"]);
  }
  for (const name of ["general", "generaI"]) await db.query("insert into rooms (name, name_key, kind) values ($1, $2, 'public')", [name, nameKey(name)]);
}

type Backend = { start: (log: ReturnType<typeof createLogger>) => Promise<TestServer | undefined>; cleanup?: () => void };
const backends: [string, () => Backend][] = [
  [
    "PGlite",
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), "hibiki-names-"));
      return {
        start: async (log) => {
          const db = await migratedTo(33, await openPglite(dir, { createHere: true }));
          await seedOldNames(db);
          await db.close();
          return startTestServer({ dataDir: dir }, { log });
        },
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  ],
  [
    "PostgreSQL",
    () => ({
      start: async (log) => {
        const url = await freshPostgresUrl();
        if (!url) return undefined;
        const db = await migratedTo(33, await openPostgres(url));
        await seedOldNames(db);
        await db.close();
        return startTestServer({ databaseUrl: url }, { log });
      },
    }),
  ],
];

describe.each(backends)("starting on an old database with colliding names (%s)", (backendName, make) => {
  let server: TestServer | undefined;
  let backend: Backend;
  const records: { level: number; msg: string; name?: string; heldBy?: { name: string } }[] = [];
  beforeAll(async () => {
    backend = make();
    let partial = "";
    const destination = new Writable({
      write: (chunk, _enc, cb) => {
        const lines = (partial + String(chunk)).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) if (line) records.push(JSON.parse(line));
        cb();
      },
    });
    server = await backend.start(createLogger({ level: "warn", destination }));
    if (!server) process.stdout.write(`skipping ${backendName} startup name tests: DATABASE_URL is not set\n`);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    backend?.cleanup?.();
  });
  const t = (name: string, fn: (server: TestServer) => Promise<void>) => it(name, async () => (server ? fn(server) : undefined));

  t("starts, keeps every name, and warns of each pair by name", async (s) => {
    await until(() => records.filter((r) => r.name !== undefined).length === 3, 5000, "three name warnings");
    const warned = records.filter((r) => r.name !== undefined).map((r) => [r.level, r.name, r.heldBy?.name]);
    expect(warned).toEqual([
      [40, "\u039aate", "Kate"],
      [40, "aIice", "alice"],
      [40, "generaI", "general"],
    ]);
    expect(records.find((r) => r.name === "\u039aate")?.msg).toMatch(/user name "Κate" \(id \d+\) looks the same as "Kate" \(id \d+\)/);
    const names = await s.db.query<{ name: string }>("select name from users union all select name from rooms order by 1");
    expect(names.map((r) => r.name).sort()).toEqual(["Hana", "Kate", "aIice", "alice", "general", "generaI", "\u039aate"].sort());
  });

  t("signs both look-alikes in and refuses new look-alikes of either", async (s) => {
    const kate = await api(s, "/api/session", { body: { name: "Kate", password: PASSWORD } });
    expect(kate.status).toBe(200);
    expect((await api(s, "/api/session", { body: { name: "\u039aate", password: PASSWORD } })).body.user.name).toBe("\u039aate");
    // Cyrillic capital En: only the second key (filled in at the start) refuses it.
    expect((await api(s, "/api/admin/bots", { body: { name: "\u041dana" }, cookie: kate.cookie })).status).toBe(409);
    for (const name of ["\u039aATE", "KATE", "a\u0406ice"]) { // Cyrillic capital Byelorussian-Ukrainian I
      expect((await api(s, "/api/admin/bots", { body: { name }, cookie: kate.cookie })).status).toBe(409);
    }
    expect((await api(s, "/api/admin/bots", { body: { name: "katebot" }, cookie: kate.cookie })).status).toBe(201);
  });
});
