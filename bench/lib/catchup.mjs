// The `catchup` scenario: how long a client that was away while a room had BENCH_CATCHUP_CHANGES changes
// (reactions and edits, spread over BENCH_CATCHUP_MESSAGES messages it had seen) takes to hold every
// message as it is now after reconnecting with `auth.lastSeen`: the replay the server sends on connect,
// then `changes { room, after }` pages for what the replay did not carry (it sends at most 500 per room).
// Driven from this process with socket.io-client, two bot accounts; the result is checked against history.
import { io } from "socket.io-client";

const ROOM = "catchup";
/** 20 one-code-point emoji: the cap of distinct emoji on a message. */
const EMOJI = ["👍", "🎉", "🚀", "👀", "✅", "🔥", "😀", "😂", "🙏", "💯", "🤔", "👏", "🙌", "😍", "🥳", "🤝", "💡", "📌", "🍣", "🌟"];
const PAGE = 100;
/** Acknowledged requests kept in flight while writing the changes. */
const IN_FLIGHT = 16;

function connect(url, auth) {
  const socket = io(url, { auth, transports: ["websocket"], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("connect timed out")), 30_000);
    socket.once("connect", () => (clearTimeout(timer), resolve(socket)));
    socket.once("connect_error", (err) => (clearTimeout(timer), reject(err)));
  });
}

async function call(socket, event, payload) {
  const res = await socket.timeout(60_000).emitWithAck(event, payload);
  if (!res.ok) throw new Error(`${event} refused: ${JSON.stringify(res.error)}`);
  return res.data;
}

/** Runs `count` jobs, `IN_FLIGHT` at a time, in order of start. */
async function pooled(count, job) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count) }, async () => {
    while (next < count) await job(next++);
  }));
}

export async function catchup(ctx, ensureBots) {
  if (ctx.server.kind === "bare") return ctx.recordNa("bare server keeps no changes");
  const { catchupChanges: changes, catchupMessages: messages } = ctx.cfg;
  if (changes > messages * EMOJI.length) throw new Error(`catchup: at most ${EMOJI.length} changes per message (raise BENCH_CATCHUP_MESSAGES)`);
  const [writerToken, readerToken] = await ensureBots(ctx, 2);
  const writer = await connect(ctx.server.url, { token: writerToken });
  const reader = await connect(ctx.server.url, { token: readerToken });
  try {
    await call(writer, "join-room", ROOM);
    await call(reader, "join-room", ROOM);
    const ids = new Array(messages);
    await pooled(messages, async (i) => {
      ids[i] = (await call(writer, "send-message-to-room", { room: ROOM, message: `message ${i}`, clientId: `catchup-${i}` })).message.id;
    });
    // The reader saw every message, then went away.
    const position = ids.reduce((a, b) => (b > a ? b : a));
    reader.disconnect();

    const t0 = performance.now();
    // Round r reacts to every message with emoji r (a new one each round: 20 rounds at most stay under
    // the cap of distinct emoji); every 10th change is an edit instead.
    await pooled(changes, async (n) => {
      const id = ids[n % messages];
      const round = Math.floor(n / messages);
      if (n % 10 === 9) await call(writer, "edit-message", { room: ROOM, id, message: `message ${n % messages}, edit ${round}` });
      else await call(writer, "react", { room: ROOM, id, emoji: EMOJI[round % EMOJI.length] });
    });
    const writeSeconds = (performance.now() - t0) / 1000;
    ctx.log(`  ${changes} changes on ${messages} messages written in ${writeSeconds.toFixed(1)} s (${Math.round(changes / writeSeconds)}/s, ${IN_FLIGHT} in flight)`);

    // Back: what it holds is keyed by message id; replayed events first, then pages of `changes`.
    const held = new Map(ids.map((id, i) => [id, { text: `message ${i}`, reactions: [] }]));
    let replayed = 0;
    let maxSeq = 0;
    const start = performance.now();
    const back = io(ctx.server.url, { auth: { token: readerToken, lastSeen: { [ROOM]: position } }, transports: ["websocket"], reconnection: false, forceNew: true });
    const note = (id, patch, seq) => {
      held.set(id, { ...held.get(id), ...patch });
      replayed++;
      if (typeof seq === "number") maxSeq = Math.max(maxSeq, seq);
    };
    back.on("message-updated", (m) => note(m.id, { text: m.text, reactions: m.reactions ?? [] }, m.changeSeq));
    back.on("reactions-updated", (p) => note(p.id, { reactions: p.reactions }, p.changeSeq));
    back.on("receive-message", (m) => note(m.id, { text: m.text, reactions: m.reactions ?? [] }, m.changeSeq));
    await new Promise((resolve, reject) => (back.once("connect", resolve), back.once("connect_error", reject)));
    // The replay is sent before any event of the connection is answered: by the join's answer it is in.
    const joined = await call(back, "join-room", ROOM);
    const replayMs = performance.now() - start;
    let pages = 0;
    for (let after = maxSeq; after < joined.lastChange && pages < 10_000; ) {
      const page = await call(back, "changes", { room: ROOM, after, limit: PAGE });
      pages++;
      for (const m of page.messages) held.set(m.id, { text: m.text, reactions: m.reactions ?? [] });
      if (!page.hasMore) break;
      after = page.messages.at(-1).changeSeq;
    }
    const totalMs = performance.now() - start;
    back.disconnect();

    // The check: every message as history shows it now.
    let mismatched = 0;
    for (let before; ; ) {
      const page = await call(writer, "history", { room: ROOM, limit: 100, ...(before ? { before } : {}) });
      for (const m of page.messages) {
        const h = held.get(m.id);
        if (!h || h.text !== m.text || JSON.stringify(h.reactions) !== JSON.stringify(m.reactions ?? [])) mismatched++;
      }
      if (!page.hasMore || page.messages.length === 0) break;
      before = page.messages[0].id;
    }
    ctx.log(
      `  reconnect: ${replayed} replayed events in ${replayMs.toFixed(0)} ms, then ${pages} changes pages; caught up in ${totalMs.toFixed(0)} ms; ` +
        `${mismatched ? `${mismatched} messages DIFFER from history` : "every message matches history"}`,
    );
    ctx.record("changes missed", changes, "int");
    ctx.record(`…on messages`, messages, "int");
    ctx.record("time to catch up (ms)", totalMs, "ms");
    ctx.record("…replay part (ms)", replayMs, "ms");
    ctx.record("replayed events (≤ 500 per room)", replayed, "int");
    ctx.record(`changes pages (≤ ${PAGE} messages)`, pages, "int");
    ctx.record("messages differing from history", mismatched, "int");
    ctx.record("changes written per s (setup)", changes / writeSeconds, "int");
  } finally {
    writer.disconnect();
    reader.disconnect();
  }
}
