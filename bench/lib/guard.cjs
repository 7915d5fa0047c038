// Preloaded (`node -r bench/lib/guard.cjs …`) into every server the bench starts, Hibiki and bare alike.
// 1. The server dies with the bench: when the orchestrator's IPC channel closes (Ctrl-C, crash, kill),
//    the server gets SIGTERM (its own graceful shutdown), and is killed outright 5 s later.
// 2. Memory readings on request: { type: "mem" } → process.memoryUsage() after a full GC (the server
//    runs with --expose-gc), so heap-per-connection is not GC timing noise.
// 3. CPU profiles of the timed windows only (BENCH_PROFILE=1): { type: "prof-start" } and
//    { type: "prof-stop", file } drive the in-process inspector's sampling profiler.
// It does nothing else, and costs nothing while no profile is being taken.
"use strict";
if (typeof process.send === "function") {
  let session = null;
  const reply = (msg, body) => process.send({ type: msg.type, seq: msg.seq, ...body });
  process.on("disconnect", () => {
    setTimeout(() => process.exit(1), 5000).unref();
    process.kill(process.pid, "SIGTERM");
  });
  process.on("message", (msg) => {
    if (!msg || typeof msg.type !== "string") return;
    if (msg.type === "mem") {
      if (typeof global.gc === "function") {
        global.gc();
        global.gc();
      }
      return reply(msg, { mem: process.memoryUsage() });
    }
    if (msg.type === "prof-start") {
      const inspector = require("node:inspector");
      if (!session) {
        session = new inspector.Session();
        session.connect();
      }
      session.post("Profiler.enable", () =>
        session.post("Profiler.setSamplingInterval", { interval: 500 }, () => session.post("Profiler.start", (err) => reply(msg, { ok: !err }))),
      );
      return;
    }
    if (msg.type === "prof-stop") {
      if (!session) return reply(msg, { ok: false });
      session.post("Profiler.stop", (err, res) => {
        let ok = !err;
        try {
          if (ok && res && res.profile) require("node:fs").writeFileSync(msg.file, JSON.stringify(res.profile));
        } catch {
          ok = false;
        }
        reply(msg, { ok });
      });
    }
  });
  // The IPC channel must not keep a server alive that is otherwise shutting down.
  if (process.channel && typeof process.channel.unref === "function") process.channel.unref();
}
