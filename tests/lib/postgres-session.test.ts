import { openDatabase, type Database } from "../../lib/db";
import { freshPostgresUrl } from "../helpers/server";

/**
 * Settings every pooled PostgreSQL connection gets (lib/db/postgres.ts): no JIT compilation, which made
 * batch statements (indexing 5,000 search documents) several times slower than without it.
 */
describe("PostgreSQL connections", () => {
  let db: Database | undefined;
  afterAll(() => db?.close());

  it("run with JIT compilation off, on every connection of the pool", async () => {
    const url = await freshPostgresUrl();
    if (!url) {
      process.stdout.write("skipping PostgreSQL session test: DATABASE_URL is not set\n");
      return;
    }
    db = await openDatabase({ dataDir: "unused", databaseUrl: url });
    // Four transactions held open at once take four connections of the pool.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    let started = 0;
    const all = Array.from({ length: 4 }, () =>
      db!.transaction(async (tx) => {
        const [row] = await tx.query<{ jit: string; pid: number }>("select current_setting('jit') as jit, pg_backend_pid() as pid");
        seen.push(`${row.pid}:${row.jit}`);
        if (++started === 4) release();
        await held;
      }),
    );
    await Promise.all(all);
    expect(new Set(seen.map((s) => s.split(":")[0])).size).toBe(4);
    expect(seen.map((s) => s.split(":")[1])).toEqual(["off", "off", "off", "off"]);
  });
});
