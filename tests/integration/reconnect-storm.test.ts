/**
 * Issue #17, item 3: after a restart every client comes back at once (a reconnect storm). The connect
 * throttle (CONNECT_CONCURRENCY, lib/admission.ts) lets only that many handshakes reach the
 * database together; the others wait their turn without failing, and a full queue is refused at once with
 * a `retryAfter` the web client honours.
 *
 * The database is the real one, wrapped (startServer's `wrapDatabase` hook) to count the handshakes'
 * identity statements in flight and, while the test holds them, to keep them from finishing: a database
 * too slow for the storm, made deterministic. Without the throttle every reconnecting client's statement
 * is in flight at once.
 */
import { randomUUID } from "node:crypto";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { io as ioClient, type Socket } from "socket.io-client";
import type { Database, Queryable } from "../../lib/db";
import { RECONNECTION, retryDelayOf } from "../../components/chat/reconnection";
import { connect, startTestServer, track, until, type TestServer } from "../helpers/server";
import { parseLimitOverrides } from "../../lib/limits";

/** The handshake's one statement: who this is (guest, bearer token or session) and their rooms. */
const IDENTITY = /\b(admit_guest|token_identity|session_identity)\(/;
const TOKEN = `t-${randomUUID()}`;

/** Counts identity statements in flight (and the most at once), and holds them while `holding`. */
class IdentityProbe {
  inFlight = 0;
  maxInFlight = 0;
  started = 0;
  holding = false;
  private parked: (() => void)[] = [];

  get held(): number {
    return this.parked.length;
  }

  release() {
    this.holding = false;
    for (const go of this.parked.splice(0)) go();
  }

  /** The wrapDatabase hook. */
  wrap = (db: Database): Database => {
    const probe = (q: Queryable): Queryable => ({
      query: async (sql, params) => {
        if (!IDENTITY.test(sql)) return q.query(sql, params);
        this.started++;
        this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
        try {
          if (this.holding) await new Promise<void>((go) => this.parked.push(go));
          return await q.query(sql, params);
        } finally {
          this.inFlight--;
        }
      },
      exec: (sql) => q.exec(sql),
    });
    return { ...probe(db), kind: db.kind, transaction: (fn) => db.transaction((tx) => fn(probe(tx))), ping: () => db.ping(), close: () => db.close() };
  };
}

/** The throttle's gauges and refusal counter, from one /metrics scrape. */
async function throttleMetrics(server: TestServer) {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const families = new Map(parsePrometheusTextFormat(await res.text()).map((f) => [f.name, f]));
  const value = (name: string) => {
    const sample = families.get(name)?.metrics[0];
    if (!sample || !("value" in sample)) throw new Error(`no gauge or counter ${name}`);
    return Number(sample.value);
  };
  return {
    inFlight: value("hibiki_socketio_handshakes_in_flight"),
    waiting: value("hibiki_socketio_handshakes_waiting"),
    refused: value("hibiki_socketio_handshakes_refused_total"),
  };
}

/**
 * A client as the web client keeps its connection: socket.io-client's reconnection with the web client's
 * backoff, its room joined again on every connect (10 s for the answer, the web client's limit), and a
 * refusal with `retryAfter` retried after it. Every connect_error and every failed join is a failed attempt.
 */
function stormClient(url: string, name: string, room: string) {
  const socket = track(ioClient(url, { auth: { name }, transports: ["websocket"], forceNew: true, ...RECONNECTION }));
  const state = { socket, joins: 0, failures: 0 };
  socket.on("connect", () => {
    socket
      .timeout(10_000)
      .emitWithAck("join-room", room)
      .then(
        (res: { ok: boolean }) => (res.ok ? state.joins++ : state.failures++),
        () => state.failures++,
      );
  });
  socket.on("connect_error", (err) => {
    state.failures++;
    const delay = retryDelayOf(err);
    if (delay !== null && !socket.active) setTimeout(() => socket.connect(), delay);
  });
  return state;
}

describe("reconnect storm", () => {
  const GATE = 8;
  const CLIENTS = 300;
  const probe = new IdentityProbe();
  let server: TestServer;

  beforeAll(async () => {
    // The 300 guests come from one address, and guests count per address: their 30 rooms would pass the
    // create-room row, and their 300 names the guest-names row (the limiter table is tested in limits.test.ts).
    server = await startTestServer({ guestAccess: true, connectConcurrency: GATE, metricsToken: TOKEN, rateLimits: parseLimitOverrides("create-room=0,guest-names=0") }, { wrapDatabase: probe.wrap });
  });
  afterAll(() => server.close());

  it("admits every client again after a mass disconnect, at most CONNECT_CONCURRENCY handshakes at the database at once", async () => {
    const run = randomUUID().slice(0, 6);
    const clients = Array.from({ length: CLIENTS }, (_, i) => stormClient(server.url, `storm-${run}-${i}`, `storm-${run}-${i % 30}`));
    await until(() => clients.every((c) => c.joins === 1), 60_000, `${CLIENTS} clients to connect and join`);

    // Every transport drops at once, as in a restart; the clients come back by themselves.
    probe.holding = true;
    for (const socket of server.io.of("/").sockets.values()) socket.conn.close();
    // Every returning handshake is either at the database (held there) or waiting for a turn.
    let waiting = 0;
    await until(
      async () => {
        waiting = (await throttleMetrics(server)).waiting;
        return probe.held + waiting === CLIENTS;
      },
      30_000,
      "every client to be back at the door",
    );
    expect(probe.held).toBe(GATE);
    expect(waiting).toBe(CLIENTS - GATE);
    expect((await throttleMetrics(server)).inFlight).toBe(GATE);

    probe.release();
    await until(() => clients.every((c) => c.joins === 2), 60_000, "every client to join its room again");
    expect(probe.maxInFlight).toBeLessThanOrEqual(GATE);
    expect(clients.filter((c) => c.failures > 0).map((c) => c.failures)).toEqual([]);
    const after = await throttleMetrics(server);
    expect(after).toEqual({ inFlight: 0, waiting: 0, refused: 0 });
  }, 120_000);
});

describe("connect throttle queue", () => {
  const probe = new IdentityProbe();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ guestAccess: true, connectConcurrency: 2, connectQueueMax: 3, metricsToken: TOKEN }, { wrapDatabase: probe.wrap });
  });
  afterAll(() => server.close());

  it("refuses handshakes past CONNECT_QUEUE_MAX at once with rate_limited and retryAfter, and admits the queue in order", async () => {
    probe.holding = true;
    const run = randomUUID().slice(0, 6);
    const outcomes: string[] = [];
    const attempts = Array.from({ length: 8 }, (_, i) =>
      connect(server.url, { name: `queue-${run}-${i}` }).then(
        (socket) => (outcomes.push(`connected ${i}`), socket),
        (err: Error & { data?: { code?: string; retryAfter?: number } }) => {
          outcomes.push(`refused ${err.data?.code} ${err.data?.retryAfter !== undefined && err.data.retryAfter >= 1}`);
          return null;
        },
      ),
    );
    await until(async () => {
      const m = await throttleMetrics(server);
      return probe.held === 2 && m.waiting === 3 && m.refused === 3 && outcomes.length === 3;
    }, 20_000, "two handshakes at the database, three waiting, three refused");
    expect(outcomes).toEqual(Array(3).fill("refused rate_limited true"));

    probe.release();
    const sockets = (await Promise.all(attempts)).filter((s): s is Socket => s !== null);
    expect(sockets).toHaveLength(5);
    expect(probe.started).toBe(5);
  });

  it("skips a handshake whose client left while it waited: no database work for it", async () => {
    probe.holding = true;
    const run = randomUUID().slice(0, 6);
    const started = probe.started;
    const first = connect(server.url, { name: `first-${run}` });
    const second = connect(server.url, { name: `second-${run}` });
    const leaving = track(ioClient(server.url, { auth: { name: `leaving-${run}` }, transports: ["websocket"], reconnection: false, forceNew: true }));
    await until(async () => probe.held === 2 && (await throttleMetrics(server)).waiting === 1, 20_000, "two at the database, one waiting");
    leaving.disconnect();
    // The leaving client's engine connection is closed once the server has seen it go.
    await until(() => server.io.engine.clientsCount === 2, 20_000, "the server to see the client go");
    probe.release();
    await Promise.all([first, second]);
    // A positive control: one more client is admitted after the skipped one, with its own statement.
    await connect(server.url, { name: `after-${run}` });
    expect(probe.started - started).toBe(3);
    expect(await throttleMetrics(server)).toMatchObject({ inFlight: 0, waiting: 0 });
  });
});

describe("connect throttle turns", () => {
  /** The names whose identity statements started, in order (admit_guest's second parameter is the name). */
  const started: string[] = [];
  const probe = new IdentityProbe();
  const recording = (db: Database): Database => {
    const inner = probe.wrap(db);
    const record = (q: Queryable): Queryable => ({
      query: (sql, params) => {
        if (IDENTITY.test(sql)) started.push(String(params?.find((p) => typeof p === "string" && p.startsWith("turn-")) ?? "?"));
        return q.query(sql, params);
      },
      exec: (sql) => q.exec(sql),
    });
    return { ...record(inner), kind: inner.kind, transaction: (fn) => inner.transaction((tx) => fn(record(tx))), ping: () => inner.ping(), close: () => inner.close() };
  };
  let server: TestServer;

  beforeAll(async () => {
    // Behind the default TRUST_PROXY (loopback), X-Forwarded-For names the client's address.
    server = await startTestServer(
      { guestAccess: true, connectConcurrency: 1, metricsToken: TOKEN, rateLimits: parseLimitOverrides("guest-names=0") },
      { wrapDatabase: recording },
    );
  });
  afterAll(() => server.close());

  const from = (address: string, name: string) =>
    connect(server.url, { name }, { extraHeaders: { "x-forwarded-for": address } });

  it.each([
    ["IPv4", "198.51.100.7", "203.0.113.9"],
    ["IPv6, one /64 counting as one address", "2001:db8:1:1::a", "2001:db8:1:2::b"],
  ])("serves addresses round-robin (%s): one address's flood of handshakes waits behind itself, not in front of others", async (_what, flooder, other) => {
    const run = randomUUID().slice(0, 6);
    started.length = 0;
    probe.holding = true;
    // The flood: 20 handshakes from one address (an IPv6 flood varies the rest of its /64).
    const floodAddress = (i: number) => (flooder.includes(":") ? `${flooder.slice(0, flooder.lastIndexOf(":") + 1)}${(i + 1).toString(16)}` : flooder);
    const flood = Array.from({ length: 20 }, (_, i) => from(floodAddress(i), `turn-${run}-flood-${i}`));
    await until(async () => probe.held === 1 && (await throttleMetrics(server)).waiting === 19, 20_000, "one flood handshake at the database, 19 waiting");
    // Someone else arrives last.
    const late = from(other, `turn-${run}-other`);
    await until(async () => (await throttleMetrics(server)).waiting === 20, 20_000, "the other address's handshake waiting too");
    probe.release();
    const sockets = await Promise.all([...flood, late]);
    expect(sockets.every((s) => s.connected)).toBe(true);
    const order = started.filter((n) => n.includes(run));
    expect(order).toHaveLength(21);
    // First-come-first-served would put it 21st; by address it is served after one more of the flood.
    expect(order.indexOf(`turn-${run}-other`)).toBe(2);
    for (const s of sockets) s.disconnect();
  });
});
