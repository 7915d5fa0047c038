#!/usr/bin/env node
// `npm run bench` (node bench/run.mjs): Hibiki vs a bare Socket.IO server, driven by the same load
// generator, on this machine's loopback only. See bench/README.md.
//
// Settings (environment):
//   BENCH_SECONDS=10            length of each timed window (ladder steps take 40 %, history phases half)
//   BENCH_SCENARIOS=fanout,fanout-files,reactions,saturation,ingest,memory,idle,history,sse,uploads,catchup   (+ search, firstload, c50k, cluster: only when named)
//   BENCH_TARGETS=hibiki,bare   (+ hibiki-pg automatically when DATABASE_URL is set)
//   BENCH_PG_SCENARIOS=…        scenarios run against PostgreSQL (default: all selected)
//   BENCH_ROUNDS=1              rounds of fanout and saturation, targets alternating; the table shows medians
//   BENCH_WARMUP=3              seconds of untimed load before the ingest and history windows
//   BENCH_WORKERS=2             generator processes
//   BENCH_FANOUT_CLIENTS=1000  BENCH_FANOUT_SENDERS=10  BENCH_FANOUT_RATE=10 (msg/s per sender)
//   BENCH_INGEST_SENDERS=200   BENCH_INGEST_MAX=20000 (msg/s)
//   BENCH_MEMORY_CONNECTIONS=10000   BENCH_HISTORY_MESSAGES=1000000   BENCH_HISTORY_CLIENTS=8
//   BENCH_SSE_STREAMS=1000
//   BENCH_FIRSTLOAD_MESSAGES=500  BENCH_FIRSTLOAD_RUNS=5   (firstload: Chromium at CHROMIUM_PATH or /usr/bin/chromium)
//   BENCH_CATCHUP_CHANGES=10000  BENCH_CATCHUP_MESSAGES=1000   (catchup: changes missed, on that many messages)
//   BENCH_IDLE_SECONDS=30       idle: when RSS is read, counted from the server's start
//   BENCH_SEARCH_MESSAGES=1000000   BENCH_SEARCH_CLIENTS=4
//   BENCH_C50K_CONNECTIONS=50000  BENCH_C50K_ROOMS=1000  BENCH_C50K_USERS=2000  BENCH_C50K_RECONNECT_SECONDS=300
//   BENCH_CLUSTER_INSTANCES=3  BENCH_CLUSTER_CLIENTS=(BENCH_FANOUT_CLIENTS)  BENCH_CLUSTER_SECONDS=max(10, 2 × BENCH_SECONDS)
//                               (cluster: needs REDIS_URL, and DATABASE_URL for Hibiki)
//   BENCH_PROFILE=1             CPU-profile the servers during the timed windows (bench/results/prof/)
//   BENCH_GEN_PROFILE=1         profile the generator processes too
//   BENCH_HIBIKI_ENV="K=V,…"    extra Hibiki settings for A/B experiments (RECOVERY_MAX_DISCONNECTION_MS=0, …)
//   BENCH_QUIET_BUDGET=20       seconds the run may spend in total waiting for other processes to calm down
//   BENCH_RETRIES=2             timed windows that may be measured again because other processes were busy
//   BENCH_SKIP_BUILD=1          do not run `scripts/build.mjs --if-stale` first
//   BENCH_KEEP=1                keep the temp dir (server logs, data dirs)
//   BENCH_SEARCH_INDEX=off      Hibiki with its search triggers disabled (what indexing costs the write path)
//   BENCH_MAX_MINUTES=20        hard stop for the whole run
//   DATABASE_URL=postgres://…@127.0.0.1/…  also measure Hibiki on PostgreSQL (fresh schema per server)
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { startGenerators } from "./lib/gen.mjs";
import { cleanupAll, cpuModel, fileLimits, killAllNow } from "./lib/proc.mjs";
import { Results, TARGET_TITLES, summarizeProfiles } from "./lib/report.mjs";
import { BENCH_DIR, ROOT, RUN_DIR, checkLoopbackDatabaseUrl, ensureBuild, startServer, sweepStaleRunDirs, sweepStaleSchemas } from "./lib/servers.mjs";
import { SCENARIOS, historyPrepare, searchPrepare } from "./lib/scenarios.mjs";
import { checkLoopbackRedisUrl } from "./lib/scale.mjs";

const env = process.env;
const num = (name, def, min, max) => {
  const v = env[name] === undefined || env[name] === "" ? def : Number(env[name]);
  if (!Number.isFinite(v) || v < min || v > max) {
    console.error(`bench: ${name} must be a number in ${min}..${max}`);
    process.exit(2);
  }
  return v;
};
const list = (name, def) => (env[name] ? env[name].split(",").map((s) => s.trim()).filter(Boolean) : def);

const ALL = Object.keys(SCENARIOS);
/** Scenarios that BENCH_ROUNDS repeats. */
const ROUNDED = new Set(["fanout", "saturation"]);
/**
 * Scenarios that run only when BENCH_SCENARIOS names them: search seeds its own million-message corpus,
 * firstload needs Chromium, c50k holds 50,000 connections, cluster needs Redis and PostgreSQL.
 */
const ON_REQUEST = new Set(["search", "firstload", "c50k", "cluster"]);
if (env.BENCH_SEARCH_INDEX !== undefined && !["on", "off"].includes(env.BENCH_SEARCH_INDEX)) {
  console.error("bench: BENCH_SEARCH_INDEX must be on or off");
  process.exit(2);
}
const cfg = {
  seconds: num("BENCH_SECONDS", 10, 1, 300),
  scenarios: list("BENCH_SCENARIOS", ALL.filter((s) => !ON_REQUEST.has(s))),
  workers: num("BENCH_WORKERS", 2, 1, 16),
  rounds: num("BENCH_ROUNDS", 1, 1, 9),
  warmupSeconds: num("BENCH_WARMUP", 3, 0, 60),
  fanoutClients: num("BENCH_FANOUT_CLIENTS", 1000, 2, 20_000),
  catchupChanges: num("BENCH_CATCHUP_CHANGES", 10_000, 1, 200_000),
  catchupMessages: num("BENCH_CATCHUP_MESSAGES", 1000, 1, 20_000),
  fanoutSenders: num("BENCH_FANOUT_SENDERS", 10, 1, 1000),
  fanoutUsers: num("BENCH_FANOUT_USERS", 50, 1, 20_000),
  fanoutRate: num("BENCH_FANOUT_RATE", 10, 0.1, 10_000),
  reactionRate: num("BENCH_REACTION_RATE", 100, 1, 10_000),
  reactionReactors: num("BENCH_REACTION_REACTORS", 10, 1, 1000),
  ingestSenders: num("BENCH_INGEST_SENDERS", 200, 1, 5000),
  ingestMax: num("BENCH_INGEST_MAX", 20_000, 100, 200_000),
  memoryConnections: num("BENCH_MEMORY_CONNECTIONS", 10_000, 10, 18_000),
  idleSeconds: num("BENCH_IDLE_SECONDS", 30, 5, 300),
  historyMessages: num("BENCH_HISTORY_MESSAGES", 1_000_000, 1000, 10_000_000),
  historyClients: num("BENCH_HISTORY_CLIENTS", 8, 1, 500),
  sseStreams: num("BENCH_SSE_STREAMS", 1000, 1, 10_000),
  searchMessages: num("BENCH_SEARCH_MESSAGES", 1_000_000, 10_000, 10_000_000),
  searchClients: num("BENCH_SEARCH_CLIENTS", 4, 1, 64),
  firstloadMessages: num("BENCH_FIRSTLOAD_MESSAGES", 500, 1, 100_000),
  firstloadRuns: num("BENCH_FIRSTLOAD_RUNS", 5, 1, 50),
  c50kConnections: num("BENCH_C50K_CONNECTIONS", 50_000, 100, 200_000),
  c50kRooms: num("BENCH_C50K_ROOMS", 1000, 1, 10_000),
  c50kUsers: num("BENCH_C50K_USERS", 2000, 1, 50_000),
  c50kReconnectSeconds: num("BENCH_C50K_RECONNECT_SECONDS", 300, 10, 1800),
  clusterInstances: num("BENCH_CLUSTER_INSTANCES", 3, 2, 8),
  clusterClients: num("BENCH_CLUSTER_CLIENTS", num("BENCH_FANOUT_CLIENTS", 1000, 2, 20_000), 2, 20_000),
  clusterKillSeconds: num("BENCH_CLUSTER_SECONDS", Math.max(10, 2 * num("BENCH_SECONDS", 10, 1, 300)), 4, 600),
  redisUrl: env.REDIS_URL || undefined,
  profile: env.BENCH_PROFILE === "1",
  maxMinutes: num("BENCH_MAX_MINUTES", 20, 1, 240),
  databaseUrl: env.DATABASE_URL || undefined,
};
for (const s of cfg.scenarios) {
  if (!SCENARIOS[s]) {
    console.error(`bench: unknown scenario "${s}" (known: ${ALL.join(", ")})`);
    process.exit(2);
  }
}
cfg.fanoutSenders = Math.min(cfg.fanoutSenders, cfg.fanoutClients);
let targets = list("BENCH_TARGETS", ["hibiki", ...(cfg.databaseUrl ? ["hibiki-pg"] : []), "bare"]);
for (const t of targets) {
  if (!TARGET_TITLES[t]) {
    console.error(`bench: unknown target "${t}" (known: hibiki, hibiki-pg, bare)`);
    process.exit(2);
  }
}
if (targets.includes("hibiki-pg")) {
  if (!cfg.databaseUrl) {
    console.error("bench: target hibiki-pg needs DATABASE_URL");
    process.exit(2);
  }
  try {
    checkLoopbackDatabaseUrl(cfg.databaseUrl);
  } catch (err) {
    console.error(`bench: ${err.message}`);
    process.exit(2);
  }
}
const pgScenarios = list("BENCH_PG_SCENARIOS", cfg.scenarios);
if (cfg.scenarios.includes("cluster")) {
  if (!cfg.redisUrl) {
    console.error("bench: the cluster scenario needs REDIS_URL (a Redis on 127.0.0.1), and DATABASE_URL for Hibiki");
    process.exit(2);
  }
  try {
    checkLoopbackRedisUrl(cfg.redisUrl);
  } catch (err) {
    console.error(`bench: ${err.message}`);
    process.exit(2);
  }
}
cfg.clusterClients = Math.max(cfg.clusterClients, cfg.fanoutSenders);

// Open files: a server holds one descriptor per connection. A child cannot raise its limit above this
// process's hard limit, so c50k measures at most what that allows (docs/operations.md: raising it).
const limits = fileLimits();
const wantConnections = Math.max(cfg.memoryConnections, cfg.scenarios.includes("c50k") ? cfg.c50kConnections : 0);
/** Descriptors a server needs beside its connections (its database, listeners, Next.js's files, logs). */
const SERVER_FD_RESERVE = 1000;
if (cfg.scenarios.includes("c50k") && limits.hard - SERVER_FD_RESERVE < cfg.c50kConnections) {
  cfg.c50kCappedFrom = cfg.c50kConnections;
  cfg.c50kHardLimit = limits.hard;
  cfg.c50kConnections = Math.max(100, limits.hard - SERVER_FD_RESERVE);
}
cfg.serverNofile = Math.min(limits.hard, Math.max(cfg.memoryConnections, cfg.scenarios.includes("c50k") ? cfg.c50kConnections : 0) + SERVER_FD_RESERVE + 1000);
/** A generator process holds at most this many connections (its descriptors count against the same limit). */
const PER_GENERATOR = Math.min(12_000, limits.hard - 1000);
const generators = Math.max(cfg.workers, cfg.scenarios.includes("c50k") ? Math.ceil(cfg.c50kConnections / PER_GENERATOR) : 1);

const t0 = Date.now();
const log = (msg) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);

// ---------------------------------------------------------------------------------------- cleanup
let exiting = false;
async function bail(code, why) {
  if (exiting) return;
  exiting = true;
  if (why) log(why);
  await cleanupAll();
  process.exit(code);
}
process.on("SIGINT", () => bail(130, "interrupted: stopping servers and generators…"));
process.on("SIGTERM", () => bail(143, "terminated: stopping servers and generators…"));
process.on("exit", () => killAllNow());
process.on("unhandledRejection", (err) => bail(1, `unexpected error: ${err?.stack ?? err}`));
process.on("uncaughtException", (err) => bail(1, `unexpected error: ${err?.stack ?? err}`));
setTimeout(() => bail(1, `BENCH_MAX_MINUTES=${cfg.maxMinutes} reached: giving up`), cfg.maxMinutes * 60_000).unref();

// ------------------------------------------------------------------------------------------- main
let loadAtStart = [0, 0, 0];
async function main() {
  const results = new Results(targets);
  const nofile = cfg.serverNofile;
  if (limits.hard < cfg.memoryConnections + 2000) log(`warning: the open-files hard limit is ${limits.hard}; the memory scenario needs about ${cfg.memoryConnections + 2000}`);
  if (cfg.c50kCappedFrom) {
    log(
      `warning: the open-files hard limit (ulimit -Hn) is ${limits.hard}, so one server can hold about ${cfg.c50kConnections} connections, ` +
        `not the ${cfg.c50kCappedFrom} asked for: c50k measures ${cfg.c50kConnections} (raise the limit: docs/operations.md, "Many connections")`,
    );
  }
  if (wantConnections > 0) log(`open files: soft ${limits.soft}, hard ${limits.hard}; servers get ${nofile}`);

  sweepStaleRunDirs(log);
  if (targets.includes("hibiki-pg")) await sweepStaleSchemas(cfg.databaseUrl, log);
  if (targets.some((t) => t !== "bare")) ensureBuild(log);
  loadAtStart = os.loadavg();
  log(`machine load average ${loadAtStart.map((l) => l.toFixed(2)).join(" / ")} (1/5/15 min) on ${os.cpus().length} cores`);
  if (loadAtStart[0] > 0.5) log("warning: the machine is busy with other work; every result below is pessimistic (see 'other processes CPU')");
  const pool = await startGenerators(generators, { nofile: Math.min(limits.hard, Math.ceil(wantConnections / generators) + 1000) });
  log(`${pool.size} generator processes (pids ${pool.workers.map((w) => w.pid).join(", ")}); run dir ${RUN_DIR}`);

  const profiles = [];
  // The comparisons most sensitive to a busy machine can be measured in several rounds, alternating the
  // order of the targets (A B, B A, …); every number in the table is then the median of its rounds.
  const runs = [];
  for (const scenario of cfg.scenarios) {
    const rounds = ROUNDED.has(scenario) ? cfg.rounds : 1;
    for (let round = 1; round <= rounds; round++) {
      for (const target of round % 2 ? targets : [...targets].reverse()) runs.push({ scenario, target, round, rounds });
    }
  }
  for (const { scenario, target, round, rounds } of runs) {
    {
      if (exiting) return;
      if (target === "hibiki-pg" && !pgScenarios.includes(scenario)) continue;
      if (scenario === "cluster" && target === "hibiki") {
        results.markNa(scenario, target, "PGlite is one process's database");
        results.record(scenario, target, "status", "n/a: a cluster needs PostgreSQL", "text");
        continue;
      }
      const ctx = {
        cfg,
        pool,
        log,
        target,
        scenario,
        tokens: [],
        server: null,
        record: (metric, value, fmt) => results.record(scenario, target, metric, value, fmt),
        recordNa: (reason) => {
          results.markNa(scenario, target, reason);
          if (target !== "bare") results.record(scenario, target, "status", reason, "text");
        },
        recordCpu: (cpu) => {
          results.record(scenario, target, "server CPU (cores)", cpu.serverCores, "cores");
          results.record(scenario, target, "generator CPU (cores)", cpu.genCores, "cores");
          if (cpu.pgCores !== null) results.record(scenario, target, "postgres CPU (cores)", cpu.pgCores, "cores");
          results.record(scenario, target, "other processes CPU (cores)", cpu.otherCores, "cores");
        },
        cpuSample: (label, cpu) => results.cpu.push({ scenario, target, label: rounds > 1 ? `${label} (round ${round})` : label, ...cpu }),
        detail: (title, headers, rows) =>
          results.details.push({ scenario, target, title: rounds > 1 ? `${title} (round ${round})` : title, headers, rows }),
      };
      if (target === "bare" && (scenario === "history" || scenario === "sse" || scenario === "uploads" || scenario === "fanout-files" || scenario === "reactions" || scenario === "search" || scenario === "firstload")) {
        ctx.recordNa(scenario === "sse" ? "bare server has no SSE" : scenario === "uploads" || scenario === "fanout-files" ? "bare server has no uploads" : scenario === "reactions" ? "bare server has no reactions" : scenario === "firstload" ? "bare server has no web app" : "bare server keeps no history");
        continue;
      }
      log(`── ${scenario} · ${TARGET_TITLES[target]}${rounds > 1 ? ` · round ${round} of ${rounds}` : ""}`);
      const profileDir = cfg.profile ? path.join(BENCH_DIR, "results", "prof", `${target}-${scenario}${rounds > 1 ? `-${round}` : ""}`) : undefined;
      if (profileDir) rmSync(profileDir, { recursive: true, force: true });
      // idle: the server again on the same data dir or schema (a restart).
      ctx.restart = async () => {
        const old = ctx.server;
        await old.stop({ keepData: true });
        ctx.server = await startServer(target, { label: `${scenario}-restart`, from: old, nofile, log });
        log(`  restarted: ready in ${(ctx.server.startMs / 1000).toFixed(1)} s (pid ${ctx.server.pid})`);
      };
      try {
        ctx.server = await startServer(target, {
          label: scenario,
          databaseUrl: cfg.databaseUrl,
          prepare: scenario === "history" ? historyPrepare(ctx) : scenario === "search" ? searchPrepare(ctx) : undefined,
          emptyDataDir: scenario === "idle",
          profileDir,
          nofile,
          log,
        });
        log(`  ready in ${(ctx.server.startMs / 1000).toFixed(1)} s (pid ${ctx.server.pid})`);
        await SCENARIOS[scenario](ctx);
      } catch (err) {
        if (exiting) return;
        log(`  ${scenario} on ${target} failed: ${err.stack ?? err}`);
        results.record(scenario, target, "error", String(err.message ?? err).split("\n")[0].slice(0, 48), "text");
      } finally {
        await pool.closeAll();
        if (ctx.server) {
          if (!ctx.server.alive()) log(`  the server had exited (see ${ctx.server.logFile})`);
          await ctx.server.stop();
        }
      }
      if (profileDir) {
        const summary = summarizeProfiles(profileDir);
        if (summary) {
          profiles.push({ scenario, target, summary });
          writeFileSync(path.join(profileDir, "summary.txt"), summary + "\n");
          log(`  CPU profile (${profileDir}):\n${summary.split("\n").slice(0, 22).join("\n")}`);
        }
      }
    }
  }
  await pool.stop();

  const elapsed = (Date.now() - t0) / 1000;
  const table = results.text();
  process.stdout.write(`\n${table}\n\n`);
  const share = results.cpu.filter((c) => Number.isFinite(c.genShare));
  const worst = share.reduce((a, c) => (c.genCores > (a?.genCores ?? -1) ? c : a), null);
  if (worst) {
    process.stdout.write(
      `generator CPU: at most ${worst.genCores.toFixed(2)} cores (${worst.scenario}/${worst.target} ${worst.label}, server ${worst.serverCores.toFixed(2)} cores); ` +
        `this machine has ${os.cpus().length} cores.\n`,
    );
  }
  process.stdout.write(`whole run: ${elapsed.toFixed(0)} s\n`);
  writeReport(results, profiles, elapsed);
}

function gitDescribe() {
  if (env.BENCH_CODE_DESC) return env.BENCH_CODE_DESC;
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "lib", "server.ts", "app", "components"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return `${head}${dirty ? " + uncommitted changes" : ""}`;
  } catch {
    return "unknown";
  }
}

/**
 * "latest" when this run covers every scenario run by default and every default server (Hibiki on
 * PGlite, on PostgreSQL when DATABASE_URL is set, and bare): its report is the full one, committed;
 * "partial" otherwise. Scenarios run only on request (search, c50k, …) may be added to a full run.
 */
function reportName() {
  const defaultScenarios = ALL.filter((s) => !ON_REQUEST.has(s));
  const defaultTargets = ["hibiki", ...(cfg.databaseUrl ? ["hibiki-pg"] : []), "bare"];
  const full =
    defaultScenarios.every((s) => cfg.scenarios.includes(s) && (!targets.includes("hibiki-pg") || pgScenarios.includes(s))) &&
    defaultTargets.every((t) => targets.includes(t));
  return full ? "latest" : "partial";
}

function writeReport(results, profiles, elapsed) {
  const dir = path.join(BENCH_DIR, "results");
  mkdirSync(dir, { recursive: true });
  const settings = {
    BENCH_SECONDS: cfg.seconds,
    BENCH_SCENARIOS: cfg.scenarios.join(","),
    targets: targets.join(","),
    generators,
    warmup: `${cfg.warmupSeconds} s untimed before ingest and history`,
    rounds: cfg.rounds > 1 ? `${cfg.rounds} of ${[...ROUNDED].join(" and ")}, targets alternating; the table shows medians` : "1",
    "quiet budget / retries": `${env.BENCH_QUIET_BUDGET ?? 20} s / ${env.BENCH_RETRIES ?? 2}`,
    fanout: `${cfg.fanoutClients} clients in one room, ${cfg.fanoutSenders} senders × ${cfg.fanoutRate} msg/s`,
    reactions: `the fanout room (${cfg.fanoutClients} clients): ${cfg.reactionRate} plain msg/s, then ${cfg.reactionRate} reactions/s on one message from ${cfg.reactionReactors} members`,
    "fanout-files": "the fanout room and senders twice on one server: text only, then 1 message in 10 with an uploaded 1280×960 JPEG (uploads made before the window, as many again during it)",
    ingest: `${cfg.ingestSenders} senders, one room each, offered up to ${cfg.ingestMax} msg/s, ≤ 64 unacked per sender`,
    memory: `${cfg.memoryConnections} idle connections`,
    idle: `VmRSS ${cfg.idleSeconds} s after the server's start, nobody connected; first start (PGlite: empty data dir) + setup, then a restart`,
    history: `${cfg.historyMessages} messages, pages of 50, 1 and ${cfg.historyClients} clients`,
    search: `${cfg.searchMessages} messages in 100 rooms, 1 and ${cfg.searchClients} clients per query class`,
    firstload: `Chromium, 1280×800; ${cfg.firstloadMessages} messages in #general; ${cfg.firstloadRuns} cold loads (+ a warm reload each) after one untimed load`,
    ...(cfg.scenarios.includes("c50k") ? { c50k: `${cfg.c50kConnections} connections${cfg.c50kCappedFrom ? ` (${cfg.c50kCappedFrom} asked for; the open-files hard limit is ${cfg.c50kHardLimit})` : ""} over ${cfg.c50kRooms} rooms and ${cfg.c50kUsers} accounts, ${generators} generator processes; one message per room; a graceful restart, clients reconnecting with socket.io-client's backoff (1–5 s, ±50 %)` } : {}),
    ...(cfg.scenarios.includes("cluster") ? { cluster: `${cfg.clusterClients} clients in one room, ${cfg.fanoutSenders} senders × ${cfg.fanoutRate} msg/s: one instance, then ${cfg.clusterInstances} (shared PostgreSQL schema, Redis streams adapter), then ${cfg.clusterKillSeconds} s with one killed (SIGKILL) halfway` } : {}),
    hibiki: `node dist/server.js, NODE_ENV=production, LOG_LEVEL=warn, RATE_LIMIT_MESSAGES=0, MAX_CONNECTIONS_PER_USER=10000, bot tokens${env.BENCH_HIBIKI_ENV ? `, ${env.BENCH_HIBIKI_ENV}` : ""}`,
    ...(env.BENCH_SEARCH_INDEX === "off" ? { "search indexing": "OFF (BENCH_SEARCH_INDEX=off: search triggers disabled before start)" } : {}),
  };
  const lines = [
    "# Hibiki load benchmark — latest run",
    "",
    `- date: ${new Date().toISOString()}`,
    `- code: ${gitDescribe()}`,
    `- node ${process.version}, ${os.platform()} ${os.release()}`,
    `- CPU: ${cpuModel()} × ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    `- whole run: ${elapsed.toFixed(0)} s; load average when it started: ${loadAtStart.map((l) => l.toFixed(2)).join(" / ")} (1/5/15 min)`,
    ...Object.entries(settings).map(([k, v]) => `- ${k}: ${v}`),
    "",
    "Ratio = Hibiki ÷ bare (higher is better for rates; lower is better for latency, memory and CPU).",
    "",
    results.markdownTable(),
    "",
    "## Load generator vs server CPU",
    "",
    "CPU cores used during each timed window: utime+stime from /proc/<pid>/stat (sys = the kernel part); generator = all",
    "generator processes + the orchestrator; softirq = loopback TCP work charged to no process (mostly the bench's own",
    "traffic); other = every other process on the machine (a busy machine makes every number worse).",
    "",
    "| scenario | target | step | server cores (sys) | generator cores (sys) | generator share | softirq | other processes |",
    "|---|---|---|---:|---:|---:|---:|---:|",
    ...results.cpu.map(
      (c) =>
        `| ${c.scenario} | ${c.target} | ${c.label} | ${c.serverCores.toFixed(2)} (${c.serverSys.toFixed(2)})${c.pgCores !== null ? ` + postgres ${c.pgCores.toFixed(2)}` : ""} | ${c.genCores.toFixed(2)} (${c.genSys.toFixed(2)}) | ${(c.genShare * 100).toFixed(0)} % | ${c.softirqCores.toFixed(2)} | ${c.otherCores.toFixed(2)} |`,
    ),
    "",
  ];
  for (const d of results.details) {
    lines.push(`## ${d.title} — ${TARGET_TITLES[d.target]}`, "", `| ${d.headers.join(" | ")} |`, `|${d.headers.map(() => "---:").join("|")}|`);
    for (const r of d.rows) lines.push(`| ${r.join(" | ")} |`);
    lines.push("");
  }
  for (const p of profiles) lines.push(`## CPU profile — ${p.scenario} on ${TARGET_TITLES[p.target]}`, "", "```", p.summary, "```", "");
  // Only a run of every default scenario on every default server replaces the committed full report;
  // a subset (one scenario, one server) goes to partial.md (not committed), so it never hides the rest.
  const name = reportName();
  writeFileSync(path.join(dir, `${name}.md`), lines.join("\n"));
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ cfg: { ...cfg, databaseUrl: cfg.databaseUrl ? "(set)" : undefined }, targets, rows: results.rows, cpu: results.cpu, details: results.details, na: results.na }, null, 2));
  log(`wrote ${path.relative(ROOT, path.join(dir, `${name}.md`))}${name === "latest" ? "" : " (a subset of the scenarios or servers: results/latest.md keeps the last full run)"}`);
}

main().then(
  () => bail(0),
  (err) => bail(1, `bench failed: ${env.BENCH_DEBUG === "1" ? err?.stack : err?.message ?? err}`),
);
