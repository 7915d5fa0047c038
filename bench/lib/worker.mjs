// One load-generator process (forked by bench/run.mjs; several run side by side). It holds WebSocket
// clients, sends at a paced rate, counts deliveries and records latencies, and answers the orchestrator
// over the IPC channel. It only ever connects to the URL the orchestrator gives it (always 127.0.0.1).
import http from "node:http";
import { Hist, nowUs } from "./hist.mjs";
import { WireSocket, bytesAt } from "./wire.mjs";

if (!process.send) {
  console.error("bench/lib/worker.mjs is started by bench/run.mjs");
  process.exit(2);
}
// The orchestrator went away (Ctrl-C, crash): close everything and leave.
process.on("disconnect", () => shutdown(0));

const conns = new Map(); // gid → WireSocket
const sseStreams = new Set();
let run = null; // the timed run in progress: { id, delivered, lastDelivery, lat }
const stray = { events: 0 };

function assertLoopback(url) {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1") throw new Error(`refusing to contact ${host}: the bench only talks to 127.0.0.1`);
}

// Hot path: every "42…" packet of every client, as bytes (valid only during the call). Fan-out
// deliveries carry a marker in their text:  ~B<runId>:<sendTimeUs>:<sender>:<seq>~
const RECEIVE = '["receive-message"';
const MARK = Buffer.from("~B");
function onEvent(d, p0, p1) {
  if (reactRun !== null && bytesAt(d, p0, REACTIONS)) return onReaction(d, p0, p1);
  if (run === null || !bytesAt(d, p0, RECEIVE)) {
    stray.events++;
    return;
  }
  const m = d.indexOf(MARK, p0 + RECEIVE.length);
  if (m < 0 || m >= p1) return;
  let i = m + 2;
  let id = 0;
  for (let c = d[i]; c !== 0x3a; c = d[++i]) id = id * 10 + (c - 48);
  if (id !== run.id) return;
  let t = 0;
  for (let c = d[++i]; c !== 0x3a; c = d[++i]) t = t * 10 + (c - 48);
  const now = nowUs();
  run.delivered++;
  run.lastDelivery = now;
  run.lat.record(now - t);
}

// Reaction storms: a `reactions-updated` event carries no send time, but it carries the change's place in
// the room's order (`changeSeq`), which the reactor also learns from its ack. Receivers keep (changeSeq,
// arrival) pairs; after the window the reactors' (changeSeq, send time) pairs turn them into latencies.
const REACTIONS = '["reactions-updated"';
const CHANGE_SEQ = Buffer.from('"changeSeq":');
let reactRun = null; // { id, seqs: number[], at: number[], delivered, lastDelivery }

/** The number after `"changeSeq":` in bytes p0..p1, or -1. */
function changeSeqIn(d, p0, p1) {
  const k = d.indexOf(CHANGE_SEQ, p0);
  if (k < 0 || k >= p1) return -1;
  let n = 0;
  for (let i = k + CHANGE_SEQ.length, c = d[i]; c >= 48 && c <= 57; c = d[++i]) n = n * 10 + (c - 48);
  return n;
}

function onReaction(d, p0, p1) {
  const seq = changeSeqIn(d, p0, p1);
  if (seq < 0) return;
  const now = nowUs();
  reactRun.seqs.push(seq);
  reactRun.at.push(now);
  reactRun.delivered++;
  reactRun.lastDelivery = now;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function countError(errors, msg) {
  const k = String(msg).slice(0, 120);
  errors[k] = (errors[k] ?? 0) + 1;
}

async function connect({ url, conns: specs, concurrency = 100, timeoutMs = 30_000 }) {
  assertLoopback(url);
  const t0 = Date.now();
  const errors = {};
  let ok = 0;
  let failed = 0;
  let next = 0;
  async function one(spec) {
    const s = new WireSocket(url, spec.auth, onEvent);
    try {
      await s.open(timeoutMs);
      for (const room of spec.rooms ?? []) {
        const res = await s.request("join-room", [room], timeoutMs);
        if (!res || res.ok === false) throw new Error(`join-room ${room}: ${res?.error?.code ?? "no ack"} ${res?.error?.message ?? ""}`);
      }
      conns.set(spec.gid, s);
      ok++;
    } catch (err) {
      s.close();
      failed++;
      countError(errors, err.message);
    }
  }
  const lanes = Array.from({ length: Math.min(concurrency, specs.length) }, async () => {
    while (next < specs.length) await one(specs[next++]);
  });
  await Promise.all(lanes);
  return { ok, failed, errors, ms: Date.now() - t0, open: openCount() };
}

const openCount = () => {
  let n = 0;
  for (const s of conns.values()) if (s.connected) n++;
  return n;
};

/**
 * A timed send run. Each sender sends `rate` messages/s (paced on a 2 ms tick, offset by its `phase`) to its room for
 * durationMs; with `window`, a sender never has more than that many unacked messages (a send that
 * would exceed it is "shed": counted, not sent). Every client of this process counts the deliveries
 * of this run and their end-to-end latency. Afterwards it drains: until every ack is in and no
 * delivery came for quietMs, or drainMaxMs passed. A sender with `attachments` (upload ids it made in
 * its room, each usable once) sends every `attachEvery`-th message (offset by its tag) with the next
 * id, while ids last; `attached` counts those messages.
 */
const OK_ACK = '[{"ok":true';
/**
 * Paces senders over `durationMs` from now: every 2 ms, each sender `s` gets `fire(s)` called until it has
 * been called rate × elapsed seconds (+ its phase, 0..1 of its interval, so senders do not fire in
 * lockstep: synchronised senders make bursts no real room sees, and inflate every latency). `fire`
 * sends once, or counts on the sender why it could not. Resolves with the start and end times (µs).
 */
function pace(senders, durationMs, fire) {
  const start = nowUs();
  const end = start + durationMs * 1000;
  return new Promise((resolve) => {
    const tick = () => {
      const now = nowUs();
      const elapsed = Math.min(now, end) - start;
      for (const s of senders) {
        const due = Math.floor((elapsed / 1e6) * s.rate + s.phase);
        while (s.calls < due) {
          s.calls++;
          fire(s);
        }
      }
      if (now >= end) resolve({ start, sendEnd: nowUs() });
      else setTimeout(tick, 2);
    };
    tick();
  });
}

/** Waits until nothing is in flight and nothing arrived for `quietMs`, or `drainMaxMs` have passed. */
async function drain(senders, lastArrival, sendEnd, { drainMaxMs, quietMs }) {
  const drainEnd = sendEnd + drainMaxMs * 1000;
  for (;;) {
    const now = nowUs();
    const inflight = senders.reduce((a, s) => a + s.inflight, 0);
    if ((inflight === 0 && now - Math.max(lastArrival(), sendEnd) >= quietMs * 1000) || now >= drainEnd) return;
    await sleep(20);
  }
}

async function timedRun({ runId, senders: specs, durationMs, drainMaxMs = 5000, quietMs = 500, window = Infinity, pad = "" }) {
  run = { id: runId, delivered: 0, lastDelivery: 0, lat: new Hist() };
  const droppedBefore = WireSocket.dropped;
  const ackLat = new Hist();
  const errors = {};
  const senders = specs.map((s) => ({
    conn: conns.get(s.gid),
    roomJson: JSON.stringify(s.room),
    tag: s.tag,
    rate: s.rate,
    phase: s.phase ?? 0,
    attachments: s.attachments ? [...s.attachments] : [],
    attachEvery: s.attachEvery ?? 0,
    attached: 0,
    sent: 0,
    shed: 0,
    acked: 0,
    failed: 0,
    inflight: 0,
    lastAck: 0,
    calls: 0,
  }));
  const { start, sendEnd } = await pace(senders, durationMs, (s) => {
    if (s.inflight >= window || !s.conn?.connected) {
      s.shed++;
      return;
    }
    const t = nowUs();
    const text = `~B${runId}:${Math.round(t)}:${s.tag}:${s.sent}~${pad}`;
    let files = "";
    if (s.attachEvery > 0 && (s.sent + s.tag) % s.attachEvery === 0 && s.attachments.length > 0) {
      files = `,"attachments":[${JSON.stringify(s.attachments.shift())}]`;
      s.attached++;
    }
    s.sent++;
    s.inflight++;
    s.conn.emitRaw(`"send-message-to-room",{"room":${s.roomJson},"message":"${text}"${files}}`, (buf, p0, p1) => {
      s.inflight--;
      if (buf !== null && bytesAt(buf, p0, OK_ACK)) {
        const now = nowUs();
        s.acked++;
        s.lastAck = now;
        ackLat.record(now - t);
      } else {
        s.failed++;
        countError(errors, buf === null ? "socket closed" : buf.toString("utf8", p0 + 1, Math.min(p1, p0 + 120)));
      }
    });
  });
  await drain(senders, () => run.lastDelivery, sendEnd, { drainMaxMs, quietMs });
  const r = run;
  run = null;
  const dropped = WireSocket.dropped - droppedBefore;
  const sum = (k) => senders.reduce((a, s) => a + s[k], 0);
  return {
    sent: sum("sent"),
    attached: sum("attached"),
    shed: sum("shed"),
    acked: sum("acked"),
    failed: sum("failed"),
    unacked: sum("inflight"),
    errors,
    delivered: r.delivered,
    dropped,
    lastCloseReason: dropped ? WireSocket.lastCloseReason : null,
    lat: r.lat.toJSON(),
    ackLat: ackLat.toJSON(),
    sendSeconds: (sendEnd - start) / 1e6,
    // Until the last delivery / ack of this run: the throughput denominators (an overloaded server keeps
    // delivering after the send window; counting those over the window alone would flatter it).
    deliverySeconds: (Math.max(r.lastDelivery, sendEnd) - start) / 1e6,
    ackSeconds: (Math.max(...senders.map((s) => s.lastAck), sendEnd) - start) / 1e6,
    drainSeconds: (nowUs() - sendEnd) / 1e6,
  };
}

/** Closed-loop history paging: each client pages backwards (50 at a time) from a random point. */
async function history({ gids, room, firstId, lastId, durationMs, limit = 50 }) {
  const lat = new Hist();
  const errors = {};
  let pages = 0;
  let messages = 0;
  let failed = 0;
  const first = Number(firstId);
  const last = Number(lastId);
  const end = Date.now() + durationMs;
  const randomBefore = () => String(first + limit + Math.floor(Math.random() * (last - first - limit + 2)));
  await Promise.all(
    gids.map(async (gid) => {
      const conn = conns.get(gid);
      let before = randomBefore();
      while (Date.now() < end && conn?.connected) {
        const t = nowUs();
        let res;
        try {
          res = await conn.request("history", [{ room, before, limit }], 30_000);
        } catch (err) {
          failed++;
          countError(errors, err.message);
          continue;
        }
        if (!res?.ok) {
          failed++;
          countError(errors, JSON.stringify(res?.error ?? res));
          before = randomBefore();
          continue;
        }
        lat.record(nowUs() - t);
        pages++;
        const msgs = res.data.messages;
        messages += msgs.length;
        before = res.data.hasMore && msgs.length > 0 ? msgs[0].id : randomBefore();
      }
    }),
  );
  return { pages, messages, failed, errors, lat: lat.toJSON() };
}

/** Opens `count` SSE streams with a bearer token; measures the time to the first event. */
async function sse({ url, tokens, count, concurrency = 50, timeoutMs = 20_000 }) {
  assertLoopback(url);
  const lat = new Hist();
  const errors = {};
  let ok = 0;
  let failed = 0;
  let next = 0;
  const one = (i) =>
    new Promise((resolve) => {
      const t = nowUs();
      const req = http.get(url, { agent: false, headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, accept: "text/event-stream" } });
      const timer = setTimeout(() => {
        failed++;
        countError(errors, "timeout");
        req.destroy();
        resolve();
      }, timeoutMs);
      req.on("response", (res) => {
        if (res.statusCode !== 200) {
          clearTimeout(timer);
          failed++;
          countError(errors, `status ${res.statusCode}`);
          res.resume();
          req.destroy();
          return resolve();
        }
        sseStreams.add(req);
        let buf = "";
        res.setEncoding("utf8");
        const onData = (chunk) => {
          buf += chunk;
          if (buf.includes("\n\n")) {
            clearTimeout(timer);
            lat.record(nowUs() - t);
            ok++;
            res.off("data", onData);
            res.resume();
            resolve();
          }
        };
        res.on("data", onData);
      });
      req.on("error", (err) => {
        clearTimeout(timer);
        failed++;
        countError(errors, err.message);
        resolve();
      });
    });
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await one(next++);
  });
  await Promise.all(lanes);
  return { ok, failed, errors, lat: lat.toJSON() };
}

/**
 * One timed reaction storm: each reactor toggles reactions on one message at `rate` per second, cycling
 * through `emoji` (so every request is a change: add, then remove on its next turn). Returns counts and
 * the reactors' [changeSeq, send time µs] pairs; the arrivals stay here for `reactLatency`.
 */
async function reactStorm({ runId, reactors: specs, emoji, durationMs, drainMaxMs = 5000, quietMs = 500 }) {
  reactRun = { id: runId, seqs: [], at: [], delivered: 0, lastDelivery: 0 };
  const ackLat = new Hist();
  const errors = {};
  const sentSeqs = [];
  const reactors = specs.map((s) => ({ conn: conns.get(s.gid), head: `"react",{"room":${JSON.stringify(s.room)},"id":${JSON.stringify(s.id)},"emoji":`, rate: s.rate, phase: s.phase ?? 0, offset: s.offset ?? 0, sent: 0, acked: 0, failed: 0, inflight: 0, lastAck: 0, calls: 0 }));
  const { start, sendEnd } = await pace(reactors, durationMs, (r) => {
    if (!r.conn?.connected) return;
    const t = nowUs();
    const e = emoji[(r.sent + r.offset) % emoji.length];
    r.sent++;
    r.inflight++;
    r.conn.emitRaw(`${r.head}${JSON.stringify(e)}}`, (buf, p0, p1) => {
      r.inflight--;
      const seq = buf !== null && bytesAt(buf, p0, OK_ACK) ? changeSeqIn(buf, p0, p1) : -1;
      if (seq >= 0) {
        const at = nowUs();
        r.acked++;
        r.lastAck = at;
        ackLat.record(at - t);
        sentSeqs.push([seq, t]);
      } else {
        r.failed++;
        countError(errors, buf === null ? "socket closed" : buf.toString("utf8", p0 + 1, Math.min(p1, p0 + 120)));
      }
    });
  });
  await drain(reactors, () => reactRun.lastDelivery, sendEnd, { drainMaxMs, quietMs });
  const sum = (k) => reactors.reduce((a, r) => a + r[k], 0);
  return {
    sent: sum("sent"),
    acked: sum("acked"),
    failed: sum("failed"),
    errors,
    delivered: reactRun.delivered,
    sentSeqs,
    ackLat: ackLat.toJSON(),
    deliverySeconds: (Math.max(reactRun.lastDelivery, sendEnd) - start) / 1e6,
    ackSeconds: (Math.max(...reactors.map((r) => r.lastAck), sendEnd) - start) / 1e6,
  };
}

/** Latencies of the last reaction storm's arrivals here, given every reactor's [changeSeq, send µs]. */
function reactLatency({ sent }) {
  const sentAt = new Map(sent);
  const lat = new Hist();
  let unmatched = 0;
  const r = reactRun;
  reactRun = null;
  for (let i = 0; i < (r?.seqs.length ?? 0); i++) {
    const t = sentAt.get(r.seqs[i]);
    if (t === undefined) unmatched++;
    else lat.record(r.at[i] - t);
  }
  return { lat: lat.toJSON(), unmatched };
}

function closeAll() {
  for (const s of conns.values()) s.close();
  conns.clear();
  for (const r of sseStreams) r.destroy();
  sseStreams.clear();
  return { closed: true };
}

function shutdown(code) {
  try {
    closeAll();
  } catch {}
  process.exit(code);
}

const commands = {
  connect,
  run: timedRun,
  react: reactStorm,
  reactLatency,
  history,
  sse,
  closeAll,
  stats: () => ({ open: openCount(), stray: stray.events, dropped: WireSocket.dropped, lastCloseReason: WireSocket.lastCloseReason }),
};

process.on("message", async (msg) => {
  if (msg?.cmd === "exit") return shutdown(0);
  const fn = commands[msg?.cmd];
  try {
    if (!fn) throw new Error(`unknown command ${msg?.cmd}`);
    const result = await fn(msg.args ?? {});
    process.send({ seq: msg.seq, ok: true, result });
  } catch (err) {
    process.send({ seq: msg.seq, ok: false, error: err?.stack ?? String(err) });
  }
});
process.send({ ready: true });
