/**
 * On PostgreSQL the server merges the search index's GIN pending list itself, shortly after messages are
 * stored (lib/db/gin-pending-list.ts, wired in server.ts), so no insert has to do it inside its commit.
 * Messages sent through the real server; the list's size read with pgstattuple's pgstatginindex(), which
 * only reads (gin_clean_pending_list() would merge it itself). Without the server's merges, 300 messages'
 * entries stay pending: far below PostgreSQL's 4 MB limit, so no insert merges them.
 */
import { Client } from "pg";
import { setupAdmin } from "../helpers/http";
import { call, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

const pg = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) process.stdout.write("skipping the search index merges: DATABASE_URL is not set\n");

pg("the search index's pending list on PostgreSQL", () => {
  let server: TestServer;
  let reader: Client;
  beforeAll(async () => {
    const databaseUrl = await freshPostgresUrl();
    server = await startTestServer({ databaseUrl, linkPreviews: false, rateLimitMessages: 0 });
    reader = new Client({ connectionString: databaseUrl });
    await reader.connect();
    // In its own schema, once for the database: other suites' schemas do not see it.
    await reader.query("create schema if not exists pgstattuple_ext").catch(() => undefined);
    await reader.query("create extension if not exists pgstattuple schema pgstattuple_ext").catch(async (err: { code?: string }) => {
      // Two suites creating it at once: the other one won.
      if (err.code !== "23505" && err.code !== "42710") throw err;
    });
  }, 120_000);
  afterAll(async () => {
    await reader?.end();
    await server?.close();
  });

  const pending = async () =>
    Number((await reader.query<{ pages: string }>("select pending_pages::text as pages from pgstattuple_ext.pgstatginindex('message_search_doc'::regclass)")).rows[0].pages);

  it("is merged by the server soon after messages are stored, not left to an insert", async () => {
    const admin = await setupAdmin(server, "alice");
    const alice = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
    await call(alice, "join-room", "general");
    // 100 at a time (a connection may have at most 128 requests unanswered).
    for (let i = 0; i < 300; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, k) =>
          call(alice, "send-message-to-room", { room: "general", message: `deploy ${i + k} of the release, 打ち合わせ ${k % 13} and review ${k * 7}` }),
        ),
      );
    }
    // While they are stored, entries collect in the list; the server merges them within about a second.
    await until(async () => (await pending()) === 0, 15_000, "an empty pending list");
    // And the messages are found, merged or not.
    const res = await fetch(`${server.url}/api/search?q=${encodeURIComponent("打ち合わせ")}`, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
    alice.disconnect();
  });
});
