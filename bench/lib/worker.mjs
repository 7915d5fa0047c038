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
function onEvent(d, p0, p1, conn) {
  if (reactRun !== null && bytesAt(d, p0, REACTIONS)) return onReaction(d, p0, p1);
  const h = conn?.held;
  if (h !== undefined && h.recv !== null && bytesAt(d, p0, RECEIVE)) return onTracked(d, p0, p1, h, conn);
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

async function timedRun({ runId, senders: specs, durationMs, drainMaxMs = 5000, quietMs = 500, window = Infinity, pad = "", track = false }) {
  run = { id: runId, delivered: 0, lastDelivery: 0, lat: new Hist(), latSame: new Hist(), latCross: new Hist() };
  const droppedBefore = WireSocket.dropped;
  const ackLat = new Hist();
  const errors = {};
  const senders = specs.map((s) => ({
    gid: s.gid,
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
    acks: [],
  }));
  const { start, sendEnd } = await pace(senders, durationMs, (s) => {
    // Looked up at every send: a held client (see hold) has a new socket after each reconnection.
    const conn = conns.get(s.gid);
    if (s.inflight >= window || !conn?.connected) {
      s.shed++;
      return;
    }
    const t = nowUs();
    // Tracked runs: the tag is the sender's gid × 10 + the instance it is connected to now.
    const tag = track ? s.gid * 10 + (held.get(s.gid)?.inst ?? 0) : s.tag;
    const seq = s.sent;
    const text = `~B${runId}:${Math.round(t)}:${tag}:${seq}~${pad}`;
    let files = "";
    if (s.attachEvery > 0 && (s.sent + s.tag) % s.attachEvery === 0 && s.attachments.length > 0) {
      files = `,"attachments":[${JSON.stringify(s.attachments.shift())}]`;
      s.attached++;
    }
    s.sent++;
    s.inflight++;
    conn.emitRaw(`"send-message-to-room",{"room":${s.roomJson},"message":"${text}"${files}}`, (buf, p0, p1) => {
      s.inflight--;
      if (buf !== null && bytesAt(buf, p0, OK_ACK)) {
        const now = nowUs();
        s.acked++;
        s.lastAck = now;
        ackLat.record(now - t);
        if (track) s.acks.push(seq);
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
    latSame: r.latSame.toJSON(),
    latCross: r.latCross.toJSON(),
    ackLat: ackLat.toJSON(),
    // Tracked runs: per sender, the send numbers (the marker's last field) the server acknowledged.
    ackedSeqs: track ? senders.map((s) => [s.gid, s.acks]) : undefined,
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

// ----------------------------------------------------------------------------------------- held clients
// Clients that stay connected the way socket.io-client keeps a connection: when the connection drops they
// reconnect by themselves after socket.io-client's backoff with jitter (1 s doubling to at most 5 s, ±50 %,
// engine.io's backo2 formula), send `auth.lastSeen` (the newest message they hold, Hibiki only) and join
// their rooms again. Used by the c50k scenario (a restart's reconnect storm) and the cluster scenario (an
// instance killed: its clients go to the others). With several URLs they behave as behind a load
// balancer that tries the next instance when one refuses the TCP connection (nginx's passive check):
// such a refusal is not a failed attempt while another instance answers.
const held = new Map(); // gid → Held
let holdCfg = null; // { urls, timeoutMs, ackTimeoutMs, backoff, track, cap, senders }
let holding = false;
/** The tracked run: deliveries of other runs are ignored by the accounting. */
let trackRunId = -1;

/** socket.io-client's reconnection delay for attempt n (0, 1, …): engine.io's backo2. */
function backoffMs(n, { min, max, factor, jitter }) {
  let ms = min * factor ** n;
  if (jitter) {
    const rand = Math.random();
    const deviation = Math.floor(rand * jitter * ms);
    ms = (Math.floor(rand * 10) & 1) === 0 ? ms - deviation : ms + deviation;
  }
  return Math.min(ms, max) | 0;
}

const MARKER_RE = /~B(\d+):(\d+):(\d+):(\d+)~/;
const SEQ_KEY = Buffer.from('"seq":');
const ID_KEY = Buffer.from('"id":"');

function setBit(bits, i) {
  const byte = i >> 3;
  const mask = 1 << (i & 7);
  if (bits[byte] & mask) return false;
  bits[byte] |= mask;
  return true;
}

/**
 * A message arrived at a tracked client (live, replayed after a reconnection, in a join's page or a
 * history page): its marker (run, send time, sender gid × 10 + sender's instance, send number) marks it
 * received; the room's `seq` (Hibiki) is the client's place in the room (gap filling, `lastSeen`).
 */
function noteTracked(h, runId, tag, seq, roomSeq, idOf) {
  let fresh = false;
  if (runId === trackRunId) {
    const key = Math.floor(tag / 10) * holdCfg.cap + seq;
    if (seq < holdCfg.cap && key < holdCfg.senders * holdCfg.cap) fresh = setBit(h.recv, key);
  }
  if (roomSeq > 0) {
    // As the web client's RoomCursors: the highest seq and id seen, and the seqs held without a hole
    // (`lastSeen` stays below a hole, so a reconnection replays it).
    if (roomSeq > h.maxRoomSeq) {
      h.maxRoomSeq = roomSeq;
      h.maxId = idOf();
    }
    if (h.upTo < 0) h.upTo = roomSeq - 1;
    if (roomSeq === h.upTo + 1) {
      h.upTo = roomSeq;
      h.upToId = idOf();
      for (let next = h.above.get(h.upTo + 1); next !== undefined; next = h.above.get(h.upTo + 1)) {
        h.above.delete(++h.upTo);
        h.upToId = next;
      }
    } else if (roomSeq > h.upTo) h.above.set(roomSeq, idOf());
  }
  return fresh;
}

/** The number after `key` in d[p0..p1), or -1. */
function numberAfter(d, p0, p1, key) {
  const k = d.indexOf(key, p0);
  if (k < 0 || k >= p1) return -1;
  let n = 0;
  let i = k + key.length;
  for (let c = d[i]; c >= 48 && c <= 57; c = d[++i]) n = n * 10 + (c - 48);
  return n;
}

function onTracked(d, p0, p1, h, conn) {
  const m = d.indexOf(MARK, p0 + RECEIVE.length);
  let runId = -1;
  let t = 0;
  let tag = 0;
  let seq = 0;
  if (m >= 0 && m < p1) {
    let i = m + 2;
    runId = 0;
    for (let c = d[i]; c !== 0x3a; c = d[++i]) runId = runId * 10 + (c - 48);
    for (let c = d[++i]; c !== 0x3a; c = d[++i]) t = t * 10 + (c - 48);
    for (let c = d[++i]; c !== 0x3a; c = d[++i]) tag = tag * 10 + (c - 48);
    for (let c = d[++i]; c >= 48 && c <= 57; c = d[++i]) seq = seq * 10 + (c - 48);
  }
  const roomSeq = numberAfter(d, p0, p1, SEQ_KEY);
  const seenSeq = h.maxRoomSeq;
  const idOf = () => {
    const k = d.indexOf(ID_KEY, p0) + ID_KEY.length;
    return d.toString("latin1", k, d.indexOf(0x22, k));
  };
  const fresh = noteTracked(h, runId, tag, seq, roomSeq, idOf);
  if (fresh && h.inReplay) h.replayed++;
  // A live message that leaves a hole in the seqs (it skipped, or came before an older one): as the web
  // client (components/chat/chat-client.ts, repairSoon), look again after the grace period and fetch what
  // is still missing.
  if (!h.inReplay && seenSeq > 0 && roomSeq > 0 && conn.connected) repairSoon(h, conn);
  if (run !== null && runId === run.id) {
    const now = nowUs();
    run.delivered++;
    run.lastDelivery = now;
    run.lat.record(now - t);
    (tag % 10 === h.inst ? run.latSame : run.latCross).record(now - t);
  }
}

/** A message from a join's page or a history page (parsed JSON). */
function noteParsed(h, msg) {
  const mk = typeof msg?.text === "string" ? MARKER_RE.exec(msg.text) : null;
  const id = typeof msg?.id === "string" ? msg.id : "";
  const roomSeq = typeof msg?.seq === "number" ? msg.seq : -1;
  return mk ? noteTracked(h, Number(mk[1]), Number(mk[3]), Number(mk[4]), roomSeq, () => id) : noteTracked(h, -1, 0, 0, roomSeq, () => id);
}

/**
 * Fetches the messages between room seq `afterSeq` and the message `next` with `history`, newest page
 * first: the web client's fillGap (components/chat/room-sync.ts), which it runs after a join whose page
 * starts past the last seq it saw, and on every message whose seq skips past the last one it saw.
 */
async function fillGap(h, sock, roomName, afterSeq, next) {
  h.gapFills++;
  let boundary = next;
  for (let pages = 0; pages < 100 && boundary.seq - afterSeq > 1 && sock.connected; pages++) {
    const limit = Math.min(100, boundary.seq - afterSeq - 1);
    let res;
    try {
      res = await sock.request("history", [{ room: roomName, before: boundary.id, limit }], holdCfg.ackTimeoutMs);
    } catch {
      // Timed out or the connection went (its reconnection replays from below the gap). The web client
      // gives up too: the gap stays until the next reconnection.
      h.fillFailures++;
      return;
    }
    if (!res?.ok || res.data.messages.length === 0) {
      h.fillFailures++;
      return;
    }
    for (const msg of res.data.messages) if (noteParsed(h, msg)) h.filled++;
    h.historyPages++;
    boundary = res.data.messages[0];
  }
}

/** The web client's HOLE_GRACE_MS and HOLE_RETRY_MS (components/chat/chat-client.ts). */
const HOLE_GRACE_MS = 300;
const HOLE_RETRY_MS = 5000;

/** The web client's repairSoon: one look at the lowest hole per client, HOLE_GRACE_MS after it showed. */
function repairSoon(h, conn) {
  if (h.repairTimer || h.above.size === 0) return;
  if (h.stuckAfter === h.upTo && Date.now() < h.stuckUntil) return;
  h.repairTimer = setTimeout(() => {
    h.repairTimer = null;
    void repairHole(h, conn);
  }, HOLE_GRACE_MS);
}

async function repairHole(h, conn) {
  if (h.above.size === 0 || !conn.connected) return;
  const afterSeq = h.upTo;
  const seq = Math.min(...h.above.keys());
  await fillGap(h, conn, h.rooms[0], afterSeq, { id: h.above.get(seq), seq });
  if (h.above.size > 0 && h.upTo === afterSeq) {
    h.stuckAfter = afterSeq;
    h.stuckUntil = Date.now() + HOLE_RETRY_MS;
  } else repairSoon(h, conn);
}

/** After a join: the page's messages count as received, and a gap before the page is filled. */
async function afterJoin(h, sock, roomName, data) {
  const page = Array.isArray(data?.messages) ? data.messages : [];
  const seenSeq = h.maxRoomSeq; // replayed messages included: they came before the join's answer
  for (const msg of page) noteParsed(h, msg);
  const first = page[0];
  if (seenSeq > 0 && typeof first?.seq === "number" && first.seq - seenSeq > 1) await fillGap(h, sock, roomName, seenSeq, first);
}

function authOf(h) {
  if (!h.maxId || !holdCfg.track) return h.auth;
  const position = h.above.size > 0 && h.upToId ? h.upToId : h.maxId;
  return { ...h.auth, lastSeen: Object.fromEntries(h.rooms.map((r) => [r, position])) };
}

function scheduleAttempt(h) {
  if (!holding) return;
  h.timer = setTimeout(() => void attemptHeld(h), backoffMs(h.attempt++, holdCfg.backoff));
}

/** One connection attempt: open, authenticate, join the rooms (and gap-fill); on failure, back off. */
async function attemptHeld(h) {
  h.timer = null;
  if (!holding) return;
  const started = nowUs();
  let sock = null;
  try {
    sock = new WireSocket(holdCfg.urls[h.inst], authOf(h), onEvent, { localAddress: h.local });
    sock.held = h;
    h.inReplay = true;
    // socket.io-client waits for the Socket.IO connect as long as the server lets it (its connectTimeout,
    // 120 s in Hibiki since the connect throttle, 45 s in bare): this bound only ends a hung attempt.
    await sock.open(holdCfg.timeoutMs, { afterOpenMs: 130_000 });
    for (const r of h.rooms) {
      const res = await sock.request("join-room", [r], holdCfg.ackTimeoutMs);
      if (!res || res.ok === false) throw new Error(`join-room: ${res?.error?.code ?? "no ack"} ${res?.error?.message ?? ""}`);
      h.inReplay = false;
      if (h.recv !== null) await afterJoin(h, sock, r, res.data);
    }
  } catch (err) {
    h.inReplay = false;
    sock?.close();
    if (!holding) return;
    const refused = err?.code === "ECONNREFUSED";
    // Behind a load balancer: a refused TCP connection goes to the next instance at once.
    if (refused && h.lbTries < holdCfg.urls.length - 1) {
      h.lbTries++;
      h.lbSkips++;
      h.inst = (h.inst + 1) % holdCfg.urls.length;
      return attemptHeld(h);
    }
    h.lbTries = 0;
    if (h.failures.length < 100) h.failures.push([started, refused ? "ECONNREFUSED" : String(err?.message ?? err).slice(0, 100)]);
    // The web client (components/chat/reconnection.ts): a connect throttle's refusal is retried after its
    // retryAfter plus up to 20 %, not after the backoff.
    const retryAfter = err?.data?.code === "rate_limited" ? err.data.retryAfter : undefined;
    if (typeof retryAfter === "number" && retryAfter > 0 && holding) {
      h.timer = setTimeout(() => void attemptHeld(h), Math.round(retryAfter * 1000 * (1 + 0.2 * Math.random())));
      return;
    }
    return scheduleAttempt(h);
  }
  h.lbTries = 0;
  h.inReplay = false;
  h.attempt = 0;
  h.connects++;
  h.joinedAt = nowUs();
  h.sock = sock;
  conns.set(h.gid, sock);
  sock.onClose = () => {
    if (h.sock !== sock) return;
    h.sock = null;
    h.drops++;
    h.droppedAt = nowUs();
    scheduleAttempt(h);
  };
}

/**
 * Opens `conns` (`{ gid, auth, rooms, local?, inst? }`) as held clients, `concurrency` first attempts at a
 * time, and resolves when all have joined (or `waitMs` passed) with holdStats. `urls`: the instances
 * (a client starts on `urls[inst]`); `track`: count every message of the tracked run per client
 * (`senders` × `cap` send numbers) and send `lastSeen` on reconnection.
 */
async function hold({ urls, conns: specs, concurrency = 100, timeoutMs = 20_000, ackTimeoutMs = 10_000, waitMs = 300_000, track = false, senders = 0, cap = 0 }) {
  for (const u of urls) assertLoopback(u.replace(/^ws/, "http"));
  holding = true;
  holdCfg = { urls, timeoutMs, ackTimeoutMs, backoff: { min: 1000, max: 5000, factor: 2, jitter: 0.5 }, track, senders, cap };
  const t0 = nowUs();
  const list = specs.map((s) => {
    const h = {
      gid: s.gid, auth: s.auth, rooms: s.rooms ?? [], local: s.local, inst: s.inst ?? 0,
      sock: null, timer: null, attempt: 0, lbTries: 0, lbSkips: 0, failures: [], connects: 0, drops: 0, joinedAt: 0, droppedAt: 0,
      recv: track ? new Uint8Array(Math.ceil((senders * cap) / 8)) : null, maxRoomSeq: 0, maxId: "", upTo: -1, upToId: "", above: new Map(), repairTimer: null, stuckAfter: -1, stuckUntil: 0,
      inReplay: false, replayed: 0, filled: 0, historyPages: 0, gapFills: 0, fillFailures: 0,
    };
    held.set(s.gid, h);
    return h;
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, list.length) }, async () => {
      while (next < list.length) await attemptHeld(list[next++]);
    }),
  );
  const end = Date.now() + waitMs;
  while (Date.now() < end && list.some((h) => h.sock === null)) await sleep(100);
  return { ...holdStats({ since: t0 }), ms: (nowUs() - t0) / 1000 };
}

/**
 * The held clients now: how many are connected and joined, how many (re)joined at or after `since` (µs,
 * the shared monotonic clock) and when the last did; failed attempts per client that started at or after
 * `failuresFrom` — refused TCP connections only from `refusedFrom` on (before it the server was known to
 * be down) — and every other failure (timeout, connect_error, closed, a join refused).
 */
function holdStats({ since = 0, failuresFrom = 0, refusedFrom = 0 } = {}) {
  let joined = 0;
  let rejoined = 0;
  let lastJoinAt = 0;
  let withFailures = 0;
  let withMoreThanOne = 0;
  let maxFailures = 0;
  let failures = 0;
  let lbSkips = 0;
  let drops = 0;
  const reasons = {};
  let firstFailure = 0;
  let lastFailure = 0;
  for (const h of held.values()) {
    if (h.sock?.connected) joined++;
    if (h.joinedAt >= since && h.sock !== null) {
      rejoined++;
      lastJoinAt = Math.max(lastJoinAt, h.joinedAt);
    }
    lbSkips += h.lbSkips;
    drops += h.drops;
    let n = 0;
    for (const [t, why] of h.failures) {
      if (t < failuresFrom || (why === "ECONNREFUSED" && t < refusedFrom)) continue;
      n++;
      reasons[why] = (reasons[why] ?? 0) + 1;
      if (firstFailure === 0 || t < firstFailure) firstFailure = t;
      if (t > lastFailure) lastFailure = t;
    }
    failures += n;
    if (n > 0) withFailures++;
    if (n > 1) withMoreThanOne++;
    maxFailures = Math.max(maxFailures, n);
  }
  return { total: held.size, joined, rejoined, lastJoinAt, failures, withFailures, withMoreThanOne, maxFailures, reasons, firstFailure, lastFailure, lbSkips, drops, open: openCount() };
}

/**
 * The tracked run's accounting: `acked` is [[sender gid, [send numbers]], …] from every generator; for
 * each held client, which of those it has (live, replayed, in a join's page or filled from history).
 */
function trackCheck({ acked }) {
  let expected = 0;
  let received = 0;
  let clientsMissing = 0;
  let replayed = 0;
  let filled = 0;
  let historyPages = 0;
  let gapFills = 0;
  let fillFailures = 0;
  let reconnected = 0;
  let sample = null;
  const keys = [];
  for (const [gid, seqs] of acked) for (const q of seqs) keys.push(gid * holdCfg.cap + q);
  for (const h of held.values()) {
    if (h.recv === null) continue;
    let got = 0;
    for (const k of keys) if (h.recv[k >> 3] & (1 << (k & 7))) got++;
    expected += keys.length;
    received += got;
    if (got < keys.length) {
      clientsMissing++;
      if (sample === null) {
        const missing = keys.filter((k) => !(h.recv[k >> 3] & (1 << (k & 7)))).slice(0, 5).map((k) => [Math.floor(k / holdCfg.cap), k % holdCfg.cap]);
        sample = { gid: h.gid, missing: keys.length - got, first: missing, inst: h.inst, connects: h.connects, maxRoomSeq: h.maxRoomSeq, upTo: h.upTo, fillFailures: h.fillFailures, connected: h.sock?.connected ?? false };
      }
    }
    replayed += h.replayed;
    filled += h.filled;
    historyPages += h.historyPages;
    gapFills += h.gapFills;
    fillFailures += h.fillFailures;
    if (h.connects > 1) reconnected++;
  }
  return { clients: [...held.values()].filter((h) => h.recv !== null).length, expected, received, clientsMissing, replayed, filled, historyPages, gapFills, fillFailures, reconnected, sample };
}

/** Starts counting run `runId`'s messages afresh in every tracked client (before the run starts anywhere). */
function trackStart({ runId }) {
  trackRunId = runId;
  for (const h of held.values()) {
    if (h.recv === null) continue;
    h.recv.fill(0);
    h.replayed = 0;
    h.filled = 0;
    h.historyPages = 0;
    h.gapFills = 0;
    h.fillFailures = 0;
  }
  return { ok: true };
}

/** Clients of instance `inst` now (the orchestrator's view of where the load balancer put them). */
const heldOn = ({ inst }) => ({ n: [...held.values()].filter((h) => h.sock !== null && h.inst === inst).length });

function releaseHeld() {
  holding = false;
  for (const h of held.values()) {
    if (h.timer) clearTimeout(h.timer);
    h.timer = null;
    if (h.repairTimer) clearTimeout(h.repairTimer);
    h.repairTimer = null;
    h.sock?.close();
  }
  held.clear();
  holdCfg = null;
  trackRunId = -1;
}

function closeAll() {
  releaseHeld();
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
  hold,
  holdStats,
  trackStart,
  trackCheck,
  heldOn,
  /** Starts counting every frame the clients of this process receive (WireSocket.tally), from zero. */
  framesStart: () => ((WireSocket.tally = {}), {}),
  /** Stops counting; returns the counts `{ [name]: { frames, bytes } }`. */
  framesStop: () => {
    const t = WireSocket.tally ?? {};
    WireSocket.tally = null;
    return t;
  },
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
