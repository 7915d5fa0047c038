// Starting and stopping the servers under test: Hibiki (production build, PGlite or PostgreSQL) and the
// bare Socket.IO server. Every server listens on 127.0.0.1 on a free port and dies with the bench.
import { execFileSync } from "node:child_process";
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, readdirSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cpuSeconds, cpuTimes, onCleanup, rssBytes, sleep, spawnChild, stopChild } from "./proc.mjs";

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = path.dirname(BENCH_DIR);

/** A directory for this run's data dirs and logs, removed at exit (BENCH_KEEP=1 keeps it). */
export const RUN_DIR = mkdtempSync(path.join(os.tmpdir(), "hibiki-bench-"));
writeFileSync(path.join(RUN_DIR, "pid"), String(process.pid));
onCleanup(async () => {
  if (process.env.BENCH_KEEP === "1") return;
  rmSync(RUN_DIR, { recursive: true, force: true });
});

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
};

/** Removes what an earlier bench run that was killed outright (SIGKILL) left behind: its temp dir. */
export function sweepStaleRunDirs(log) {
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith("hibiki-bench-")) continue;
    const dir = path.join(os.tmpdir(), name);
    if (dir === RUN_DIR) continue;
    let pid;
    try {
      pid = Number(readFileSync(path.join(dir, "pid"), "utf8"));
    } catch {
      continue; // not ours to judge (kept with BENCH_KEEP=1 by an older version, or foreign)
    }
    if (pid > 0 && !alive(pid)) {
      rmSync(dir, { recursive: true, force: true });
      log(`removed ${dir}, left by an earlier run (pid ${pid}) that did not finish`);
    }
  }
}

/** Drops the schemas of earlier bench runs whose process is gone (bench_<label>_<pid>_<time>). */
export async function sweepStaleSchemas(baseUrl, log) {
  const { default: pg } = await import("pg");
  const c = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    const rows = (await c.query("select nspname from pg_namespace where nspname like 'bench\\_%'")).rows;
    for (const { nspname } of rows) {
      const m = /^bench_[a-z0-9_]+?_(\d+)_[a-z0-9]+$/.exec(nspname);
      if (!m || alive(Number(m[1]))) continue;
      await c.query(`drop schema if exists ${nspname} cascade`);
      log(`dropped schema ${nspname}, left by an earlier run (pid ${m[1]}) that did not finish`);
    }
  } finally {
    await c.end();
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The only database hosts the bench will talk to. */
export function checkLoopbackDatabaseUrl(url) {
  const u = new URL(url);
  const host = decodeURIComponent(u.hostname).replace(/^\[|\]$/g, "");
  const socketDir = u.searchParams.get("host");
  const ok = ["127.0.0.1", "localhost", "::1"].includes(host) || (host === "" && (socketDir === null || socketDir.startsWith("/")));
  if (!ok) throw new Error(`DATABASE_URL points at "${host}": the bench only talks to 127.0.0.1`);
}

/** A fresh schema on the PostgreSQL server of DATABASE_URL, dropped at exit; returns a URL that uses it. */
export async function freshSchema(baseUrl, label) {
  const { default: pg } = await import("pg");
  const schema = `bench_${label.replace(/[^a-z0-9_]/gi, "_")}_${process.pid}_${Date.now().toString(36)}`.toLowerCase();
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
  } finally {
    await client.end();
  }
  const drop = async () => {
    const c = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
    await c.connect();
    try {
      await c.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await c.end();
    }
  };
  // Dropped once, whoever asks first (the server's stop, or the exit cleanup, which then waits for it).
  let dropping = null;
  const dropOnce = () =>
    (dropping ??= Promise.race([drop(), sleep(8000).then(() => Promise.reject(new Error("timed out")))]).catch((err) =>
      process.stderr.write(`bench: could not drop schema ${schema}: ${err.message}\n`),
    ));
  onCleanup(dropOnce);
  const sep = baseUrl.includes("?") ? "&" : "?";
  return {
    schema,
    url: `${baseUrl}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: dropOnce,
  };
}

/**
 * A freshly created and migrated PGlite data dir, made once per run and copied for every Hibiki start:
 * creating a PGlite cluster takes ~5 s, copying the result well under one. A copy is exactly as fresh.
 */
let template = null;
function pgliteTemplate(log) {
  if (template) return template;
  const dir = path.join(RUN_DIR, "template-pglite");
  const t0 = Date.now();
  const env = { ...process.env, DATA_DIR: dir };
  delete env.DATABASE_URL;
  execFileSync(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(BENCH_DIR, "seed-history.ts"), "none", "0"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 120_000,
  });
  log(`created the template PGlite data dir in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return (template = dir);
}

async function waitReady(url, child, timeoutMs = 90_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited during startup (code ${child.exitCode}, signal ${child.signalCode})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`server not ready after ${timeoutMs} ms`);
}

/** Requests to the guard preload over IPC ({ type, seq, … } → { type, seq, … }), each bounded to 15 s. */
function guardClient(child) {
  let seq = 0;
  const waiting = new Map();
  child.on("message", (m) => {
    const w = waiting.get(m?.seq);
    if (w && m.type === w.type) {
      waiting.delete(m.seq);
      w.resolve(m);
    }
  });
  return (type, body = {}) => {
    const s = ++seq;
    return Promise.race([
      new Promise((resolve) => {
        waiting.set(s, { type, resolve });
        try {
          child.send({ type, seq: s, ...body }, (err) => err && resolve(null));
        } catch {
          resolve(null);
        }
      }),
      sleep(15_000).then(() => {
        waiting.delete(s);
        return null;
      }),
    ]);
  };
}

/**
 * Starts a server. kind: "hibiki" (PGlite in a fresh DATA_DIR), "hibiki-pg" (PostgreSQL, fresh schema),
 * "bare". `prepare(env)` runs before the server starts (history seeding). `emptyDataDir`: PGlite starts
 * on an empty DATA_DIR and creates its cluster itself, as on a first start (default: a copy of the
 * migrated template). `from`: a stopped handle (stop({ keepData: true })) whose data dir or schema this
 * server takes over, as after a restart. `port`: listen there (a restart on the same address; default a
 * free port). `schema`: a freshSchema() several instances share (hibiki-pg; its owner drops it).
 * `env`: more variables for the server (a cluster's REDIS_URL, …). Returns a handle.
 */
export async function startServer(kind, { label, databaseUrl, prepare, profileDir, nofile, log, emptyDataDir = false, from = null, port: fixedPort, schema: sharedSchema, env: extraEnv = {} }) {
  const port = fixedPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(RUN_DIR, `${kind}-${label}.log`);
  const logStream = createWriteStream(logFile);
  let env;
  let args;
  let schema = null;
  let dataDir = null;
  const guardFile = path.join(BENCH_DIR, "lib", "guard.cjs");
  if (kind === "bare") {
    env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", ...extraEnv };
    args = ["--expose-gc", ...(process.env.BENCH_BARE_NODE_ARGS ?? "").split(/\s+/).filter(Boolean), "-r", guardFile, path.join(BENCH_DIR, "bare-server.mjs")];
  } else {
    env = { ...process.env };
    // Nothing of the caller's Hibiki configuration leaks in: this is the configuration measured.
    for (const k of Object.keys(env)) {
      if (/^(DATABASE_URL|REDIS_URL|GUEST_ACCESS|CORS_ORIGINS|MESSAGE_MAX_CHARS|MAX_PAYLOAD_BYTES|SHUTDOWN_TIMEOUT_MS|NODE_OPTIONS)$/.test(k)) delete env[k];
    }
    Object.assign(env, {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      RATE_LIMIT_MESSAGES: "0",
      // Uploads measure throughput, not the per-user limits.
      RATE_LIMIT_UPLOADS: "0",
      UPLOAD_DAILY_FILES: "0",
      UPLOAD_DAILY_BYTES: "0",
      RATE_LIMIT_SEARCHES: "0",
      // The generator makes many bot accounts and rooms up front: set-up, not what is measured. The
      // history scenario reads pages in a closed loop: its throughput, not the message-pages row; the
      // search and upload scenarios send HTTP requests as fast as they are answered (api-requests); the
      // senders of ingest and saturation send more than a person's events a second (socket-events).
      RATE_LIMITS: "create-bot=0,create-room=0,create-room-daily=0,open-dm=0,add-member=0,changes=0,message-pages=0,guest-message-pages=0,api-requests=0,socket-events=0",
      // The brief asked for 100000, but lib/config.ts accepts at most 10000; the bench spreads its
      // connections over many bot accounts, so 10000 per user is never reached.
      MAX_CONNECTIONS_PER_USER: "10000",
      // As `npm start`, the Docker image and the systemd unit in docs/operations.md run it.
      MALLOC_MMAP_THRESHOLD_: "131072",
    });
    // BENCH_HIBIKI_ENV="K=V,K2=V2": extra settings for experiments (e.g. RECOVERY_MAX_DISCONNECTION_MS=0).
    for (const kv of (process.env.BENCH_HIBIKI_ENV ?? "").split(/[,\s]+/).filter(Boolean)) {
      const i = kv.indexOf("=");
      if (i <= 0) continue;
      const [key, value] = [kv.slice(0, i), kv.slice(i + 1)];
      // RATE_LIMITS rows add to the bench's own (a later row of the same name wins), so an experiment's
      // row does not switch the set-up's rows back on (which once failed the catchup scenario).
      env[key] = key === "RATE_LIMITS" && env.RATE_LIMITS ? `${env.RATE_LIMITS},${value}` : value;
    }
    Object.assign(env, extraEnv);
    if (from) {
      ({ schema, dataDir } = from.data);
      if (schema) env.DATABASE_URL = schema.url;
      env.DATA_DIR = dataDir ?? path.join(RUN_DIR, `unused-${label}`);
    } else if (sharedSchema) {
      if (kind !== "hibiki-pg") throw new Error("a shared schema is for hibiki-pg");
      env.DATABASE_URL = sharedSchema.url;
      env.DATA_DIR = path.join(RUN_DIR, `unused-${label}`);
    } else if (kind === "hibiki-pg") {
      schema = await freshSchema(databaseUrl, label);
      env.DATABASE_URL = schema.url;
      env.DATA_DIR = path.join(RUN_DIR, `unused-${label}`);
    } else {
      dataDir = path.join(RUN_DIR, `data-${label}`);
      rmSync(dataDir, { recursive: true, force: true });
      if (emptyDataDir) mkdirSync(dataDir, { recursive: true });
      else cpSync(pgliteTemplate(log), dataDir, { recursive: true });
      env.DATA_DIR = dataDir;
    }
    // BENCH_HIBIKI_NODE_ARGS="--flag …": V8 / Node flags for experiments that NODE_OPTIONS refuses (--trace-gc).
    const nodeArgs = (process.env.BENCH_HIBIKI_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
    args = ["--expose-gc", ...nodeArgs, "-r", guardFile, path.join(ROOT, "dist", "server.js")];
  }
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  if (prepare) await prepare(env);
  // BENCH_SEARCH_INDEX=off (bench only): the search triggers disabled in the migrated database before the
  // server starts, to measure what indexing costs the write path. Search misses the messages stored then.
  if (kind !== "bare" && !from && process.env.BENCH_SEARCH_INDEX === "off") {
    const out = execFileSync(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(BENCH_DIR, "search-index-off.ts")], {
      cwd: ROOT,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 120_000,
    });
    const { triggers } = JSON.parse(out.trim().split("\n").pop());
    if (triggers.length !== 2) throw new Error(`BENCH_SEARCH_INDEX=off disabled ${triggers.length} search triggers, expected 2`);
    log(`  search indexing off: disabled ${triggers.join(", ")}`);
  }
  log(`starting ${kind} on ${url}${schema ? ` (schema ${schema.schema})` : dataDir ? ` (DATA_DIR ${dataDir})` : ""}`);
  const child = spawnChild(`${kind}:${label}`, process.execPath, args, { env, cwd: ROOT, nofile, stdout: "pipe", stderr: "pipe" });
  child.stdout.pipe(logStream, { end: false });
  child.stderr.pipe(logStream, { end: false });
  const t0 = Date.now();
  try {
    // Creating a PGlite cluster (emptyDataDir) takes 5-20 s on a quiet machine, minutes on a busy one.
    await waitReady(kind === "bare" ? `${url}/healthz` : `${url}/readyz`, child, emptyDataDir ? 240_000 : 90_000);
  } catch (err) {
    await stopChild(child, 2000);
    await new Promise((r) => logStream.end(r));
    let tail = "";
    try {
      tail = readFileSync(logFile, "utf8").trim().split("\n").slice(-12).join("\n");
    } catch {}
    log(`  ${kind} did not start; the end of its log:\n${tail.replace(/^/gm, "    | ")}`);
    throw new Error(`${kind} failed to start: ${err.message}`);
  }
  const startMs = Date.now() - t0;
  const guard = guardClient(child);
  let profiles = 0;
  let stopped = false;
  return {
    kind,
    label,
    url,
    port,
    pid: child.pid,
    child,
    logFile,
    startMs,
    /** Date.now() when the process was spawned. */
    startedAt: t0,
    /** Where its data lives (the PGlite data dir or the PostgreSQL schema), for `from`. */
    data: { schema, dataDir },
    /** { rss (VmRSS from /proc), heapUsed, external, … } after a forced GC in the server. */
    mem: async () => ({ ...((await guard("mem"))?.mem ?? {}), rss: rssBytes(child.pid) }),
    /** Starts / stops the sampling profiler in the server (profileDir set): one file per timed window. */
    profileStart: async () => {
      if (profileDir) await guard("prof-start");
    },
    profileStop: async (label) => {
      if (!profileDir) return;
      const file = path.join(profileDir, `${String(++profiles).padStart(2, "0")}-${label.replace(/[^a-z0-9.-]+/gi, "_")}.cpuprofile`);
      await guard("prof-stop", { file });
    },
    cpu: () => cpuSeconds(child.pid),
    cpuTimes: () => cpuTimes(child.pid),
    alive: () => child.exitCode === null && child.signalCode === null,
    /** Stops the server; the data dir or schema is removed unless keepData (then the next owner does). */
    async stop({ keepData = false } = {}) {
      if (stopped) return;
      stopped = true;
      await stopChild(child, 15_000);
      logStream.end();
      if (keepData) return;
      if (schema) await schema.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Hibiki's first-run setup (`POST /api/setup`): creates the admin `<prefix>-admin` and room `general`.
 * Returns the admin's session cookie as a request header value ("hibiki_session=…").
 */
export async function setupAdmin(server, { prefix = "bench" } = {}) {
  const password = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const res = await fetch(`${server.url}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `${prefix}-admin`, password }),
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  const cookie = /hibiki_session=[^;]*/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  if (!cookie) throw new Error("setup returned no session cookie");
  return cookie;
}

/** Hibiki's first-run setup and bot accounts: returns bot tokens. */
export async function setupHibiki(server, botCount, { prefix = "bench" } = {}) {
  const cookie = await setupAdmin(server, { prefix });
  const tokens = new Array(botCount);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(8, botCount) }, async () => {
      while (next < botCount) {
        const i = next++;
        const r = await fetch(`${server.url}/api/admin/bots`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie },
          body: JSON.stringify({ name: `${prefix}-${String(i).padStart(5, "0")}` }),
        });
        if (r.status !== 201) throw new Error(`bot creation failed: ${r.status} ${await r.text()}`);
        tokens[i] = (await r.json()).token;
      }
    }),
  );
  return tokens;
}

/** Runs the production build when the sources changed (`node scripts/build.mjs --if-stale`). */
export function ensureBuild(log) {
  if (process.env.BENCH_SKIP_BUILD === "1") return log("BENCH_SKIP_BUILD=1: using the existing build");
  log("checking the production build (node scripts/build.mjs --if-stale)…");
  try {
    execFileSync(process.execPath, ["scripts/build.mjs", "--if-stale"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  } catch {
    throw new Error(
      "the production build failed (see the output above; app pages being edited?). Fix it or retry later; " +
        "BENCH_SKIP_BUILD=1 uses the existing build if there is a complete one, BENCH_TARGETS=bare runs the baseline alone.",
    );
  }
}

/** Size of a directory tree in bytes (for the seeded database). */
export function duBytes(p) {
  let total = 0;
  try {
    const st = statSync(p);
    if (!st.isDirectory()) return st.size;
    for (const n of readdirSync(p)) total += duBytes(path.join(p, n));
  } catch {}
  return total;
}
