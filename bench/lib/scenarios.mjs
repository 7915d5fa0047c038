// The scenarios. Each gets a fresh server (started by run.mjs) and the generator pool, and records
// metrics with ctx.record(metric, value, format). Every loop here is bounded in count and in time.
import { readFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { Hist } from "./hist.mjs";
import { cpuSecondsByName, cpuSecondsSince, machineCpuSeconds, procStatusKiB, sleep, threadCpuSeconds } from "./proc.mjs";
import { ROOT, BENCH_DIR, duBytes, setupHibiki } from "./servers.mjs";
import { socketUrl } from "./wire.mjs";
import { uploads as uploadScenario } from "./uploads.mjs";
import { firstload } from "./firstload.mjs";
import { catchup as catchupScenario } from "./catchup.mjs";
import { c50k as c50kScenario, cluster as clusterScenario } from "./scale.mjs";

let runIds = 0;
const PAD = " lorem ipsum dolor sit amet, consectetur adipiscing elit"; // ~100-character texts

const isHibiki = (server) => server.kind !== "bare";

/**
 * CPU used between start() and end(): server, generators (+ this orchestrator), PostgreSQL backends,
 * and everything else on the machine ("other": a busy machine makes every number worse).
 */
function cpuMeter(ctx) {
  const pg = ctx.server.kind === "hibiki-pg";
  const take = () => ({
    t: performance.now(),
    server: ctx.server.cpu() ?? 0,
    serverT: ctx.server.cpuTimes() ?? { user: 0, sys: 0 },
    gen: ctx.pool.cpu(),
    genT: ctx.pool.cpuTimes(),
    orch: process.cpuUsage(),
    pg: pg ? cpuSecondsByName("postgres") : new Map(),
    machine: machineCpuSeconds(),
  });
  const a = take();
  return () => {
    const b = take();
    const wall = (b.t - a.t) / 1000;
    const orch = (b.orch.user - a.orch.user + b.orch.system - a.orch.system) / 1e6;
    const server = (b.server - a.server) / wall;
    const gen = (b.gen - a.gen + orch) / wall;
    const pgCores = pg ? cpuSecondsSince(a.pg, b.pg) / wall : null;
    const otherCores = Math.max(0, (b.machine.busy - a.machine.busy) / wall - server - gen - (pgCores ?? 0));
    const softirqCores = (b.machine.softirq - a.machine.softirq) / wall;
    return {
      wall,
      serverCores: server,
      genCores: gen,
      pgCores,
      otherCores,
      softirqCores,
      genShare: gen / (gen + server || 1),
      // user / kernel split (a WebSocket delivery costs both sides mostly kernel time on loopback)
      serverSys: (b.serverT.sys - a.serverT.sys) / wall,
      genSys: (b.genT.sys - a.genT.sys) / wall,
    };
  };
}

/**
 * Waits (a bounded time) until other processes on the machine use less than 0.3 cores, so a timed
 * window does not start in the middle of someone's build. The total waiting per run is capped
 * (BENCH_QUIET_BUDGET seconds, default 20); after that, windows start at once.
 */
let quietBudgetMs = Number(process.env.BENCH_QUIET_BUDGET ?? 20) * 1000;
async function waitQuiet(ctx, maxMs = 30_000) {
  const t0 = Date.now();
  let other = 0;
  while (quietBudgetMs > 0) {
    const meter = cpuMeter(ctx);
    await sleep(500);
    other = meter().otherCores;
    if (other < 0.3) break;
    const waited = Date.now() - t0;
    if (waited >= maxMs) break;
    quietBudgetMs -= 500;
  }
  const waited = Date.now() - t0 - 500;
  if (waited > 0) ctx.log(`  waited ${(waited / 1000).toFixed(1)} s for other processes to calm down (now ${other.toFixed(2)} cores)`);
}

/**
 * Waits (at most `maxMs`) until the server is idle: under 0.1 cores for half a second. A window that
 * saturated the server leaves deliveries queued in its sockets, and the next window's first events and
 * acks would queue behind them (the reaction storm follows the plain messages into the same room).
 */
async function waitIdle(ctx, maxMs = 30_000) {
  const t0 = Date.now();
  let cores = 0;
  for (;;) {
    const meter = cpuMeter(ctx);
    await sleep(500);
    cores = meter().serverCores;
    if (cores < 0.1 || Date.now() - t0 >= maxMs) break;
  }
  const waited = Date.now() - t0 - 500;
  if (waited > 0) ctx.log(`  waited ${(waited / 1000).toFixed(1)} s for the server to finish the last window's work (now ${cores.toFixed(2)} cores)`);
}

/**
 * Runs a timed window; if other processes took more than 0.3 cores during it, waits for quiet and
 * measures once more (at most BENCH_RETRIES times per run, default 2). Returns the last measurement.
 */
let retriesLeft = Number(process.env.BENCH_RETRIES ?? 2);
/**
 * Untimed load before a scenario's first timed window, the same for every target: a freshly started
 * server is still compiling (V8 tiers up hot JavaScript, and PGlite's PostgreSQL-in-WebAssembly, in
 * background threads), and the first window would measure that instead of the server.
 */
async function warmUp(ctx, fn) {
  if (ctx.cfg.warmupSeconds <= 0) return;
  const t = Date.now();
  await fn();
  ctx.log(`  warmed up for ${((Date.now() - t) / 1000).toFixed(1)} s (untimed)`);
}

async function measured(ctx, fn) {
  let r = await fn();
  if (r.cpu.otherCores > 0.3 && retriesLeft > 0 && quietBudgetMs > 0 && ctx.server.alive()) {
    retriesLeft--;
    ctx.log(`  other processes used ${r.cpu.otherCores.toFixed(2)} cores during that window: measuring it again`);
    await waitQuiet(ctx);
    r = await fn();
  }
  return r;
}

/** Auth for connection `gid` using bot `bot`: the bot token for Hibiki, a name for bare. */
const authFor = (ctx, bot) => (isHibiki(ctx.server) ? { token: ctx.tokens[bot] } : { name: `bench-${bot}` });

async function connectAll(ctx, specs, { concurrency = 100, timeoutMs = 60_000 } = {}) {
  const url = socketUrl(ctx.server.url);
  const per = ctx.pool.workers.map(() => []);
  for (const s of specs) per[s.gid % ctx.pool.size].push(s);
  const t0 = performance.now();
  const res = await ctx.pool.all("connect", (i) => ({ url, conns: per[i], concurrency, timeoutMs: 30_000 }), timeoutMs + specs.length * 50);
  const ms = performance.now() - t0;
  const ok = res.reduce((a, r) => a + r.ok, 0);
  const failed = res.reduce((a, r) => a + r.failed, 0);
  const errors = {};
  for (const r of res) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  if (failed > 0) ctx.log(`  ${failed} of ${specs.length} connections failed: ${JSON.stringify(errors).slice(0, 400)}`);
  return { ok, failed, errors, ms };
}

function ensureBots(ctx, n) {
  return isHibiki(ctx.server) ? setupHibiki(ctx.server, n) : Promise.resolve([]);
}

const fmtMs = (us) => us / 1000;

// ---------------------------------------------------------------------------------------------- fanout
/** `clients` sockets in one room; the first `senders` of them send. Receivers share `receiverUsers` accounts. */
async function fanoutSetup(ctx, { clients, senders, receiverUsers = ctx.cfg.fanoutUsers ?? 50 }) {
  ctx.tokens = await ensureBots(ctx, senders + receiverUsers);
  const specs = [];
  for (let gid = 0; gid < clients; gid++) {
    const bot = gid < senders ? gid : senders + (gid % receiverUsers);
    specs.push({ gid, auth: authFor(ctx, bot), rooms: ["fanout"] });
  }
  // BENCH_JOIN_WARMUP=1: the same clients first join another room and leave, untimed, so the timed join
  // measures a server past its first compilation (V8's and PGlite's WebAssembly tiering up) of that path.
  if (process.env.BENCH_JOIN_WARMUP === "1") {
    const w = await connectAll(ctx, specs.map((s) => ({ ...s, rooms: ["fanout-warmup"] })));
    await ctx.pool.all("closeAll", () => ({}), 30_000);
    ctx.log(`  warm-up: ${w.ok} clients joined another room in ${(w.ms / 1000).toFixed(1)} s and left (untimed)`);
    await sleep(2000);
  }
  await ctx.server.profileStart();
  await ctx.pool.all("framesStart", () => ({}), 10_000);
  const writes0 = writeCalls(ctx.server.pid);
  const threads0 = threadCpuSeconds(ctx.server.pid);
  const meter = cpuMeter(ctx);
  const c = await connectAll(ctx, specs);
  const cpu = meter();
  const threads = threadCpuSplit(ctx.server.pid, threads0, threadCpuSeconds(ctx.server.pid));
  await ctx.server.profileStop(`${ctx.scenario}-join`);
  if (c.ok < clients * 0.99) throw new Error(`only ${c.ok} of ${clients} clients connected`);
  ctx.log(`  ${c.ok} clients joined "fanout" in ${(c.ms / 1000).toFixed(1)} s`);
  await sleep(1000); // join announcements settle
  const frames = joinFrames(await ctx.pool.all("framesStop", () => ({}), 10_000));
  frames.writeCalls = writes0 === null ? null : writeCalls(ctx.server.pid) - writes0;
  ctx.log(`  the clients received ${frames.frames} frames (${(frames.bytes / 1024).toFixed(0)} KiB) from connect to 1 s after the last join: ${frames.line}`);
  if (frames.writeCalls !== null) ctx.log(`  the server made ${frames.writeCalls} write system calls meanwhile (sockets and files)`);
  // CPU seconds, not cores: what the join cost, whatever else the machine was doing meanwhile.
  const joinCpu = { server: cpu.serverCores * cpu.wall, pg: cpu.pgCores === null ? null : cpu.pgCores * cpu.wall, other: cpu.otherCores };
  ctx.log(`  the join took ${joinCpu.server.toFixed(2)} s of server CPU${joinCpu.pg === null ? "" : ` and ${joinCpu.pg.toFixed(2)} s of PostgreSQL's`} (other processes: ${cpu.otherCores.toFixed(2)} cores)`);
  if (threads) ctx.log(`  by server thread: ${threads}`);
  const senderGids = [];
  for (let gid = 0; gid < senders; gid++) senderGids.push(gid);
  return { roomSize: c.ok, senderGids, joinMs: c.ms, frames, joinCpu };
}

/**
 * The server's CPU between two threadCpuSeconds() readings, by thread: "main 1.07 s, +5 0.30 s, …", each
 * other thread named by its thread id's offset from the process id (creation order: V8's platform workers
 * and libuv's pool start with the process, worker_threads such as PGlite's later). Threads under 10 ms
 * are left out; null when nothing was read.
 */
function threadCpuSplit(pid, before, after) {
  if (after.size === 0) return null;
  const parts = [];
  for (const [tid, s] of after) {
    const d = s - (before.get(tid) ?? 0);
    if (d >= 0.01) parts.push(`${tid === pid ? "main" : `+${tid - pid}`} ${d.toFixed(2)} s`);
  }
  return parts.join(", ");
}

/** The write system calls (write, writev, …) process `pid` made so far (`syscw` of /proc/<pid>/io), or null. */
function writeCalls(pid) {
  try {
    return Number(/^syscw:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"))[1]);
  } catch {
    return null;
  }
}

/**
 * The generators' frame counts (`{ [name]: { frames, bytes } }` each, see WireSocket.tally) summed:
 * `{ frames, bytes, byName, line }`, `line` listing the names by bytes, largest first.
 */
function joinFrames(perWorker) {
  const byName = {};
  for (const t of perWorker) {
    for (const [name, v] of Object.entries(t)) {
      const a = (byName[name] ??= { frames: 0, bytes: 0 });
      a.frames += v.frames;
      a.bytes += v.bytes;
    }
  }
  const rows = Object.entries(byName).sort((a, b) => b[1].bytes - a[1].bytes);
  const frames = rows.reduce((n, [, v]) => n + v.frames, 0);
  const bytes = rows.reduce((n, [, v]) => n + v.bytes, 0);
  const line = rows.map(([name, v]) => `${name} ${v.frames} (${(v.bytes / 1024).toFixed(0)} KiB)`).join(", ");
  return { frames, bytes, byName, line };
}

const fanoutStep = (ctx, setup, opts) => measured(ctx, () => fanoutStepOnce(ctx, setup, opts));

/**
 * One timed fan-out window. `attach` (optional): `{ ids: () => Promise<Map<gid, uploadId[]>>, every }`
 * makes each sender send every `every`-th message with one of its upload ids (made before the window); `during` (optional) runs alongside
 * the window (the uploads those attachments stand for) and its result is returned as `step.during`.
 */
async function fanoutStepOnce(ctx, setup, { totalRate, seconds, attach, during, label = `${totalRate} msg/s` }) {
  // Upload ids are single-use: a window measured again (see measured) needs fresh ones.
  const attachIds = attach ? await attach.ids() : null;
  await waitQuiet(ctx);
  const runId = ++runIds;
  const rate = totalRate / setup.senderGids.length;
  await ctx.server.profileStart();
  const meter = cpuMeter(ctx);
  const alongside = during ? during(seconds * 1000) : null;
  const res = await ctx.pool.all(
    "run",
    (i) => ({
      runId,
      senders: setup.senderGids
        .filter((g) => g % ctx.pool.size === i)
        .map((gid) => ({
          gid,
          room: "fanout",
          rate,
          tag: gid,
          phase: setup.senderGids.indexOf(gid) / setup.senderGids.length,
          ...(attach ? { attachments: attachIds.get(gid) ?? [], attachEvery: attach.every } : {}),
        })),
      durationMs: seconds * 1000,
      drainMaxMs: 5000,
      quietMs: 500,
      pad: PAD,
    }),
    seconds * 1000 + 60_000,
  );
  const duringResult = alongside ? await alongside : undefined;
  const cpu = meter();
  await ctx.server.profileStop(`${ctx.scenario}-${totalRate}msgps`);
  const sum = (k) => res.reduce((a, r) => a + r[k], 0);
  const sent = sum("sent");
  const delivered = sum("delivered");
  const expected = sent * setup.roomSize;
  const lat = Hist.merged(res.map((r) => r.lat));
  const ackLat = Hist.merged(res.map((r) => r.ackLat));
  const deliverySeconds = Math.max(...res.map((r) => r.deliverySeconds));
  const errors = {};
  for (const r of res) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  const step = {
    offered: totalRate,
    sent,
    attached: sum("attached"),
    // Messages the server accepted per second, until the last ack (as deliveries/s counts until the last delivery).
    msgPerSec: sum("acked") / Math.max(...res.map((r) => r.ackSeconds)),
    during: duringResult,
    acked: sum("acked"),
    failed: sum("failed"),
    shed: sum("shed"),
    expected,
    delivered,
    ratio: expected ? delivered / expected : 0,
    deliveriesPerSec: delivered / deliverySeconds,
    p50: lat.quantile(0.5),
    p99: lat.quantile(0.99),
    max: lat.max,
    ackP99: ackLat.quantile(0.99),
    cpu,
    errors,
    dropped: sum("dropped"),
    alive: ctx.server.alive(),
  };
  if (step.dropped) ctx.log(`  ${step.dropped} connections were closed by the server during this step (${res.map((r) => r.lastCloseReason).filter(Boolean)[0] ?? "TCP close"})`);
  ctx.cpuSample(label, cpu);
  ctx.log(
    `  ${label}${label.startsWith(String(totalRate)) ? "" : ` at ${totalRate} msg/s`} offered: ${Math.round(step.deliveriesPerSec)} deliveries/s, ratio ${step.ratio.toFixed(4)}, ` +
      `p50 ${fmtMs(step.p50).toFixed(1)} ms, p99 ${fmtMs(step.p99).toFixed(1)} ms, max ${fmtMs(step.max).toFixed(1)} ms; ` +
      `CPU server ${cpu.serverCores.toFixed(2)} (sys ${cpu.serverSys.toFixed(2)}) / generator ${cpu.genCores.toFixed(2)} (sys ${cpu.genSys.toFixed(2)}) / other ${cpu.otherCores.toFixed(2)} cores` +
      (step.failed ? `; ${step.failed} sends failed ${JSON.stringify(errors).slice(0, 200)}` : ""),
  );
  return step;
}

export async function fanout(ctx) {
  const { fanoutClients: clients, fanoutSenders: senders, fanoutRate: rate, seconds } = ctx.cfg;
  const setup = await fanoutSetup(ctx, { clients, senders });
  const s = await fanoutStep(ctx, setup, { totalRate: senders * rate, seconds });
  ctx.record("deliveries/s", s.deliveriesPerSec, "int");
  ctx.record("delivery ratio", s.ratio, "ratio4");
  ctx.record("latency p50 (ms)", fmtMs(s.p50), "ms");
  ctx.record("latency p99 (ms)", fmtMs(s.p99), "ms");
  ctx.record("latency max (ms)", fmtMs(s.max), "ms");
  ctx.record("send→ack p99 (ms)", fmtMs(s.ackP99), "ms");
  ctx.record(`join ${clients} clients (s)`, setup.joinMs / 1000, "s");
  ctx.record("join: frames to the clients", setup.frames.frames, "int");
  ctx.record("join: KiB to the clients", setup.frames.bytes / 1024, "int");
  if (setup.frames.writeCalls !== null) ctx.record("join: server write calls", setup.frames.writeCalls, "int");
  ctx.record("join: server CPU (s)", setup.joinCpu.server + (setup.joinCpu.pg ?? 0), "num");
  ctx.recordCpu(s.cpu);
}

/**
 * The ladder search of saturation and ingest: climbs `ladder` until a step fails; if the first step
 * already fails, halves (at most twice) to find a rate that holds; then `refine` steps, each at the
 * geometric mean of the highest rate that held and the lowest that did not (a bisection in log scale:
 * a ladder of ×2 is narrowed to ×1.41, ×1.19, ×1.09 …), so a ratio of two targets' sustained rates is not
 * stuck to the ladder's rungs. `run(rate)` measures one step; `ok(step)` says whether it held. Returns the
 * best step that held and the lowest that failed (null when none).
 */
async function climb(ctx, ladder, { run, ok, pauseMs, retryPauseMs, refine = 1 }) {
  let best = null;
  let firstFail = null;
  for (const rate of ladder) {
    const s = await run(rate);
    if (!ok(s)) {
      firstFail = s;
      break;
    }
    best = s;
    await sleep(pauseMs);
  }
  for (let rate = ladder[0] / 2, n = 0; !best && n < 2 && ctx.server.alive(); rate /= 2, n++) {
    await sleep(retryPauseMs);
    const s = await run(rate);
    if (ok(s)) best = s;
    else firstFail = s;
  }
  for (let n = 0; n < refine && best && firstFail && ctx.server.alive(); n++) {
    await sleep(2000);
    const s = await run(Math.round(Math.sqrt(best.offered * firstFail.offered)));
    if (ok(s)) best = s;
    else firstFail = s;
  }
  return { best, firstFail };
}

// ------------------------------------------------------------------------------------------ saturation
export async function saturation(ctx) {
  const { fanoutClients: clients, fanoutSenders: senders, seconds } = ctx.cfg;
  const stepSeconds = Math.max(3, Math.round(seconds * 0.4));
  const setup = await fanoutSetup(ctx, { clients, senders });
  const pass = (s) => s.alive && s.ratio >= 0.99 && s.p99 <= 1_000_000;
  // ×1.5 from 25 msg/s (25 k deliveries/s in a room of 1000) up to ~6,500 msg/s; stops at the first failure.
  const ladder = Array.from({ length: 14 }, (_, k) => Math.round(25 * 1.5 ** k));
  const steps = [];
  const { best, firstFail } = await climb(ctx, ladder, {
    run: async (totalRate) => {
      const s = await fanoutStep(ctx, setup, { totalRate, seconds: stepSeconds });
      steps.push(s);
      return s;
    },
    ok: pass,
    pauseMs: 1000,
    retryPauseMs: 3000,
  });
  ctx.detail(
    "saturation steps",
    ["offered msg/s", "deliveries/s", "ratio", "p50 ms", "p99 ms", "server CPU", "gen CPU", "other CPU"],
    steps.map((s) => [s.offered, Math.round(s.deliveriesPerSec), s.ratio.toFixed(4), (s.p50 / 1000).toFixed(1), (s.p99 / 1000).toFixed(1), s.cpu.serverCores.toFixed(2), s.cpu.genCores.toFixed(2), s.cpu.otherCores.toFixed(2)]),
  );
  ctx.record("max sustained deliveries/s", best ? best.deliveriesPerSec : 0, "int");
  ctx.record("…at offered msg/s (room of " + clients + ")", best ? best.offered : 0, "int");
  ctx.record("…latency p99 (ms)", best ? fmtMs(best.p99) : NaN, "ms");
  ctx.record("first failing offered msg/s", firstFail ? firstFail.offered : "none ≤ " + ladder.at(-1), "int");
  if (best) ctx.recordCpu(best.cpu);
}

// --------------------------------------------------------------------------------------------- ingest
export async function ingest(ctx) {
  const { ingestSenders: n, ingestMax, seconds } = ctx.cfg;
  const stepSeconds = Math.max(3, Math.round(seconds * 0.4));
  ctx.tokens = await ensureBots(ctx, n);
  const specs = [];
  for (let gid = 0; gid < n; gid++) specs.push({ gid, auth: authFor(ctx, gid), rooms: [`ingest-${gid}`] });
  const c = await connectAll(ctx, specs);
  if (c.ok < n) throw new Error(`only ${c.ok} of ${n} senders connected`);
  await sleep(500);
  const ladder = [1000, 2500, 5000, 10000, 20000, 40000].filter((r) => r <= ingestMax);
  if (ladder.at(-1) !== ingestMax) ladder.push(ingestMax);
  const steps = [];
  const step = async (totalRate) => {
    const s = await measured(ctx, () => stepOnce(totalRate));
    steps.push(s);
    return s;
  };
  const send = (totalRate, durationMs) =>
    ctx.pool.all(
      "run",
      (i) => ({
        runId: ++runIds,
        senders: specs
          .filter((s) => s.gid % ctx.pool.size === i)
          .map((s) => ({ gid: s.gid, room: s.rooms[0], rate: totalRate / n, tag: s.gid, phase: s.gid / n })),
        durationMs,
        drainMaxMs: 10_000,
        quietMs: 300,
        window: 64,
        pad: PAD,
      }),
      durationMs + 60_000,
    );
  const stepOnce = async (totalRate) => {
    await waitQuiet(ctx);
    await ctx.server.profileStart();
    const meter = cpuMeter(ctx);
    const res = await send(totalRate, stepSeconds * 1000);
    const cpu = meter();
    await ctx.server.profileStop(`ingest-${totalRate}msgps`);
    const sum = (k) => res.reduce((a, r) => a + r[k], 0);
    const ackLat = Hist.merged(res.map((r) => r.ackLat));
    const ackSeconds = Math.max(...res.map((r) => r.ackSeconds));
    const offered = sum("sent") + sum("shed");
    const acked = sum("acked");
    const s = {
      offered: totalRate,
      sent: sum("sent"),
      shed: sum("shed"),
      acked,
      failed: sum("failed"),
      unacked: sum("unacked"),
      ackedPerSec: acked / ackSeconds,
      ackedRatio: offered ? acked / offered : 0,
      delivered: sum("delivered"),
      dropped: sum("dropped"),
      p50: ackLat.quantile(0.5),
      p99: ackLat.quantile(0.99),
      max: ackLat.max,
      cpu,
    };
    ctx.cpuSample(`${totalRate} msg/s`, cpu);
    if (s.dropped) ctx.log(`  ${s.dropped} connections were closed by the server during this step`);
    s.ok = ctx.server.alive() && s.ackedRatio >= 0.99 && s.p99 < 100_000;
    ctx.log(
      `  ${totalRate} msg/s offered: ${Math.round(s.ackedPerSec)} acked/s (${(s.ackedRatio * 100).toFixed(1)} %, shed ${s.shed}, failed ${s.failed}), ` +
        `ack p50 ${fmtMs(s.p50).toFixed(1)} ms, p99 ${fmtMs(s.p99).toFixed(1)} ms; CPU server ${cpu.serverCores.toFixed(2)} / generator ${cpu.genCores.toFixed(2)}` +
        (cpu.pgCores !== null ? ` / postgres ${cpu.pgCores.toFixed(2)}` : "") +
        ` / other ${cpu.otherCores.toFixed(2)}` +
        ` cores${s.ok ? "" : "  ← over the limit"}`,
    );
    return s;
  };
  await warmUp(ctx, () => send(ladder[0] / 2, ctx.cfg.warmupSeconds * 1000));
  // Three refinements: the sustained rate to within ×1.09 of the ladder's ×2 (search indexing on ÷ off, #14).
  const { best, firstFail } = await climb(ctx, ladder, { run: step, ok: (s) => s.ok, pauseMs: 500, retryPauseMs: 2000, refine: 3 });
  const peak = steps.reduce((a, s) => (s.ackedPerSec > (a?.ackedPerSec ?? -1) ? s : a), null);
  ctx.detail(
    "ingest steps",
    ["offered msg/s", "acked/s", "acked %", "ack p50 ms", "ack p99 ms", "server CPU", "gen CPU", "postgres CPU", "other CPU"],
    steps.map((s) => [s.offered, Math.round(s.ackedPerSec), (s.ackedRatio * 100).toFixed(1), (s.p50 / 1000).toFixed(1), (s.p99 / 1000).toFixed(1), s.cpu.serverCores.toFixed(2), s.cpu.genCores.toFixed(2), s.cpu.pgCores === null ? "—" : s.cpu.pgCores.toFixed(2), s.cpu.otherCores.toFixed(2)]),
  );
  ctx.record("sustained acked msgs/s (≥99 % acked, p99 < 100 ms)", best ? best.ackedPerSec : 0, "int");
  ctx.record("…ack p50 (ms)", best ? fmtMs(best.p50) : NaN, "ms");
  ctx.record("…ack p99 (ms)", best ? fmtMs(best.p99) : NaN, "ms");
  ctx.record(`peak acked msgs/s (offered ≤ ${ingestMax})`, peak.ackedPerSec, "int");
  ctx.record("…ack p99 at peak (ms)", fmtMs(peak.p99), "ms");
  ctx.record("first failing offered msg/s", firstFail ? firstFail.offered : `none ≤ ${ingestMax}`, "int");
  ctx.recordCpu(peak.cpu);
}

// --------------------------------------------------------------------------------------------- memory
export async function memory(ctx) {
  const { memoryConnections: n } = ctx.cfg;
  const users = 100;
  ctx.tokens = await ensureBots(ctx, users);
  await sleep(1000);
  await waitQuiet(ctx);
  const before = await ctx.server.mem();
  const specs = [];
  // Idle = connected and authenticated (Hibiki: bot token), in no room. Join costs show in fanout.
  for (let gid = 0; gid < n; gid++) specs.push({ gid, auth: authFor(ctx, gid % users), rooms: [] });
  await ctx.server.profileStart();
  const threads0 = threadCpuSeconds(ctx.server.pid);
  const meter = cpuMeter(ctx);
  const c = await connectAll(ctx, specs, { concurrency: 100, timeoutMs: 240_000 });
  const cpu = meter();
  const threads = threadCpuSplit(ctx.server.pid, threads0, threadCpuSeconds(ctx.server.pid));
  await ctx.server.profileStop("memory-connect");
  await sleep(3000);
  const after = await ctx.server.mem();
  const ok = c.ok;
  ctx.log(`  ${ok} idle connections (${users} accounts) in ${(c.ms / 1000).toFixed(1)} s; RSS ${(before.rss / 2 ** 20).toFixed(0)} → ${(after.rss / 2 ** 20).toFixed(0)} MiB, heap ${(before.heapUsed / 2 ** 20).toFixed(0)} → ${(after.heapUsed / 2 ** 20).toFixed(0)} MiB`);
  if (threads) ctx.log(`  the connects' server CPU by thread: ${threads}`);
  if (ok < n * 0.99) throw new Error(`only ${ok} of ${n} connections opened`);
  ctx.record("RSS per connection (KiB)", (after.rss - before.rss) / ok / 1024, "kib");
  ctx.record("heap per connection (KiB)", after.heapUsed !== undefined ? (after.heapUsed - before.heapUsed) / ok / 1024 : NaN, "kib");
  ctx.record("baseline RSS (MiB)", before.rss / 2 ** 20, "mib");
  ctx.record(`RSS with ${n} connections (MiB)`, after.rss / 2 ** 20, "mib");
  ctx.record("connect rate (conn/s)", ok / (c.ms / 1000), "int");
  ctx.cpuSample("connect", cpu);
  ctx.recordCpu(cpu);
}

// ----------------------------------------------------------------------------------------------- idle
/**
 * The footprint with nobody connected: VmRSS `BENCH_IDLE_SECONDS` (30) after the process was spawned,
 * no forced GC. First start: PGlite on an empty data dir (it creates its cluster), PostgreSQL on an empty
 * schema, then Hibiki's setup (`POST /api/setup`). Then the same server again on the same data
 * (a restart: the everyday case). bare is started twice the same way.
 */
export async function idle(ctx) {
  const wait = ctx.cfg.idleSeconds;
  const reading = async (server) => {
    await sleep(server.startedAt + wait * 1000 - Date.now());
    const status = procStatusKiB(server.pid);
    const mem = await server.mem(); // forces a GC in the server, so only after reading its RSS
    return { rss: status.VmRSS * 1024, anon: status.RssAnon * 1024, heap: mem.heapTotal, startMs: server.startMs };
  };
  if (isHibiki(ctx.server)) await setupHibiki(ctx.server, 0);
  const first = await reading(ctx.server);
  await ctx.restart();
  const again = await reading(ctx.server);
  const mib = (b) => b / 2 ** 20;
  ctx.log(`  RSS ${wait} s after start: ${mib(first.rss).toFixed(0)} MiB (first start), ${mib(again.rss).toFixed(0)} MiB (restart)`);
  ctx.record(`RSS ${wait} s after first start + setup (MiB)`, mib(first.rss), "mib");
  ctx.record("…anonymous part (MiB)", mib(first.anon), "mib");
  ctx.record("…main thread V8 heap (MiB)", first.heap === undefined ? NaN : mib(first.heap), "mib");
  ctx.record(`RSS ${wait} s after a restart (MiB)`, mib(again.rss), "mib");
  ctx.record("…anonymous part, restart (MiB)", mib(again.anon), "mib");
  ctx.record("time to ready, first start (s)", first.startMs / 1000, "s");
  ctx.record("time to ready, restart (s)", again.startMs / 1000, "s");
}

// -------------------------------------------------------------------------------------------- history
/** Seeds the history room before the server opens the database (PGlite: one process per data dir). */
export function historyPrepare(ctx) {
  return (env) => {
    const t0 = Date.now();
    ctx.log(`  seeding ${ctx.cfg.historyMessages} messages into "history" (${env.DATABASE_URL ? "PostgreSQL" : "PGlite"})…`);
    const out = execFileSync(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(BENCH_DIR, "seed-history.ts"), "history", String(ctx.cfg.historyMessages)], {
      cwd: ROOT,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 600_000,
    });
    ctx.seed = JSON.parse(out.trim().split("\n").pop());
    ctx.log(`  seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s${env.DATABASE_URL ? "" : ` (${(duBytes(env.DATA_DIR) / 2 ** 20).toFixed(0)} MiB on disk)`}`);
  };
}

export async function history(ctx) {
  if (!isHibiki(ctx.server)) return ctx.recordNa("bare server keeps no history");
  const { seconds, historyClients } = ctx.cfg;
  ctx.tokens = await ensureBots(ctx, historyClients);
  const specs = [];
  for (let gid = 0; gid < historyClients; gid++) specs.push({ gid, auth: authFor(ctx, gid), rooms: [] });
  const c = await connectAll(ctx, specs);
  if (c.ok < historyClients) throw new Error(`only ${c.ok} history clients connected`);
  const phase = (clients, phaseSeconds) => measured(ctx, () => phaseOnce(clients, phaseSeconds));
  const phaseOnce = async (clients, phaseSeconds) => {
    await waitQuiet(ctx);
    await ctx.server.profileStart();
    const meter = cpuMeter(ctx);
    const res = await ctx.pool.all(
      "history",
      (i) => ({
        gids: specs.slice(0, clients).map((s) => s.gid).filter((g) => g % ctx.pool.size === i),
        room: ctx.seed.room,
        firstId: ctx.seed.firstId,
        lastId: ctx.seed.lastId,
        durationMs: phaseSeconds * 1000,
        limit: 50,
      }),
      phaseSeconds * 1000 + 60_000,
    );
    const cpu = meter();
    await ctx.server.profileStop(`history-${clients}clients`);
    const lat = Hist.merged(res.map((r) => r.lat));
    const pages = res.reduce((a, r) => a + r.pages, 0);
    const failed = res.reduce((a, r) => a + r.failed, 0);
    const msgs = res.reduce((a, r) => a + r.messages, 0);
    ctx.log(`  ${clients} client(s): ${(pages / phaseSeconds).toFixed(0)} pages/s (${msgs} messages, ${failed} failed), p50 ${fmtMs(lat.quantile(0.5)).toFixed(2)} ms, p99 ${fmtMs(lat.quantile(0.99)).toFixed(2)} ms; CPU server ${cpu.serverCores.toFixed(2)} / generator ${cpu.genCores.toFixed(2)} / other ${cpu.otherCores.toFixed(2)}`);
    if (failed) ctx.log(`  history errors: ${JSON.stringify(Object.assign({}, ...res.map((r) => r.errors))).slice(0, 300)}`);
    ctx.cpuSample(`${clients} client(s)`, cpu);
    return { pagesPerSec: pages / phaseSeconds, lat, cpu, failed };
  };
  await warmUp(ctx, () =>
    ctx.pool.all(
      "history",
      (i) => ({
        gids: specs.map((s) => s.gid).filter((g) => g % ctx.pool.size === i),
        room: ctx.seed.room,
        firstId: ctx.seed.firstId,
        lastId: ctx.seed.lastId,
        durationMs: ctx.cfg.warmupSeconds * 1000,
        limit: 50,
      }),
      ctx.cfg.warmupSeconds * 1000 + 60_000,
    ),
  );
  const half = Math.max(2, Math.round(seconds / 2));
  const one = await phase(1, half);
  const many = await phase(historyClients, half);
  ctx.record(`messages in the room`, ctx.cfg.historyMessages, "int");
  ctx.record("pages/s, 1 client (50 msgs/page)", one.pagesPerSec, "int");
  ctx.record("…page p50 (ms)", fmtMs(one.lat.quantile(0.5)), "ms");
  ctx.record("…page p99 (ms)", fmtMs(one.lat.quantile(0.99)), "ms");
  ctx.record(`pages/s, ${historyClients} clients`, many.pagesPerSec, "int");
  ctx.record(`…page p99, ${historyClients} clients (ms)`, fmtMs(many.lat.quantile(0.99)), "ms");
  ctx.recordCpu(many.cpu);
}

// ------------------------------------------------------------------------------------------------ sse
export async function sse(ctx) {
  if (!isHibiki(ctx.server)) return ctx.recordNa("bare server has no SSE");
  ctx.tokens = await ensureBots(ctx, 10);
  const url = `${ctx.server.url}/api/notifications/stream`;
  const probe = await fetch(url, { headers: { authorization: `Bearer ${ctx.tokens[0]}` }, signal: AbortSignal.timeout(5000) }).catch((err) => ({ status: 0, err }));
  if (probe.body) await probe.body.cancel().catch(() => undefined);
  if (probe.status === 404) return ctx.recordNa("n/a (not implemented yet)");
  if (probe.status !== 200) return ctx.recordNa(`n/a (GET ${probe.status})`);
  const n = ctx.cfg.sseStreams;
  const before = await ctx.server.mem();
  const res = await ctx.pool.all("sse", (i) => ({ url, tokens: ctx.tokens, count: Math.ceil(n / ctx.pool.size) }), 120_000);
  await sleep(2000);
  const after = await ctx.server.mem();
  const ok = res.reduce((a, r) => a + r.ok, 0);
  const lat = Hist.merged(res.map((r) => r.lat));
  ctx.log(`  ${ok} SSE streams open; first event p50 ${fmtMs(lat.quantile(0.5)).toFixed(1)} ms, p99 ${fmtMs(lat.quantile(0.99)).toFixed(1)} ms`);
  ctx.record("streams opened", ok, "int");
  ctx.record("first event p50 (ms)", fmtMs(lat.quantile(0.5)), "ms");
  ctx.record("first event p99 (ms)", fmtMs(lat.quantile(0.99)), "ms");
  ctx.record("RSS per stream (KiB)", ok ? (after.rss - before.rss) / ok / 1024 : NaN, "kib");
}

// ------------------------------------------------------------------------------------------ fanout-files
/** One message in ATTACH_EVERY carries an image in the fanout-files scenario (10 %). */
const ATTACH_EVERY = 10;

/**
 * The fan-out room twice on one server, side by side: text only, then with 10 % of the messages
 * carrying an image attachment. Each attachment is uploaded first (POST /api/rooms/fanout/uploads
 * with the sender's bot token, a 1280×960 JPEG: sniffed, re-encoded without metadata, thumbnailed),
 * then sent by id. The uploads a window's messages use are made before it (each id is usable once),
 * and as many again are uploaded during it at the same pace, so the server bears the upload work an
 * image message costs while the window is measured. Receivers do not fetch thumbnails (a browser
 * would, once per file).
 */
async function fanoutFiles(ctx) {
  if (!isHibiki(ctx.server)) return ctx.recordNa("bare server has no uploads");
  const { fanoutClients: clients, fanoutSenders: senders, fanoutRate: rate, seconds } = ctx.cfg;
  const setup = await fanoutSetup(ctx, { clients, senders });
  const photo = await filePhoto();
  const url = `${ctx.server.url}/api/rooms/fanout/uploads`;
  const tokenOf = (gid) => ctx.tokens[gid]; // senders are bots 0..senders-1 (fanoutSetup)
  await warmUp(ctx, () => fanoutStepOnce(ctx, setup, { totalRate: senders * rate, seconds: ctx.cfg.warmupSeconds, label: "warm-up (untimed)" }));

  const text = await fanoutStep(ctx, setup, { totalRate: senders * rate, seconds, label: "text only" });

  // Enough ids for every attached message of the window (+2 per sender for pacing jitter).
  const perSender = Math.ceil((rate * seconds) / ATTACH_EVERY) + 2;
  const makeIds = async () => {
    const t0 = Date.now();
    const ids = new Map();
    await inLanes(4, setup.senderGids.flatMap((gid) => Array.from({ length: perSender }, () => gid)), async (gid) => {
      const { id } = await postFile(url, tokenOf(gid), photo);
      ids.set(gid, [...(ids.get(gid) ?? []), id]);
    });
    ctx.log(`  ${setup.senderGids.length * perSender} images uploaded for the window in ${((Date.now() - t0) / 1000).toFixed(1)} s (untimed)`);
    return ids;
  };
  // During the window: uploads at the pace of the attached messages (totalRate / ATTACH_EVERY per second).
  const during = (ms) => pacedUploads(url, setup.senderGids.map(tokenOf), photo, (senders * rate) / ATTACH_EVERY, ms);
  const files = await fanoutStep(ctx, setup, { totalRate: senders * rate, seconds, attach: { ids: makeIds, every: ATTACH_EVERY }, during, label: "10 % images" });

  const rows = [];
  for (const [label, s] of [["text only", text], ["10 % images", files]]) {
    ctx.record(`${label}: msg/s`, s.msgPerSec, "int");
    ctx.record(`${label}: deliveries/s`, s.deliveriesPerSec, "int");
    ctx.record(`${label}: delivery ratio`, s.ratio, "ratio4");
    ctx.record(`${label}: latency p50 (ms)`, fmtMs(s.p50), "ms");
    ctx.record(`${label}: latency p99 (ms)`, fmtMs(s.p99), "ms");
    ctx.record(`${label}: server CPU (cores)`, s.cpu.serverCores, "cores");
    rows.push([
      label,
      s.sent,
      s.attached,
      s.during ? `${s.during.count} of ${s.during.planned} (p50 ${fmtMs(s.during.lat.quantile(0.5)).toFixed(0)} ms, p99 ${fmtMs(s.during.lat.quantile(0.99)).toFixed(0)} ms)` : "0",
      Math.round(s.msgPerSec),
      Math.round(s.deliveriesPerSec),
      s.ratio.toFixed(4),
      fmtMs(s.p50).toFixed(1),
      fmtMs(s.p99).toFixed(1),
      fmtMs(s.ackP99).toFixed(1),
      s.cpu.serverCores.toFixed(2),
      s.cpu.otherCores.toFixed(2),
    ]);
  }
  ctx.record("10 % images: uploads during the window", files.during?.count ?? 0, "int");
  ctx.record("10 % images: upload p50 (ms)", fmtMs(files.during?.lat.quantile(0.5) ?? NaN), "ms");
  ctx.detail(
    `Fan-out, text only vs 10 % image attachments (${setup.roomSize} clients, ${senders} senders × ${rate} msg/s, ${seconds} s each)`,
    ["messages", "sent", "with an image", "uploads during the window", "msg/s", "deliveries/s", "ratio", "p50 ms", "p99 ms", "send→ack p99 ms", "server cores", "other processes cores"],
    rows,
  );
}

/** A 1280×960 JPEG with a photo's kind of detail (coarse noise scaled up smoothly, about 0.3 MB). */
async function filePhoto() {
  const { default: sharp } = await import("sharp");
  const { randomBytes } = await import("node:crypto");
  const coarse = await sharp(randomBytes(160 * 120 * 3), { raw: { width: 160, height: 120, channels: 3 } }).resize(1280, 960).png().toBuffer();
  return sharp(coarse).jpeg({ quality: 85 }).toBuffer();
}

async function postFile(url, token, bytes) {
  const form = new FormData();
  form.append("file", new Blob([bytes], { type: "image/jpeg" }), "photo.jpg");
  const res = await fetch(url, { method: "POST", body: form, headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${body.slice(0, 200)}`);
  return JSON.parse(body).upload;
}

/** Runs `fn` over `items` with at most `lanes` at a time. */
async function inLanes(lanes, items, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** Uploads `bytes` at `perSecond` (round-robin over `tokens`, at most 8 in flight) for `ms`; latencies in µs. */
async function pacedUploads(url, tokens, bytes, perSecond, ms) {
  const lat = new Hist();
  const inflight = new Set();
  const start = performance.now();
  let n = 0;
  let failed = 0;
  while (performance.now() - start < ms) {
    const due = Math.floor(((performance.now() - start) / 1000) * perSecond) + 1;
    while (n < due && inflight.size < 8) {
      const t = performance.now();
      const p = postFile(url, tokens[n % tokens.length], bytes).then(
        () => lat.record((performance.now() - t) * 1000),
        () => failed++,
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      n++;
    }
    await sleep(5);
  }
  await Promise.all(inflight);
  return { count: lat.n, planned: Math.floor((perSecond * ms) / 1000), failed, lat };
}

// ---------------------------------------------------------------------------------------------- uploads
async function uploads(ctx) {
  if (!isHibiki(ctx.server)) return ctx.recordNa("bare server has no uploads");
  return uploadScenario(ctx, ensureBots);
}

// --------------------------------------------------------------------------------------------- search
/** Seeds the search corpus (bench/seed-search.ts) before the server opens the database. */
export function searchPrepare(ctx) {
  return (env) => {
    const t0 = Date.now();
    ctx.log(`  seeding ${ctx.cfg.searchMessages} messages in 100 rooms for search (${env.DATABASE_URL ? "PostgreSQL" : "PGlite"})…`);
    const out = execFileSync(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(BENCH_DIR, "seed-search.ts"), String(ctx.cfg.searchMessages)], {
      cwd: ROOT,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 3_600_000,
    });
    ctx.seed = JSON.parse(out.trim().split("\n").pop());
    ctx.log(`  seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
}

/** The query classes measured: the goal is p99 < 50 ms for all but the single CJK character. */
const SEARCH_CLASSES = {
  "common word": ["meeting", "deploy", "update", "check"],
  "rare word": ["xylophone", "zeppelin", "quokka", "marzipan"],
  "2-char CJK": ["天気", "会議", "資料", "確認"],
  "rare CJK": ["紫陽花", "薔薇園", "鰻重"],
  phrase: ['"pull request"', '"sounds good"', '"let me check"', '"打ち合わせ"'],
  "from: + word": ["from:author-03 deploy", "from:author-11 天気", "from:author-07 review", "from:author-19 資料"],
  "1-char CJK": ["雨", "東", "鰻"],
};

/** `clients` loops, each sending the class's queries in turn for `ms`; latencies in µs. */
async function searchLoad(ctx, queries, clients, ms) {
  const lat = new Hist();
  let done = 0;
  let failed = 0;
  const errors = {};
  const end = Date.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; Date.now() < end && i < 1_000_000; i++) {
        const q = queries[i % queries.length];
        const t = performance.now();
        const res = await fetch(`${ctx.server.url}/api/search?${new URLSearchParams({ q, limit: "20" })}`, {
          headers: { authorization: `Bearer ${ctx.seed.token}` },
          signal: AbortSignal.timeout(30_000),
        }).catch((err) => ({ status: 0, err, text: async () => "" }));
        await res.text();
        if (res.status === 200) {
          lat.record((performance.now() - t) * 1000);
          done++;
        } else {
          failed++;
          errors[res.status] = (errors[res.status] ?? 0) + 1;
        }
      }
    }),
  );
  return { lat, perSec: done / (ms / 1000), failed, errors };
}

export async function search(ctx) {
  if (!isHibiki(ctx.server)) return ctx.recordNa("bare server keeps no history");
  const s = ctx.seed;
  ctx.record("messages", s.count, "int");
  ctx.record("index size (× message table)", s.searchBytes / s.messagesBytes, "ratio");
  ctx.record("insert rows/s, indexing off (5,000-row statements)", s.ingestOff, "int");
  ctx.record("insert rows/s, indexing on", s.ingestOn, "int");
  ctx.record("…on ÷ off", s.ingestOn / s.ingestOff, "ratio");
  ctx.record("backfill rows/s", s.indexRate, "int");
  await warmUp(ctx, () => searchLoad(ctx, Object.values(SEARCH_CLASSES).flat(), 2, ctx.cfg.warmupSeconds * 1000));
  const window = Math.max(2, Math.round(ctx.cfg.seconds / 2)) * 1000;
  const rows = [];
  for (const [name, queries] of Object.entries(SEARCH_CLASSES)) {
    await waitQuiet(ctx);
    const one = await searchLoad(ctx, queries, 1, window);
    const many = await searchLoad(ctx, queries, ctx.cfg.searchClients, window);
    const fails = one.failed + many.failed;
    ctx.log(`  ${name}: p50 ${fmtMs(one.lat.quantile(0.5)).toFixed(1)} ms, p99 ${fmtMs(one.lat.quantile(0.99)).toFixed(1)} ms, ${many.perSec.toFixed(0)} q/s with ${ctx.cfg.searchClients} clients${fails ? `, ${fails} failed ${JSON.stringify({ ...one.errors, ...many.errors })}` : ""}`);
    ctx.record(`${name}: p50 (ms)`, fmtMs(one.lat.quantile(0.5)), "ms");
    ctx.record(`${name}: p99 (ms)`, fmtMs(one.lat.quantile(0.99)), "ms");
    ctx.record(`${name}: queries/s, ${ctx.cfg.searchClients} clients`, many.perSec, "int");
    rows.push([name, queries.join(" · "), fmtMs(one.lat.quantile(0.5)).toFixed(1), fmtMs(one.lat.quantile(0.99)).toFixed(1), many.perSec.toFixed(0), String(fails)]);
  }
  ctx.detail("search by query class", ["class", "queries", "p50 ms", "p99 ms", `q/s (${ctx.cfg.searchClients} clients)`, "failed"], rows);
}

// -------------------------------------------------------------------------------------------- reactions
/** Ten one-code-point emoji: the reactors cycle through them (a message holds at most 20 distinct). */
const REACTION_EMOJI = ["👍", "🎉", "🚀", "👀", "✅", "🔥", "😀", "😂", "🙏", "💯"];

/** One timed reaction storm on message `messageId` of the fanout room, `totalRate` reactions/s in all. */
async function reactionStepOnce(ctx, setup, { messageId, totalRate, seconds }) {
  await waitIdle(ctx);
  await waitQuiet(ctx);
  const runId = ++runIds;
  const n = setup.senderGids.length;
  await ctx.server.profileStart();
  const meter = cpuMeter(ctx);
  const res = await ctx.pool.all(
    "react",
    (i) => ({
      runId,
      reactors: setup.senderGids
        .filter((g) => g % ctx.pool.size === i)
        .map((gid) => ({ gid, room: "fanout", id: messageId, rate: totalRate / n, phase: setup.senderGids.indexOf(gid) / n, offset: gid })),
      emoji: REACTION_EMOJI,
      durationMs: seconds * 1000,
      drainMaxMs: 5000,
      quietMs: 500,
    }),
    seconds * 1000 + 60_000,
  );
  const cpu = meter();
  await ctx.server.profileStop(`${ctx.scenario}-${totalRate}reactionsps`);
  const sent = res.flatMap((r) => r.sentSeqs);
  const lats = await ctx.pool.all("reactLatency", () => ({ sent }), 60_000);
  const lat = Hist.merged(lats.map((l) => l.lat));
  const sum = (k) => res.reduce((a, r) => a + r[k], 0);
  const acked = sum("acked");
  const delivered = sum("delivered");
  const expected = acked * setup.roomSize;
  const errors = {};
  for (const r of res) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  const step = {
    offered: totalRate,
    sent: sum("sent"),
    acked,
    failed: sum("failed"),
    errors,
    msgPerSec: acked / Math.max(...res.map((r) => r.ackSeconds)),
    expected,
    delivered,
    ratio: expected ? delivered / expected : 0,
    deliveriesPerSec: delivered / Math.max(...res.map((r) => r.deliverySeconds)),
    p50: lat.quantile(0.5),
    p99: lat.quantile(0.99),
    max: lat.max,
    ackP99: Hist.merged(res.map((r) => r.ackLat)).quantile(0.99),
    unmatched: lats.reduce((a, l) => a + l.unmatched, 0),
    cpu,
  };
  ctx.cpuSample("reactions", cpu);
  ctx.log(
    `  reaction storm at ${totalRate}/s: ${Math.round(step.deliveriesPerSec)} deliveries/s, ratio ${step.ratio.toFixed(4)}, p50 ${fmtMs(step.p50).toFixed(1)} ms, ` +
      `p99 ${fmtMs(step.p99).toFixed(1)} ms; CPU server ${cpu.serverCores.toFixed(2)} cores` + (step.failed ? `; ${step.failed} failed ${JSON.stringify(errors).slice(0, 200)}` : ""),
  );
  return step;
}

/**
 * Issue #13's reaction storm: BENCH_FANOUT_CLIENTS clients in the fanout room, BENCH_REACTION_RATE
 * reactions/s (from BENCH_REACTION_REACTORS members) on one message, next to plain messages at the same
 * rate in the same room. Latency is from the reactor's send to each member's `reactions-updated`,
 * matched by the change's `changeSeq` (in the event and in the reactor's ack).
 */
async function reactions(ctx) {
  if (!isHibiki(ctx.server)) return ctx.recordNa("bare server has no reactions");
  const { fanoutClients: clients, reactionRate: rate, reactionReactors: reactors, seconds } = ctx.cfg;
  const setup = await fanoutSetup(ctx, { clients, senders: reactors });
  const posted = await fetch(`${ctx.server.url}/api/rooms/fanout/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${ctx.tokens[0]}`, "content-type": "application/json" },
    body: JSON.stringify({ text: "react to this" }),
  });
  if (posted.status !== 201) throw new Error(`reactions: posting the message answered ${posted.status}`);
  const messageId = (await posted.json()).message.id;
  await warmUp(ctx, () => fanoutStepOnce(ctx, setup, { totalRate: rate, seconds: ctx.cfg.warmupSeconds, label: "warm-up (untimed)" }));
  await waitIdle(ctx);
  const plain = await fanoutStep(ctx, setup, { totalRate: rate, seconds, label: "plain messages" });
  const storm = await measured(ctx, () => reactionStepOnce(ctx, setup, { messageId, totalRate: rate, seconds }));
  const rows = [];
  for (const [label, s] of [["plain messages", plain], ["reactions on one message", storm]]) {
    ctx.record(`${label}: per second`, s.msgPerSec, "int");
    ctx.record(`${label}: deliveries/s`, s.deliveriesPerSec, "int");
    ctx.record(`${label}: delivery ratio`, s.ratio, "ratio4");
    ctx.record(`${label}: latency p50 (ms)`, fmtMs(s.p50), "ms");
    ctx.record(`${label}: latency p99 (ms)`, fmtMs(s.p99), "ms");
    ctx.record(`${label}: server CPU (cores)`, s.cpu.serverCores, "cores");
    rows.push([label, s.sent, s.acked, Math.round(s.msgPerSec), Math.round(s.deliveriesPerSec), s.ratio.toFixed(4), fmtMs(s.p50).toFixed(1), fmtMs(s.p99).toFixed(1), fmtMs(s.ackP99).toFixed(1), s.cpu.serverCores.toFixed(2)]);
  }
  ctx.detail(`${setup.roomSize} clients in one room, ${rate}/s from ${reactors} members`, ["what", "sent", "acked", "per second", "deliveries/s", "ratio", "p50 ms", "p99 ms", "ack p99 ms", "server cores"], rows);
}

// ---------------------------------------------------------------------------------------------- catchup
const catchup = (ctx) => catchupScenario(ctx, ensureBots);

// ------------------------------------------------------------------------------------ c50k and cluster
/** What the scale scenarios (lib/scale.mjs) share with the others. */
const helpers = { cpuMeter, waitQuiet, ensureBots, authFor, nextRunId: () => ++runIds, PAD };
const c50k = (ctx) => c50kScenario(ctx, helpers);
const cluster = (ctx) => clusterScenario(ctx, helpers);

export const SCENARIOS = { fanout, "fanout-files": fanoutFiles, reactions, saturation, ingest, memory, idle, history, sse, uploads, catchup, search, firstload, c50k, cluster };
