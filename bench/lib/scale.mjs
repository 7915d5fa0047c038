// The scale scenarios, both opt-in (they run only when BENCH_SCENARIOS names them):
//   c50k     BENCH_C50K_CONNECTIONS (50,000) authenticated idle connections on one instance, spread over
//            BENCH_C50K_ROOMS (1,000) rooms; a broadcast in every room; RSS per connection; then the
//            server restarts and every client reconnects by itself (socket.io-client's backoff with
//            jitter): the time until all are back, and how many attempts failed on the way.
//   cluster  fan-out on one instance, then on BENCH_CLUSTER_INSTANCES (3) instances sharing PostgreSQL and
//            Redis with the clients spread over them (delivery ratio, same- and cross-instance latency),
//            then the same with one instance killed (SIGKILL) halfway: its clients reconnect to the
//            others with `auth.lastSeen`, and every acknowledged message is counted at every client.
// Both drive "held" clients (bench/lib/worker.mjs `hold`): raw WebSocket clients that reconnect as
// socket.io-client does.
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { Hist, nowUs } from "./hist.mjs";
import { acceptQueueSampler, listenCounters, sleep } from "./proc.mjs";
import { RUN_DIR, setupHibiki, startServer } from "./servers.mjs";
import { socketUrl } from "./wire.mjs";

const fmtMs = (us) => us / 1000;
/**
 * Connections per loopback source address. A connect from a given address first binds a free port of
 * it, and the kernel finds one by probing the ephemeral range (~28,000 ports): the fuller the range, the
 * longer each bind takes (at 10,000 per address the generator spent most of its CPU in the kernel).
 */
const PER_SOURCE_ADDRESS = 1000;
/**
 * Source addresses 127.<run>.<use>.2, .3, …: a second octet per bench run and a third per use, so no
 * address carries ports left in TIME_WAIT by an earlier run or target (binding to a source address
 * searches its ports one by one, and thousands in TIME_WAIT make every connect slow).
 */
const RUN_OCTET = 1 + Math.floor(Math.random() * 250);
let sourceUses = 0;
const sourceAddresses = () => {
  const use = sourceUses++ % 256;
  return (gid) => `127.${RUN_OCTET}.${use}.${2 + Math.floor(gid / PER_SOURCE_ADDRESS)}`;
};

const sum = (list, k) => list.reduce((a, r) => a + (r[k] ?? 0), 0);
const mergeCounts = (list, k) => {
  const out = {};
  for (const r of list) for (const [key, v] of Object.entries(r[k] ?? {})) out[key] = (out[key] ?? 0) + v;
  return out;
};

/** The held clients' state summed over the generators (holdStats). */
async function heldStats(ctx, args) {
  const res = await ctx.pool.all("holdStats", () => args, 60_000);
  return {
    total: sum(res, "total"),
    joined: sum(res, "joined"),
    rejoined: sum(res, "rejoined"),
    lastJoinAt: Math.max(0, ...res.map((r) => r.lastJoinAt)),
    failures: sum(res, "failures"),
    withFailures: sum(res, "withFailures"),
    withMoreThanOne: sum(res, "withMoreThanOne"),
    maxFailures: Math.max(0, ...res.map((r) => r.maxFailures)),
    reasons: mergeCounts(res, "reasons"),
    firstFailure: Math.min(Infinity, ...res.filter((r) => r.firstFailure > 0).map((r) => r.firstFailure)),
    lastFailure: Math.max(0, ...res.map((r) => r.lastFailure)),
    lbSkips: sum(res, "lbSkips"),
    drops: sum(res, "drops"),
  };
}

/** Opens held clients (specs split over the generators by gid) and waits until all joined or waitMs. */
async function holdAll(ctx, specs, opts) {
  const per = ctx.pool.workers.map(() => []);
  for (const s of specs) per[s.gid % ctx.pool.size].push(s);
  const waitMs = opts.waitMs ?? 300_000;
  const t0 = performance.now();
  await ctx.pool.all("hold", (i) => ({ ...opts, conns: per[i], waitMs }), waitMs + 60_000);
  const ms = performance.now() - t0;
  return { ms, ...(await heldStats(ctx, {})) };
}

// ------------------------------------------------------------------------------------------------ c50k
/**
 * C50K: `n` authenticated idle connections on one instance, over `rooms` rooms and `users` accounts
 * (connection i: room i mod rooms, account i mod users; with the defaults, 50,000 / 1,000 / 2,000, every
 * account has 25 connections, all in its one room, and every room 2 accounts: nobody watches rooms it
 * is not in, whose `room-activity` would multiply the deliveries with the number of tabs);
 * RSS per connection after a forced GC against the baseline after set-up;
 * one message in every room (all delivered?); then a graceful restart on the same port and data and the
 * reconnect storm.
 */
export async function c50k(ctx, h) {
  const { c50kConnections: n, c50kRooms: rooms, c50kUsers: users } = ctx.cfg;
  const hibiki = ctx.server.kind !== "bare";
  if (ctx.cfg.c50kCappedFrom) ctx.log(`  ${n} connections, not ${ctx.cfg.c50kCappedFrom}: the open-files hard limit here is ${ctx.cfg.c50kHardLimit} (see docs/operations.md)`);
  ctx.tokens = await h.ensureBots(ctx, users);
  await sleep(1000);
  await h.waitQuiet(ctx);
  const before = await ctx.server.mem();
  const specs = [];
  const sourceOf = sourceAddresses();
  for (let gid = 0; gid < n; gid++) {
    specs.push({
      gid,
      auth: h.authFor(ctx, gid % users),
      rooms: [`c50k-${gid % rooms}`],
      local: sourceOf(gid),
    });
  }
  const url = socketUrl(ctx.server.url);
  const meter = h.cpuMeter(ctx);
  const q0 = listenCounters();
  const aq = acceptQueueSampler(ctx.server.port);
  const c = await holdAll(ctx, specs, { urls: [url], concurrency: 100 });
  const cpu = meter();
  const q1 = listenCounters();
  const aqConnect = aq.stop();
  ctx.cpuSample("connect + join", cpu);
  ctx.log(
    `  ${c.joined} of ${n} connected and joined ${rooms} rooms in ${(c.ms / 1000).toFixed(1)} s (${Math.round(c.joined / (c.ms / 1000))}/s); ` +
      `${c.failures} failed attempts${c.failures ? ` ${JSON.stringify(c.reasons).slice(0, 300)}` : ""}`,
  );
  await sleep(3000);
  const after = await ctx.server.mem();
  const mib = (b) => b / 2 ** 20;
  ctx.log(`  RSS ${mib(before.rss).toFixed(0)} → ${mib(after.rss).toFixed(0)} MiB, heap ${mib(before.heapUsed).toFixed(0)} → ${mib(after.heapUsed).toFixed(0)} MiB`);
  ctx.record("connections", c.joined, "int");
  if (ctx.cfg.c50kCappedFrom) ctx.record("…asked for (capped by the open-files limit)", ctx.cfg.c50kCappedFrom, "int");
  ctx.record("rooms", rooms, "int");
  ctx.record("RSS per connection (KiB)", (after.rss - before.rss) / Math.max(1, c.joined) / 1024, "kib");
  ctx.record("heap per connection (KiB)", after.heapUsed !== undefined ? (after.heapUsed - before.heapUsed) / Math.max(1, c.joined) / 1024 : NaN, "kib");
  ctx.record("baseline RSS (MiB)", mib(before.rss), "mib");
  ctx.record(`RSS with all connected (MiB)`, mib(after.rss), "mib");
  ctx.record("connect + join rate (conn/s)", c.joined / (c.ms / 1000), "int");
  ctx.record("failed attempts while connecting", c.failures, "int");
  ctx.record("listen queue overflows while connecting (machine)", q1.overflows - q0.overflows, "int");
  ctx.record("accept queue peak while connecting (backlog)", `${aqConnect.peak} (${aqConnect.backlog})`, "text");
  ctx.recordCpu(cpu);
  if (c.joined < n) throw new Error(`only ${c.joined} of ${n} connections joined`);

  // One message in every room, from the room's first connection (gid r is in room r).
  await h.waitQuiet(ctx);
  const runId = h.nextRunId();
  const res = await ctx.pool.all(
    "run",
    (i) => ({
      runId,
      senders: Array.from({ length: Math.min(rooms, n) }, (_, r) => r)
        .filter((gid) => gid % ctx.pool.size === i)
        .map((gid) => ({ gid, room: `c50k-${gid}`, rate: 1, tag: gid, phase: gid / rooms })),
      durationMs: 1000,
      drainMaxMs: 30_000,
      quietMs: 1000,
      pad: h.PAD,
    }),
    120_000,
  );
  const acked = sum(res, "acked");
  const delivered = sum(res, "delivered");
  const lat = Hist.merged(res.map((r) => r.lat));
  // Every room holds ⌊n / rooms⌋ or one more; with every send acked the expected total is n.
  const expected = acked === Math.min(rooms, n) ? n : Math.round((acked * n) / rooms);
  ctx.log(`  broadcast in ${rooms} rooms: ${acked} acked, ${delivered} of ${expected} deliveries, p50 ${fmtMs(lat.quantile(0.5)).toFixed(1)} ms, p99 ${fmtMs(lat.quantile(0.99)).toFixed(1)} ms, max ${fmtMs(lat.max).toFixed(0)} ms`);
  ctx.record("broadcast: messages acked (one per room)", acked, "int");
  ctx.record("broadcast: delivery ratio", expected ? delivered / expected : 0, "ratio4");
  ctx.record("broadcast: latency p99 (ms)", fmtMs(lat.quantile(0.99)), "ms");
  ctx.record("broadcast: latency max (ms)", fmtMs(lat.max), "ms");

  // The restart: SIGTERM (graceful: every connection is closed), the same port and data, and every
  // client back by itself.
  const old = ctx.server;
  // The new server listens on the same port: its accept queue is sampled from before it starts.
  const aqStorm = acceptQueueSampler(old.port);
  const tStop = nowUs();
  await old.stop({ keepData: true });
  const tStopped = nowUs();
  ctx.server = await startServer(ctx.target, { label: "c50k-restart", from: old, port: old.port, nofile: ctx.cfg.serverNofile, log: ctx.log });
  const tReady = nowUs();
  ctx.log(`  restarted: stopped in ${((tStopped - tStop) / 1e6).toFixed(1)} s, ready ${((tReady - tStopped) / 1e6).toFixed(1)} s later (pid ${ctx.server.pid})`);
  const rMeter = h.cpuMeter(ctx);
  const r0 = listenCounters();
  const deadline = Date.now() + ctx.cfg.c50kReconnectSeconds * 1000;
  // Back = joined again after the stop began (the old server accepts nothing once it is stopping).
  // Failed attempts: those started after the old process exited (not the ones its shutdown cut off),
  // refused TCP connections only once the new server was ready.
  const stats = () => heldStats(ctx, { since: tStop, failuresFrom: tStopped, refusedFrom: tReady });
  let all;
  let lastLog = Date.now();
  for (;;) {
    // A generator busy reconnecting thousands of clients may answer late: ask again rather than give up.
    all = await stats().catch((err) => (ctx.log(`    (${err.message}; asking again)`), all));
    if ((all && all.rejoined >= c.joined) || Date.now() > deadline) break;
    if (all && Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      ctx.log(`    ${all.rejoined} of ${c.joined} back ${((nowUs() - tReady) / 1e6).toFixed(0)} s after ready; ${all.failures} failed attempts so far`);
    }
    await sleep(250);
  }
  const rCpu = rMeter();
  const r1 = listenCounters();
  const aqs = aqStorm.stop();
  all = await stats();
  ctx.cpuSample("reconnect storm", rCpu);
  const lastAt = all.lastJoinAt;
  const backMs = (lastAt - tReady) / 1000;
  ctx.log(
    `  reconnect storm: ${all.rejoined} of ${c.joined} back, the last ${(backMs / 1000).toFixed(1)} s after the server was ready ` +
      `(${((lastAt - tStop) / 1e6).toFixed(1)} s after the stop); failed attempts ${all.failures} on ${all.withFailures} connections, ` +
      `at most ${all.maxFailures} on one, ${all.withMoreThanOne} with more than one` +
      (all.failures ? ` ${JSON.stringify(all.reasons).slice(0, 300)}, started ${((all.firstFailure - tReady) / 1e6).toFixed(1)} to ${((all.lastFailure - tReady) / 1e6).toFixed(1)} s after ready` : "") +
      `; accept queue peak ${aqs.peak} of ${aqs.backlog} (full in ${aqs.fullSamples} of ${aqs.samples} samples); listen queue overflows ${r1.overflows - r0.overflows}, SYN cookies ${r1.cookies - r0.cookies} (machine-wide); ` +
      `CPU server ${rCpu.serverCores.toFixed(2)} / generator ${rCpu.genCores.toFixed(2)} / other ${rCpu.otherCores.toFixed(2)} cores`,
  );
  ctx.record("restart: clients back", all.rejoined, "int");
  ctx.record("restart: time to ready (s)", (tReady - tStopped) / 1e6, "s");
  ctx.record("restart: all back after ready (s)", backMs / 1000, "s");
  ctx.record("restart: …after the stop (s)", (lastAt - tStop) / 1e6, "s");
  ctx.record("restart: failed attempts (server up)", all.failures, "int");
  ctx.record("restart: connections with more than one failed attempt", all.withMoreThanOne, "int");
  ctx.record("restart: most failed attempts on one connection", all.maxFailures, "int");
  ctx.record("restart: listen queue overflows (machine)", r1.overflows - r0.overflows, "int");
  ctx.record("restart: accept queue peak (backlog)", `${aqs.peak} (${aqs.backlog})`, "text");
  ctx.record("restart: samples with the accept queue full", `${aqs.fullSamples} of ${aqs.samples}`, "text");
  ctx.record("restart: SYN cookies sent (machine)", r1.cookies - r0.cookies, "int");
  ctx.record("restart: server CPU while reconnecting (cores)", rCpu.serverCores, "cores");
  if (hibiki && all.rejoined < c.joined) ctx.log(`  ${c.joined - all.rejoined} clients were not back within BENCH_C50K_RECONNECT_SECONDS=${ctx.cfg.c50kReconnectSeconds}`);
}

// --------------------------------------------------------------------------------------------- cluster
/** A handle over several servers for the CPU meter: CPU summed over the live ones. */
function composite(kind, servers) {
  return {
    kind,
    cpu: () => servers.reduce((a, s) => a + (s.alive() ? s.cpu() ?? 0 : 0), 0),
    cpuTimes: () =>
      servers.reduce((a, s) => {
        const t = s.alive() ? s.cpuTimes() : null;
        return t ? { user: a.user + t.user, sys: a.sys + t.sys } : a;
      }, { user: 0, sys: 0 }),
    alive: () => servers.some((s) => s.alive()),
    mem: async () => ({}),
    profileStart: async () => undefined,
    profileStop: async () => undefined,
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}

/** Deletes every Redis key under `prefix` (the cluster's adapter stream, sessions, presence). */
async function dropRedisPrefix(redisUrl, prefix) {
  const { Redis } = await import("ioredis");
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== "0");
  } finally {
    r.disconnect();
  }
}

/** Only a Redis on this machine. */
export function checkLoopbackRedisUrl(url) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) throw new Error(`REDIS_URL points at "${host}": the bench only talks to 127.0.0.1`);
}

/**
 * One tracked fan-out run over the held clients: `senders` (the first gids) send `rate` msg/s each for
 * `seconds`; every client counts every message of the run. `during(ms)` runs alongside (the kill).
 * Returns the run's numbers and the accounting (trackCheck) once `settle()` resolves.
 */
async function trackedRun(ctx, h, { senders, rate, seconds, clients, during, settle }) {
  const runId = h.nextRunId();
  await ctx.pool.all("trackStart", () => ({ runId }), 30_000);
  const meter = h.cpuMeter(ctx);
  const alongside = during ? during(seconds * 1000) : null;
  const res = await ctx.pool.all(
    "run",
    (i) => ({
      runId,
      track: true,
      senders: Array.from({ length: senders }, (_, gid) => gid)
        .filter((gid) => gid % ctx.pool.size === i)
        .map((gid) => ({ gid, room: "cluster", rate, tag: gid, phase: gid / senders })),
      durationMs: seconds * 1000,
      drainMaxMs: 15_000,
      quietMs: 1000,
      pad: h.PAD,
    }),
    seconds * 1000 + 90_000,
  );
  const cpu = meter();
  const extra = alongside ? await alongside : undefined;
  if (settle) await settle();
  const acked = res.flatMap((r) => r.ackedSeqs);
  const checks = await ctx.pool.all("trackCheck", () => ({ acked }), 60_000);
  const check = {
    clients: sum(checks, "clients"),
    expected: sum(checks, "expected"),
    received: sum(checks, "received"),
    clientsMissing: sum(checks, "clientsMissing"),
    replayed: sum(checks, "replayed"),
    filled: sum(checks, "filled"),
    historyPages: sum(checks, "historyPages"),
    gapFills: sum(checks, "gapFills"),
    fillFailures: sum(checks, "fillFailures"),
    reconnected: sum(checks, "reconnected"),
    sample: checks.map((c) => c.sample).find(Boolean) ?? null,
  };
  const lat = Hist.merged(res.map((r) => r.lat));
  return {
    sent: sum(res, "sent"),
    acked: sum(res, "acked"),
    failed: sum(res, "failed"),
    shed: sum(res, "shed"),
    delivered: sum(res, "delivered"),
    deliverySeconds: Math.max(...res.map((r) => r.deliverySeconds)),
    lat,
    latSame: Hist.merged(res.map((r) => r.latSame)),
    latCross: Hist.merged(res.map((r) => r.latCross)),
    ackP99: Hist.merged(res.map((r) => r.ackLat)).quantile(0.99),
    check,
    cpu,
    extra,
    clients,
  };
}

/** Logs where the first messages a client is missing stand in the room (diagnostics: seq, id, time). */
async function explainMissing(ctx, databaseUrl, sample) {
  const { default: pg } = await import("pg");
  const c = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    for (const [gid, seq] of sample.first) {
      // The marker's tag is the sender's gid × 10 + its instance: one digit for gid 0.
      const { rows } = await c.query("select seq, id::text, created_at from messages where body like $1", [`%:${gid === 0 ? "" : gid}_:${seq}~%`]);
      ctx.log(`    missing at gid ${sample.gid}: sender ${gid} send ${seq} → ${JSON.stringify(rows)}`);
    }
    const { rows } = await c.query("select max(seq) as seq from messages m join rooms r on r.id = m.room_id where r.name = 'cluster'");
    ctx.log(`    the room's last seq ${rows[0]?.seq}; the client's ${sample.maxRoomSeq}`);
  } catch (err) {
    ctx.log(`    (could not look the missing messages up: ${err.message})`);
  } finally {
    await c.end().catch(() => undefined);
  }
}

const ratioOf = (r) => (r.check.expected ? r.check.received / r.check.expected : 0);

/**
 * Fan-out on one instance (the server run.mjs started), then on `instances` instances sharing its
 * database (hibiki-pg: its PostgreSQL schema, REDIS_URL, a local S3 server for the file store; bare: the
 * same Redis streams adapter), clients spread over them round-robin; then one instance is killed with
 * SIGKILL halfway through a longer run.
 */
export async function cluster(ctx, h) {
  const { clusterInstances: instances, clusterClients: clients, fanoutSenders: senders, fanoutRate: rate, seconds, clusterKillSeconds: killSeconds, redisUrl } = ctx.cfg;
  if (ctx.target === "hibiki") return ctx.recordNa("PGlite belongs to one process: a cluster needs PostgreSQL (DATABASE_URL)");
  if (!redisUrl) throw new Error("the cluster scenario needs REDIS_URL (a Redis on 127.0.0.1)");
  const hibiki = ctx.server.kind !== "bare";
  // Senders are gids 0..senders-1 with bots of their own; receivers share 50 accounts (as in fanout).
  const receiverUsers = 50;
  ctx.tokens = await h.ensureBots(ctx, senders + receiverUsers);
  const specs = (urlCount) =>
    Array.from({ length: clients }, (_, gid) => ({
      gid,
      auth: h.authFor(ctx, gid < senders ? gid : senders + (gid % receiverUsers)),
      rooms: ["cluster"],
      inst: gid % urlCount,
    }));
  const cap = Math.ceil(rate * Math.max(seconds, killSeconds)) + 16;
  const holdOpts = (urls) => ({ urls, concurrency: 100, track: true, senders, cap, waitMs: 120_000 });
  const settleAll = async (label, waitMs = 60_000) => {
    const end = Date.now() + waitMs;
    let s;
    for (;;) {
      s = await heldStats(ctx, {});
      if (s.joined >= clients || Date.now() > end) break;
      await sleep(250);
    }
    if (s.joined < clients) ctx.log(`  ${label}: only ${s.joined} of ${clients} clients connected after ${waitMs / 1000} s`);
    await sleep(2000); // the last replays and history pages
    return s;
  };
  const report = (label, r) =>
    ctx.log(
      `  ${label}: ${r.acked} of ${r.sent} acked (${r.shed} not sent while disconnected, ${r.failed} lost with their connection); ` +
        `received ${r.check.received} of ${r.check.expected} (ratio ${ratioOf(r).toFixed(4)}, ${r.check.clientsMissing} clients missing some); ` +
        `p50 ${fmtMs(r.lat.quantile(0.5)).toFixed(1)} ms, p99 ${fmtMs(r.lat.quantile(0.99)).toFixed(1)} ms` +
        (r.latCross.n ? ` (same instance p99 ${fmtMs(r.latSame.quantile(0.99)).toFixed(1)} ms, cross-instance p99 ${fmtMs(r.latCross.quantile(0.99)).toFixed(1)} ms)` : "") +
        `; ${r.check.gapFills} seq-gap fills` +
        `; CPU servers ${r.cpu.serverCores.toFixed(2)}${r.cpu.pgCores !== null ? ` + postgres ${r.cpu.pgCores.toFixed(2)}` : ""} / generator ${r.cpu.genCores.toFixed(2)} / other ${r.cpu.otherCores.toFixed(2)} cores`,
    );

  // 1. One instance (as run.mjs started it: no Redis).
  let c = await holdAll(ctx, specs(1), holdOpts([socketUrl(ctx.server.url)]));
  if (c.joined < clients) throw new Error(`only ${c.joined} of ${clients} clients joined the single instance`);
  ctx.log(`  single instance: ${c.joined} clients joined in ${(c.ms / 1000).toFixed(1)} s`);
  await sleep(1000);
  await h.waitQuiet(ctx);
  const one = await trackedRun(ctx, h, { senders, rate, seconds, clients });
  report("one instance", one);
  ctx.cpuSample("one instance", one.cpu);
  await ctx.pool.closeAll();

  // 2. The cluster, on the same data.
  const single = ctx.server;
  await single.stop({ keepData: true });
  const prefix = `bench${process.pid}${Date.now().toString(36)}`;
  let s3 = null;
  let s3Dir = null;
  let env;
  if (hibiki) {
    const { default: S3rver } = await import("s3rver");
    s3Dir = mkdtempSync(path.join(RUN_DIR, "s3-"));
    s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: s3Dir, configureBuckets: [{ name: "bench-files", configs: [] }] });
    const { port } = await s3.run();
    env = {
      REDIS_URL: redisUrl, REDIS_PREFIX: prefix, S3_BUCKET: "bench-files", S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_REGION: "us-east-1",
      S3_ACCESS_KEY_ID: "S3RVER", S3_SECRET_ACCESS_KEY: "S3RVER", S3_FORCE_PATH_STYLE: "true",
    };
  } else env = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix };
  const servers = [];
  try {
    const start = (i) =>
      startServer(ctx.target, { label: `cluster-${i}`, ...(hibiki ? { schema: single.data.schema } : {}), env, nofile: ctx.cfg.serverNofile, log: ctx.log });
    servers.push(await start(0)); // migrations and the first heartbeat before the others
    servers.push(...(await Promise.all(Array.from({ length: instances - 1 }, (_, i) => start(i + 1)))));
    ctx.server = composite(ctx.target, servers);
    ctx.log(`  ${instances} instances: ${servers.map((s) => `${s.url} (pid ${s.pid})`).join(", ")}; Redis prefix ${prefix}`);
    const urls = servers.map((s) => socketUrl(s.url));
    c = await holdAll(ctx, specs(instances), holdOpts(urls));
    if (c.joined < clients) throw new Error(`only ${c.joined} of ${clients} clients joined the cluster`);
    ctx.log(`  cluster: ${c.joined} clients joined in ${(c.ms / 1000).toFixed(1)} s, ${Math.ceil(clients / instances)} per instance`);
    await sleep(1000);
    await h.waitQuiet(ctx);
    const many = await trackedRun(ctx, h, { senders, rate, seconds, clients });
    report(`${instances} instances`, many);
    ctx.cpuSample(`${instances} instances`, many.cpu);

    // 3. One instance killed halfway through a longer run.
    await sleep(1000);
    await h.waitQuiet(ctx);
    const victim = servers[instances - 1];
    const onVictim = sum(await ctx.pool.all("heldOn", () => ({ inst: instances - 1 }), 10_000), "n");
    let killedAt = 0;
    const kill = async (ms) => {
      await sleep(ms / 2);
      killedAt = nowUs();
      victim.child.kill("SIGKILL");
      ctx.log(`  killed instance ${instances - 1} (pid ${victim.pid}, ${onVictim} clients) with SIGKILL`);
    };
    const killed = await trackedRun(ctx, h, { senders, rate, seconds: killSeconds, clients, during: kill, settle: () => settleAll("after the kill") });
    if (hibiki && killed.check.sample) await explainMissing(ctx, single.data.schema.url, killed.check.sample);
    const back = await heldStats(ctx, { since: killedAt, failuresFrom: killedAt, refusedFrom: killedAt });
    report("one killed", killed);
    ctx.cpuSample("one instance killed", killed.cpu);
    const moved = back.rejoined;
    const backS = back.lastJoinAt ? (back.lastJoinAt - killedAt) / 1e6 : NaN;
    ctx.log(
      `  after the kill: ${moved} clients reconnected to the others, the last ${backS.toFixed(1)} s after the kill; ${back.failures} failed attempts ` +
        `(${back.withMoreThanOne} clients with more than one); replayed ${killed.check.replayed} messages on reconnection, ${killed.check.filled} more from history ` +
        `(${killed.check.gapFills} seq gaps filled with ${killed.check.historyPages} pages, ${killed.check.fillFailures} fills that failed or timed out)` +
        (killed.check.sample ? `; first client missing some: ${JSON.stringify(killed.check.sample)}` : ""),
    );

    ctx.record("clients", clients, "int");
    ctx.record("instances", instances, "int");
    ctx.record(`offered msg/s (${senders} senders)`, senders * rate, "int");
    ctx.record("one instance: delivery ratio", ratioOf(one), "ratio4");
    ctx.record("one instance: latency p50 (ms)", fmtMs(one.lat.quantile(0.5)), "ms");
    ctx.record("one instance: latency p99 (ms)", fmtMs(one.lat.quantile(0.99)), "ms");
    ctx.record("one instance: server CPU (cores)", one.cpu.serverCores, "cores");
    ctx.record(`${instances} instances: delivery ratio`, ratioOf(many), "ratio4");
    ctx.record(`${instances} instances: latency p50 (ms)`, fmtMs(many.lat.quantile(0.5)), "ms");
    ctx.record(`${instances} instances: latency p99 (ms)`, fmtMs(many.lat.quantile(0.99)), "ms");
    ctx.record(`${instances} instances: same-instance p99 (ms)`, fmtMs(many.latSame.quantile(0.99)), "ms");
    ctx.record(`${instances} instances: cross-instance p99 (ms)`, fmtMs(many.latCross.quantile(0.99)), "ms");
    ctx.record(`${instances} instances: cross-instance p99 ÷ one instance p99`, many.latCross.quantile(0.99) / one.lat.quantile(0.99), "num");
    ctx.record(`${instances} instances: servers' CPU (cores)`, many.cpu.serverCores, "cores");
    if (many.cpu.pgCores !== null) ctx.record(`${instances} instances: postgres CPU (cores)`, many.cpu.pgCores, "cores");
    ctx.record("kill: messages acked", killed.acked, "int");
    ctx.record("kill: clients moved to the others", moved, "int");
    ctx.record("kill: last one back after the kill (s)", backS, "s");
    ctx.record("kill: acked messages × clients", killed.check.expected, "int");
    ctx.record("kill: …received", killed.check.received, "int");
    ctx.record("kill: …missing", killed.check.expected - killed.check.received, "int");
    ctx.record("kill: clients missing any", killed.check.clientsMissing, "int");
    ctx.record("kill: replayed on reconnection (lastSeen)", killed.check.replayed, "int");
    ctx.record("kill: received only through a seq-gap fill (history)", killed.check.filled, "int");
    ctx.record(`${instances} instances: seq-gap fills (web client's history requests)`, many.check.gapFills, "int");
    ctx.record("one instance: seq-gap fills", one.check.gapFills, "int");
    ctx.record(`${instances} instances: received only through a seq-gap fill`, many.check.filled, "int");
    ctx.record("kill: seq-gap fills that failed or timed out", killed.check.fillFailures, "int");
    ctx.record("kill: failed reconnection attempts", back.failures, "int");
    ctx.record("kill: latency p99 incl. reconnections (ms)", fmtMs(killed.lat.quantile(0.99)), "ms");
    ctx.recordCpu(many.cpu);
    ctx.detail(
      `Cluster: ${clients} clients in one room, ${senders} senders × ${rate} msg/s`,
      ["phase", "acked", "received ÷ expected", "clients missing any", "p50 ms", "p99 ms", "same-instance p99 ms", "cross-instance p99 ms", "servers' cores", "postgres cores", "other cores"],
      [
        ["one instance", one, "—"],
        [`${instances} instances`, many],
        [`${instances} instances, one killed halfway (${killSeconds} s)`, killed],
      ].map(([label, r]) => [
        label,
        r.acked,
        `${r.check.received} ÷ ${r.check.expected}`,
        r.check.clientsMissing,
        fmtMs(r.lat.quantile(0.5)).toFixed(1),
        fmtMs(r.lat.quantile(0.99)).toFixed(1),
        r.latCross.n ? fmtMs(r.latSame.quantile(0.99)).toFixed(1) : "—",
        r.latCross.n ? fmtMs(r.latCross.quantile(0.99)).toFixed(1) : "—",
        r.cpu.serverCores.toFixed(2),
        r.cpu.pgCores === null ? "—" : r.cpu.pgCores.toFixed(2),
        r.cpu.otherCores.toFixed(2),
      ]),
    );
  } finally {
    await ctx.pool.closeAll();
    await Promise.all(servers.map((s) => s.stop({ keepData: true })));
    ctx.server = single;
    await s3?.close().catch(() => undefined);
    if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
    await dropRedisPrefix(redisUrl, prefix).catch((err) => ctx.log(`  could not remove Redis keys ${prefix}*: ${err.message}`));
  }
}
