// The pool of load-generator processes (bench/lib/worker.mjs), driven over IPC.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cpuSeconds, cpuTimes, sleep, spawnChild, stopChild } from "./proc.mjs";

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.mjs");

function wrap(child, index) {
  let seq = 0;
  const waiting = new Map();
  child.on("message", (m) => {
    const w = waiting.get(m?.seq);
    if (!w) return;
    waiting.delete(m.seq);
    clearTimeout(w.timer);
    if (m.ok) w.resolve(m.result);
    else w.reject(new Error(`generator ${index}: ${m.error}`));
  });
  child.once("exit", (code, signal) => {
    for (const w of waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new Error(`generator ${index} exited (code ${code}, signal ${signal})`));
    }
    waiting.clear();
  });
  return {
    index,
    child,
    pid: child.pid,
    /** One command; rejects after timeoutMs (every command the bench sends is bounded). */
    call(cmd, args, timeoutMs = 300_000) {
      return new Promise((resolve, reject) => {
        const s = ++seq;
        const timer = setTimeout(() => {
          waiting.delete(s);
          reject(new Error(`generator ${index}: ${cmd} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(s, { resolve, reject, timer });
        child.send({ seq: s, cmd, args }, (err) => {
          if (!err) return;
          clearTimeout(timer);
          waiting.delete(s);
          reject(new Error(`generator ${index}: ${cmd}: ${err.message}`));
        });
      });
    },
  };
}

export async function startGenerators(count, { nofile } = {}) {
  const workers = [];
  for (let i = 0; i < count; i++) {
    // BENCH_GEN_PROFILE=1: profile the generators too (bench/results/prof/generator-<i>/).
    const prof = process.env.BENCH_GEN_PROFILE === "1" ? ["--cpu-prof", "--cpu-prof-dir", path.join(path.dirname(WORKER), "..", "results", "prof", `generator-${i}`)] : [];
    const child = spawnChild(`generator-${i}`, process.execPath, [...prof, WORKER], { nofile, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("generator did not start")), 15_000);
      child.once("message", (m) => {
        clearTimeout(timer);
        if (m?.ready) resolve();
        else reject(new Error("generator sent something else first"));
      });
      child.once("exit", () => reject(new Error("generator exited during startup")));
    });
    workers.push(wrap(child, i));
  }
  return {
    workers,
    size: workers.length,
    /** The generator that owns connection `gid`. */
    of: (gid) => workers[gid % workers.length],
    /** The same command on every generator, with per-generator args; resolves with all results. */
    all: (cmd, argsFor, timeoutMs) => Promise.all(workers.map((w) => w.call(cmd, argsFor(w.index), timeoutMs))),
    /** CPU seconds used so far by every generator process together. */
    cpu: () => workers.reduce((a, w) => a + (cpuSeconds(w.pid) ?? 0), 0),
    /** { user, sys } seconds of every generator process together. */
    cpuTimes: () =>
      workers.reduce(
        (a, w) => {
          const t = cpuTimes(w.pid);
          return t ? { user: a.user + t.user, sys: a.sys + t.sys } : a;
        },
        { user: 0, sys: 0 },
      ),
    async closeAll() {
      await Promise.all(workers.map((w) => w.call("closeAll", {}, 30_000).catch(() => undefined)));
      await sleep(200);
    },
    async stop() {
      for (const w of workers) {
        try {
          w.child.send({ cmd: "exit" }, () => undefined);
        } catch {}
      }
      // Let them exit by themselves first (a profiled generator writes its profile on exit).
      await Promise.race([Promise.all(workers.map((w) => (w.child.exitCode !== null ? null : new Promise((r) => w.child.once("exit", r))))), sleep(5000)]);
      await Promise.all(workers.map((w) => stopChild(w.child, 3000)));
    },
  };
}
