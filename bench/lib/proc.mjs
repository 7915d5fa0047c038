// Child processes, their cleanup, and CPU/memory readings from /proc.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { execFile, execFileSync } from "node:child_process";

const children = new Set(); // { child, name }
const cleanups = []; // async () => void, run once at exit (temp dirs, database schemas)

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Soft and hard limits on open files of this process. */
export function fileLimits() {
  try {
    const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
    const [soft, hard] = line.trim().split(/\s+/).slice(3, 5).map((v) => (v === "unlimited" ? Infinity : Number(v)));
    return { soft, hard };
  } catch {
    return { soft: 1024, hard: 1024 };
  }
}

/**
 * Spawns a child with an IPC channel and registers it for cleanup. When `nofile` is above this
 * process's soft limit, the child is started through `sh -c 'ulimit -n …; exec …'` (same pid, same fds).
 */
export function spawnChild(name, cmd, args, { env, cwd, nofile, stdout = "inherit", stderr = "inherit" } = {}) {
  let file = cmd;
  let argv = args;
  const lim = fileLimits();
  if (nofile && nofile > lim.soft) {
    const n = Math.min(nofile, lim.hard);
    file = "/bin/sh";
    argv = ["-c", `ulimit -n ${n} 2>/dev/null; exec "$0" "$@"`, cmd, ...args];
  }
  const child = spawn(file, argv, { env, cwd, stdio: ["ignore", stdout, stderr, "ipc"] });
  const entry = { child, name };
  children.add(entry);
  // A failed send on a closed IPC channel, a failed kill: never a crash of the bench.
  child.on("error", () => undefined);
  child.once("exit", () => children.delete(entry));
  return child;
}

/** Waits for a child to exit; SIGTERM first, SIGKILL after `graceMs`. */
export function stopChild(child, graceMs = 10_000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {}
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      child.kill("SIGTERM");
    } catch {}
  });
}

export function onCleanup(fn) {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

let cleaning = null;
/** Stops every child still registered and runs the cleanups. Bounded: at most ~12 s. */
export function cleanupAll() {
  cleaning ??= (async () => {
    await Promise.race([
      (async () => {
        await Promise.all([...children].map(({ child }) => stopChild(child, 5000)));
        for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
      })(),
      new Promise((r) => setTimeout(r, 12_000)),
    ]);
    killAllNow();
  })();
  return cleaning;
}

/** Last resort (process 'exit'): SIGKILL whatever is left, synchronously. */
export function killAllNow() {
  for (const { child } of children) {
    try {
      child.kill("SIGKILL");
    } catch {}
  }
}

/** utime + stime of a process (all its threads), in seconds; null when it is gone. */
export function cpuSeconds(pid) {
  const t = cpuTimes(pid);
  return t ? t.user + t.sys : null;
}

/** { user, sys } seconds of a process (all its threads); null when it is gone. */
export function cpuTimes(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "(comm) ": state(0) ppid(1) … utime(11) stime(12)
    return { user: Number(f[11]) / CLK_TCK, sys: Number(f[12]) / CLK_TCK };
  } catch {
    return null;
  }
}

/**
 * CPU seconds (utime + stime) of each thread of process `pid`, by thread id, in thread-id order; an empty
 * Map when the process is gone. Thread ids grow with creation, so the main thread (tid = pid) comes first,
 * then the threads Node starts with it (V8's platform workers, libuv's pool), then later ones (worker_threads).
 */
export function threadCpuSeconds(pid) {
  const out = new Map();
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`).map(Number).sort((a, b) => a - b);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(tid, (Number(f[11]) + Number(f[12])) / CLK_TCK);
    } catch {}
  }
  return out;
}

/** Summed CPU seconds of every process whose command name is `comm` (e.g. the PostgreSQL backends). */
/** CPU seconds of every live process named `comm`, by pid (see cpuSecondsSince). */
export function cpuSecondsByName(comm) {
  const byPid = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (name !== comm) continue;
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      byPid.set(d, (Number(f[11]) + Number(f[12])) / CLK_TCK);
    } catch {}
  }
  return byPid;
}

/**
 * CPU seconds used between two cpuSecondsByName samples: processes started in between count from zero;
 * processes that exited in between are not counted (their time is gone with them), so the sum can
 * undercount but is never negative.
 */
export function cpuSecondsSince(before, after) {
  let total = 0;
  for (const [pid, seconds] of after) total += Math.max(0, seconds - (before.get(pid) ?? 0));
  return total;
}

/**
 * CPU seconds the whole machine spent (all cores; /proc/stat): `busy` = user + nice + system + irq +
 * steal (what processes, or the hypervisor, took), and `softirq` apart: loopback TCP work done in
 * softirq context is charged to no process, and here most of it is the bench's own traffic.
 */
export function machineCpuSeconds() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    return { busy: (f[0] + f[1] + f[2] + f[5] + f[7]) / CLK_TCK, softirq: f[6] / CLK_TCK };
  } catch {
    return { busy: 0, softirq: 0 };
  }
}

/** The kB fields of /proc/<pid>/status (VmRSS, RssAnon, RssFile, …) in KiB; {} when it is gone. */
export function procStatusKiB(pid) {
  const out = {};
  try {
    for (const m of readFileSync(`/proc/${pid}/status`, "utf8").matchAll(/^(\w+):\s+(\d+) kB$/gm)) out[m[1]] = Number(m[2]);
  } catch {}
  return out;
}

/** VmRSS of a process in bytes. */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export function cpuModel() {
  try {
    const m = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"));
    return m ? m[1].trim() : "unknown";
  } catch {
    return "unknown";
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The machine's TCP listen-queue counters (/proc/net/netstat TcpExt): `ListenOverflows` counts
 * connections dropped because a listening socket's accept queue was full, `SyncookiesSent` SYN cookies
 * sent because its SYN queue was. Machine-wide (every process's listeners); {} when unreadable.
 */
export function listenCounters() {
  try {
    const lines = readFileSync("/proc/net/netstat", "utf8").split("\n").filter((l) => l.startsWith("TcpExt:"));
    const names = lines[0].trim().split(/\s+/).slice(1);
    const values = lines[1].trim().split(/\s+/).slice(1).map(Number);
    const get = (n) => values[names.indexOf(n)] ?? 0;
    return { overflows: get("ListenOverflows"), cookies: get("SyncookiesSent") };
  } catch {
    return { overflows: 0, cookies: 0 };
  }
}

/**
 * Samples the accept queue of the TCP listener on 127.0.0.1:`port` every `everyMs` (`ss -ltn`: for a
 * listening socket Recv-Q is the connections waiting to be accepted, Send-Q its backlog). `stop()`
 * returns { peak, backlog, fullSamples, samples }; all zero where `ss` is missing.
 */
export function acceptQueueSampler(port, everyMs = 250) {
  const out = { peak: 0, backlog: 0, fullSamples: 0, samples: 0 };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    execFile("ss", ["-ltnH", `sport = :${port}`], { timeout: 2000 }, (err, stdout) => {
      busy = false;
      if (err) return;
      for (const line of stdout.split("\n")) {
        const f = line.trim().split(/\s+/);
        if (f[0] !== "LISTEN" || !f[3]?.startsWith("127.0.0.1:")) continue;
        const queued = Number(f[1]);
        out.backlog = Number(f[2]);
        out.samples++;
        out.peak = Math.max(out.peak, queued);
        if (queued >= out.backlog) out.fullSamples++;
      }
    });
  }, everyMs);
  timer.unref();
  return { stop: () => (clearInterval(timer), out) };
}
