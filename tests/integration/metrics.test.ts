/**
 * GET /metrics end to end: the real server with METRICS_TOKEN, real Socket.IO clients, real uploads and
 * SSE streams; the exposition text is read with a Prometheus text-format parser.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import parsePrometheusTextFormat, { type Family } from "parse-prometheus-text-format";
import { createLogger } from "../../lib/log";
import { pendingPushes } from "../../lib/push/queue";
import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";
import { upload } from "../helpers/uploads";

const TOKEN = randomBytes(24).toString("hex");
let server: TestServer;
/** A second instance in the same process, with its own token: its numbers must not move with the first's. */
let other: TestServer;
let admin: string;
let alice: string;
let bob: string;
let logged = "";

beforeAll(async () => {
  const sink = new Writable({ write: (chunk, _e, cb) => ((logged += String(chunk)), cb()) });
  server = await startTestServer({ metricsToken: TOKEN, rateLimitMessages: 0 }, { log: createLogger({ level: "debug", destination: sink }) });
  other = await startTestServer({ metricsToken: "other-token" });
  admin = await setupAdmin(server);
  alice = await joinAs(server, admin, "alice");
  bob = await joinAs(server, admin, "bob");
}, 120_000);
afterAll(async () => {
  await server.close();
  await other.close();
});

const get = (s: TestServer, headers: Record<string, string> = {}) => fetch(`${s.url}/metrics`, { headers });

/** One scrape, parsed: families by name. */
async function scrape(s: TestServer = server, token = TOKEN): Promise<Map<string, Family>> {
  const res = await get(s, { authorization: `Bearer ${token}` });
  expect(res.status).toBe(200);
  return new Map(parsePrometheusTextFormat(await res.text()).map((f) => [f.name, f]));
}

/** The value of an unlabelled counter or gauge. */
function value(families: Map<string, Family>, name: string): number {
  const sample = families.get(name)?.metrics[0];
  if (!sample || !("value" in sample)) throw new Error(`no counter or gauge ${name}`);
  return Number(sample.value);
}

/** The number of observations of an unlabelled histogram. */
function count(families: Map<string, Family>, name: string): number {
  const sample = families.get(name)?.metrics[0];
  if (!sample || !("buckets" in sample)) throw new Error(`no histogram ${name}`);
  return Number(sample.count);
}

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie } });

describe("GET /metrics", () => {
  it("answers 404 when METRICS_TOKEN is unset, even to a bearer token", async () => {
    const off = await startTestServer();
    try {
      expect((await get(off)).status).toBe(404);
      expect((await get(off, { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it("refuses a missing header, a wrong token, a token that only starts right and another scheme with 401", async () => {
    const none = await get(server);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect(await none.text()).not.toMatch(/hibiki_/);
    for (const authorization of [`Bearer wrong`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, `Bearer`, TOKEN, "Bearer other-token"]) {
      expect({ authorization, status: (await get(server, { authorization })).status }).toEqual({ authorization, status: 401 });
    }
  });

  it("answers the right bearer token with the Prometheus text format, and never logs the token", async () => {
    const res = await get(server, { authorization: `bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const families = parsePrometheusTextFormat(await res.text());
    const byName = new Map(families.map((f) => [f.name, f]));
    const expected: [string, Family["type"]][] = [
      ["hibiki_socketio_connections", "GAUGE"],
      ["hibiki_rooms_active", "GAUGE"],
      ["hibiki_room_memberships", "GAUGE"],
      ["hibiki_messages_posted_total", "COUNTER"],
      ["hibiki_messages_delivered_total", "COUNTER"],
      ["hibiki_message_ack_seconds", "HISTOGRAM"],
      ["hibiki_message_write_batch_size", "HISTOGRAM"],
      ["hibiki_reaction_write_batch_size", "HISTOGRAM"],
      ["hibiki_join_read_batch_size", "HISTOGRAM"],
      ["hibiki_db_query_seconds", "HISTOGRAM"],
      ["hibiki_sse_streams", "GAUGE"],
      ["hibiki_push_queue_depth", "GAUGE"],
      ["hibiki_upload_bytes_total", "COUNTER"],
      ["hibiki_nodejs_eventloop_lag_seconds", "GAUGE"],
      ["hibiki_process_resident_memory_bytes", "GAUGE"],
    ];
    for (const [name, type] of expected) expect({ name, type: byName.get(name)?.type }).toEqual({ name, type });
    // Naming conventions: one prefix; counters end in _total; nothing is labelled by room or user.
    for (const f of families) {
      expect(f.name).toMatch(/^hibiki_/);
      if (f.type === "COUNTER") expect(f.name).toMatch(/_total$/);
      for (const m of f.metrics) expect(Object.keys(m.labels ?? {}).filter((l) => /room|user/i.test(l))).toEqual([]);
    }
    expect(value(byName, "hibiki_push_queue_depth")).toBe(await pendingPushes(server.db));
    expect(logged).toMatch(/refused a metrics scrape/); // the log is really captured
    expect(logged).not.toContain(TOKEN);
  });

  it("never logs a scrape or a probe as a request, with a query string either (a token put there is not logged)", async () => {
    const before = logged.length;
    // A token in the query string is refused as the API refuses one (an operator trial got 401 here).
    const refused = await fetch(`${server.url}/metrics?token=${TOKEN}`);
    expect(refused.status).toBe(400);
    expect((await fetch(`${server.url}/metrics?access_token=${TOKEN}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(400);
    // The health probes neither (readiness lost and regained has lines of its own).
    for (const probe of ["/healthz", "/readyz", "/readyz?x=1"]) expect((await fetch(`${server.url}${probe}`)).status).toBe(200);
    // A request that is logged, after it: its line is the positive control.
    expect((await fetch(`${server.url}/api/nope?after=metrics`)).status).toBe(404);
    await until(() => logged.slice(before).includes('"path":"/api/nope"'), 5000, "the request line of the control");
    const lines = logged.slice(before).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.module === "http").map((l) => l.req?.path)).toEqual(["/api/nope"]);
    expect(logged).not.toContain(TOKEN);
  });

  it("counts connections, joins, a posted and delivered message, its ack and its database statements", async () => {
    const before = await scrape();
    const otherBefore = await scrape(other, "other-token");
    const a = await as(alice);
    const b = await as(bob);
    await call(a, "join-room", "general");
    await call(b, "join-room", "general");
    const joined = await scrape();
    expect(value(joined, "hibiki_socketio_connections")).toBe(value(before, "hibiki_socketio_connections") + 2);
    expect(value(joined, "hibiki_room_memberships")).toBe(value(before, "hibiki_room_memberships") + 2);
    expect(value(joined, "hibiki_rooms_active")).toBeGreaterThanOrEqual(1);

    const got = new Promise((resolve) => b.once("receive-message", resolve));
    await call(a, "send-message-to-room", { room: "general", message: "counted" });
    await got;
    const after = await scrape();
    expect(value(after, "hibiki_messages_posted_total")).toBe(value(joined, "hibiki_messages_posted_total") + 1);
    expect(value(after, "hibiki_messages_delivered_total")).toBe(value(joined, "hibiki_messages_delivered_total") + 2);
    expect(count(after, "hibiki_message_ack_seconds")).toBe(count(joined, "hibiki_message_ack_seconds") + 1);
    expect(count(after, "hibiki_message_write_batch_size")).toBe(count(joined, "hibiki_message_write_batch_size") + 1);
    expect(count(after, "hibiki_db_query_seconds")).toBeGreaterThan(count(joined, "hibiki_db_query_seconds"));
    const ack = after.get("hibiki_message_ack_seconds")!.metrics[0] as { sum: string };
    expect(Number(ack.sum)).toBeGreaterThan(0);

    // The other instance in this process has its own registry: nothing of this moved it.
    const otherAfter = await scrape(other, "other-token");
    expect(value(otherAfter, "hibiki_messages_posted_total")).toBe(value(otherBefore, "hibiki_messages_posted_total"));
    expect(value(otherAfter, "hibiki_socketio_connections")).toBe(0);

    a.disconnect();
    b.disconnect();
    await until(async () => value(await scrape(), "hibiki_socketio_connections") === value(before, "hibiki_socketio_connections"), 5000, "the gauge to drop");
    expect(value(await scrape(), "hibiki_room_memberships")).toBe(value(before, "hibiki_room_memberships"));
  });

  it("adds the bytes of an accepted upload to hibiki_upload_bytes_total", async () => {
    const before = value(await scrape(), "hibiki_upload_bytes_total");
    const bytes = Buffer.from("plain text, counted by the byte\n".repeat(40));
    const res = await upload(server, "general", { name: "notes.txt", bytes, type: "text/plain" }, { cookie: alice });
    expect(res.status).toBe(201);
    expect(value(await scrape(), "hibiki_upload_bytes_total")).toBe(before + bytes.length);
  });

  it("shows open Server-Sent Event streams", async () => {
    const before = value(await scrape(), "hibiki_sse_streams");
    const stream = await openStream(`${server.url}/api/notifications/stream`, { cookie: alice });
    expect(stream.status).toBe(200);
    await until(async () => value(await scrape(), "hibiki_sse_streams") === before + 1, 5000, "the stream to count");
    stream.close();
    await until(async () => value(await scrape(), "hibiki_sse_streams") === before, 5000, "the stream to close");
  });

  it("serves every metric that the Grafana dashboard in deploy/grafana queries, and the dashboard has a panel for each of ours", async () => {
    const dashboard = JSON.parse(readFileSync(path.join(__dirname, "../../deploy/grafana/hibiki.json"), "utf8")) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    const queried = new Set(exprs.flatMap((e) => [...e.matchAll(/\bhibiki_[a-z0-9_]+/g)].map((m) => m[0])));
    const families = await scrape();
    // A histogram is queried through its _bucket, _sum and _count series.
    const family = (name: string) => (families.has(name) ? name : name.replace(/_(bucket|sum|count)$/, ""));
    for (const name of queried) expect({ name, served: families.has(family(name)) }).toEqual({ name, served: true });
    const ours = [...families.keys()].filter((n) => !/^hibiki_(nodejs|process)_/.test(n));
    const shown = new Set([...queried].map(family));
    for (const name of ours) expect({ name, shown: shown.has(name) }).toEqual({ name, shown: true });
  });
});
