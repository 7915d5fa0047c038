/**
 * A PostgreSQL outage while callers identify themselves: the server reaches PostgreSQL through a TCP
 * relay this test cuts (every connection destroyed, new ones refused), as a database restart or a
 * network partition would. A valid session or bot token must then get 503 (try again), never 401 (as if
 * it had been revoked), and work again once the database is back.
 */
import { Writable } from "node:stream";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, freshPostgresUrl, request, startTestServer, until } from "../helpers/server";
import { createLogger } from "../../lib/log";
import { cuttableRelay } from "../helpers/tcp-relay";

if (!process.env.DATABASE_URL) process.stdout.write("skipping the PostgreSQL outage tests: DATABASE_URL is not set\n");
const maybe = process.env.DATABASE_URL ? describe : describe.skip;

/** A fresh PostgreSQL database reached through a relay the test can cut or black-hole: the relay and the URL through it. */
async function relayedDatabase() {
  const direct = (await freshPostgresUrl())!;
  const relay = await cuttableRelay(new URL(direct), 5432);
  const url = new URL(direct);
  url.hostname = "127.0.0.1";
  url.port = String(relay.port);
  return { relay, url };
}

maybe("identifying callers while PostgreSQL is unreachable", () => {
  it("answers a valid session or bot token 503 with Retry-After (and logs why), never 401, and serves them again once the database is back", async () => {
    const { relay, url } = await relayedDatabase();
    let logged = "";
    const log = createLogger({ level: "info", destination: new Writable({ write: (chunk, _e, cb) => ((logged += String(chunk)), cb()) }) });
    const server = await startTestServer({ databaseUrl: url.toString() }, { log });
    try {
      const admin = await setupAdmin(server);
      const bob = await joinAs(server, admin, "bob");
      const bot = (await api(server, "/api/admin/bots", { body: { name: "reporter" }, cookie: admin })).body.token as string;
      const asBot = { authorization: `Bearer ${bot}` };
      const requests: [string, Parameters<typeof api>[2]][] = [
        ["/api/rooms/general/messages", { cookie: bob, body: { text: "hello" } }],
        ["/api/rooms/general/messages", { headers: asBot, body: { text: "build passed" } }],
        ["/api/search?q=hello", { cookie: bob }],
        ["/api/search?q=hello", { headers: asBot }],
        ["/api/notifications/levels", { cookie: bob }],
        ["/api/admin/users", { cookie: admin }],
        ["/api/users?q=b", { cookie: admin }],
        ["/api/notifications/stream", { cookie: bob }],
      ];
      const statuses = async () => {
        const out: string[] = [];
        for (const [path, opts] of requests) {
          // An SSE stream that opens answers 200 at once; its body is not read here.
          const res = path.endsWith("/stream")
            ? await fetch(server.url + path, { headers: { cookie: opts!.cookie! } }).then((r) => (void r.body?.cancel(), { status: r.status, headers: r.headers }))
            : await api(server, path, opts);
          out.push(`${path} ${res.status}${res.status === 503 ? ` retry-after=${res.headers.get("retry-after")}` : ""}`);
        }
        return out;
      };
      const before = await statuses();
      expect(before.every((s) => /\s20[01]$/.test(s))).toBe(true);
      // A connection made before the outage: what it sends meanwhile is "try again shortly", not a fault.
      // (The admin's: a handshake of bob's would be remembered for a few seconds, and bob's below must meet the outage.)
      const live = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
      await call(live, "join-room", "general");

      relay.cut();
      const sent = await request(live, "send-message-to-room", { room: "general", message: "during the outage" });
      expect(sent).toMatchObject({ ok: false, error: { code: "unavailable", retryAfter: 5 } });
      live.disconnect();
      const during = await statuses();
      expect(during).toEqual(requests.map(([path]) => `${path} 503 retry-after=5`));
      expect(logged).toMatch(/"level":50.*"msg":"request failed: the server cannot check who you are right now/);
      // The Socket.IO handshake follows the same rule: not `unauthorized`.
      const refused = await connect(server.url, {}, { extraHeaders: { cookie: bob, origin: server.url } }).then(
        () => null,
        (err: Error & { data?: { code?: string; retryAfter?: number } }) => err.data,
      );
      expect(refused).toMatchObject({ code: "unavailable", retryAfter: 5 });

      relay.restore();
      await until(async () => (await statuses()).every((s) => /\s20[01]$/.test(s)), 15_000, "every request served again");
    } finally {
      relay.restore();
      await server.close();
      await relay.close();
    }
  }, 60_000);

  // A partition that drops packets instead of refusing them (or a failover that leaves the old sockets
  // open): nothing answers and nothing fails. Without a query timeout a send waited for TCP to give up
  // (about 15 minutes), and so did everyone behind it.
  it("answers unavailable once PostgreSQL has been silent for DATABASE_QUERY_TIMEOUT_MS, and recovers when it answers again", async () => {
    const { relay, url } = await relayedDatabase();
    const server = await startTestServer({ databaseUrl: url.toString(), databaseQueryTimeoutMs: 1000 });
    try {
      const admin = await setupAdmin(server);
      const bob = await joinAs(server, admin, "bob");
      const live = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
      await call(live, "join-room", "general");
      relay.blackHole();
      const sent = await live.timeout(15_000).emitWithAck("send-message-to-room", { room: "general", message: "into the void" });
      expect(sent).toMatchObject({ ok: false, error: { code: "unavailable", retryAfter: 5 } });
      const posted = await api(server, "/api/rooms/general/messages", { cookie: bob, body: { text: "hello?" } });
      expect([posted.status, posted.headers.get("retry-after")]).toEqual([503, "5"]);
      live.disconnect();

      relay.restore();
      await until(async () => (await api(server, "/api/rooms/general/messages", { cookie: bob, body: { text: "back" } })).status === 201, 20_000, "sends served again");
    } finally {
      relay.restore();
      await server.close();
      await relay.close();
    }
  }, 60_000);
});
