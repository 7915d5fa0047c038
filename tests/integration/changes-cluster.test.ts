import { randomUUID } from "node:crypto";
import net from "node:net";
import { io as ioClient, type Socket } from "socket.io-client";
import { call, connect, freshPostgresUrl, startTestServer, track, until } from "../helpers/server";

const REDIS_URL = process.env.REDIS_URL;
const ready = Boolean(REDIS_URL && process.env.DATABASE_URL);
if (!ready) process.stdout.write("skipping multi-instance change tests: REDIS_URL and DATABASE_URL must both be set\n");
const maybe = ready ? describe : describe.skip;

const MESSAGE_EVENTS = ["receive-message", "message-updated", "message-deleted", "reactions-updated"];

/**
 * A TCP relay to Redis that can hold back what Redis sends on the links that read the Socket.IO
 * adapter's stream (those that sent XREAD), as a slow network or a busy Redis would: the instance behind
 * it gets other instances' broadcasts late, in order, once released. Its other links (commands,
 * presence, pub/sub) flow.
 */
async function streamDelayingRelay() {
  const target = new URL(REDIS_URL!);
  const links = new Set<net.Socket>();
  const held: (() => void)[] = [];
  let holding = false;
  let readers = 0;
  const server = net.createServer((client) => {
    const redis = net.connect(Number(target.port || 6379), target.hostname);
    let reader = false;
    for (const s of [client, redis]) {
      links.add(s);
      s.on("error", () => undefined);
      s.on("close", () => (client.destroy(), redis.destroy(), links.delete(s)));
    }
    client.on("data", (chunk: Buffer) => {
      if (!reader && /xread/i.test(chunk.toString("latin1"))) (reader = true), readers++;
      redis.write(chunk);
    });
    redis.on("data", (chunk: Buffer) => {
      if (reader && (holding || held.length > 0)) held.push(() => client.write(chunk));
      else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    /** Links that read the stream so far. */
    readers: () => readers,
    hold: () => void (holding = true),
    /** Sends what was held, in order, and lets the stream flow again. */
    release() {
      holding = false;
      while (held.length > 0) held.shift()!();
    },
    /** What is held now (chunks). */
    heldChunks: () => held.length,
    close() {
      server.close();
      for (const s of links) s.destroy();
    },
  };
}

/** `event:id` of every message event `socket` gets, in order. */
function messageEvents(socket: Socket) {
  const got: string[] = [];
  socket.onAny((e: string, p: { id?: string }) => MESSAGE_EVENTS.includes(e) && got.push(`${e}:${p.id}`));
  return got;
}

maybe("edits, deletions and reactions on two instances (one Redis, one PostgreSQL)", () => {
  it("delivers a change made on A live to B, and replays what a client missed on the other instance exactly once, in order", async () => {
    const common = { databaseUrl: await freshPostgresUrl(), redisUrl: REDIS_URL, redisPrefix: `t${randomUUID().slice(0, 8)}`, rateLimitMessages: 0 };
    const a = await startTestServer(common);
    const b = await startTestServer(common);
    try {
      const writer = await connect(a.url, { name: "writer" });
      const watcher = await connect(b.url, { name: "watcher" });
      await call(writer, "join-room", "across");
      await call(watcher, "join-room", "across");
      const live: [string, any][] = [];
      for (const e of MESSAGE_EVENTS) watcher.on(e, (p: any) => live.push([e, p]));
      const { message: m1 } = await call(writer, "send-message-to-room", { room: "across", message: "one" });
      const { message: m2 } = await call(writer, "send-message-to-room", { room: "across", message: "two" });
      await call(writer, "edit-message", { room: "across", id: m1.id, message: "one, edited on A" });
      await until(() => live.some(([e]) => e === "message-updated"), 5000, "the edit crossed to B");
      expect(live.find(([e]) => e === "message-updated")![1]).toMatchObject({ id: m1.id, text: "one, edited on A", changeSeq: 1 });
      const position = live.reduce((max, [, p]) => [p.id, p.changeId].filter(Boolean).reduce((x: string, y: string) => (y > x ? y : x), max), "0");
      watcher.disconnect();

      // While the watcher is away: changes on both instances.
      await call(writer, "react", { room: "across", id: m2.id, emoji: "🙌" });
      const other = await connect(b.url, { name: "other" });
      await call(other, "join-room", "across");
      const { message: m3 } = await call(other, "send-message-to-room", { room: "across", message: "three from B" });
      await call(other, "delete-message", { room: "across", id: m3.id });
      await call(writer, "edit-message", { room: "across", id: m2.id, message: "two, edited" });

      // It comes back on A (the other instance from before) with its position.
      const back = track(ioClient(a.url, { auth: { name: "watcher", lastSeen: { across: position } }, transports: ["websocket"], reconnection: false, forceNew: true }));
      const got: [string, any][] = [];
      back.onAny((e: string, p: any) => MESSAGE_EVENTS.includes(e) && got.push([e, p]));
      await new Promise<void>((resolve, reject) => (back.once("connect", () => resolve()), back.once("connect_error", reject)));
      await call(back, "join-room", "across");
      // Positive control: a live change after the replay arrives once, after it.
      await call(writer, "react", { room: "across", id: m1.id, emoji: "✅" });
      await until(() => got.length === 3, 5000, "replay and the live reaction");
      expect(got.map(([e, p]) => [e, p.id, p.text, p.deleted])).toEqual([
        ["receive-message", m3.id, "", true],
        ["message-updated", m2.id, "two, edited", undefined],
        ["reactions-updated", m1.id, undefined, undefined],
      ]);
      expect(got[1][1].reactions).toEqual([{ emoji: "🙌", count: 1, users: ["writer"] }]);
    } finally {
      await b.close();
      await a.close();
    }
  });
  it("stores toggles on one message from both instances at once: gap-free changeSeqs, nothing lost, and a client back on the other instance ends with what history shows", async () => {
    const common = { databaseUrl: await freshPostgresUrl(), redisUrl: REDIS_URL, redisPrefix: `t${randomUUID().slice(0, 8)}`, rateLimitMessages: 0 };
    const a = await startTestServer(common);
    const b = await startTestServer(common);
    try {
      const author = await connect(a.url, { name: "storm-author" });
      await call(author, "join-room", "storm");
      const { message: m } = await call(author, "send-message-to-room", { room: "storm", message: "react to this" });
      const watcher = await connect(b.url, { name: "storm-watcher" });
      await call(watcher, "join-room", "storm");
      const live: any[] = [];
      watcher.on("reactions-updated", (p: any) => live.push(p));
      const members = await Promise.all(Array.from({ length: 16 }, (_, i) => connect(i % 2 ? b.url : a.url, { name: `storm-${i}` })));
      await Promise.all(members.map((s) => call(s, "join-room", "storm")));
      // Two rounds: everyone adds 👍 (and every fourth 🚀), then every other member takes 👍 away.
      const round = (pick: (i: number) => string[]) => Promise.all(members.flatMap((s, i) => pick(i).map((emoji) => call(s, "react", { room: "storm", id: m.id, emoji }))));
      const acks = [...(await round((i) => (i % 4 ? ["👍"] : ["👍", "🚀"]))), ...(await round((i) => (i % 2 ? ["👍"] : [])))];
      const n = acks.length;
      expect(acks.map((x) => x.changeSeq).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      await until(() => live.length === n, 5000, "every toggle's event on B");
      expect(live.map((p) => p.changeSeq).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i + 1));

      const history = (await call(watcher, "history", { room: "storm" })).messages.at(-1);
      expect(history).toMatchObject({ changeSeq: n, reactions: [{ emoji: "👍", count: 8 }, { emoji: "🚀", count: 4 }] });
      expect(live.find((p) => p.changeSeq === n).reactions).toEqual(history.reactions);
      // A reader that saw only the message comes back on A: one replayed change, exactly history's.
      const back = track(ioClient(a.url, { auth: { name: "storm-reader", lastSeen: { storm: m.id } }, transports: ["websocket"], reconnection: false, forceNew: true }));
      const got: [string, any][] = [];
      back.onAny((e: string, p: any) => MESSAGE_EVENTS.includes(e) && got.push([e, p]));
      await new Promise<void>((resolve, reject) => (back.once("connect", () => resolve()), back.once("connect_error", reject)));
      await call(back, "join-room", "storm");
      expect(got.map(([e, p]) => [e, p.id, p.changeSeq])).toEqual([["reactions-updated", m.id, n]]);
      expect(got[0][1].reactions).toEqual(history.reactions);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it("replays a root's new reply count, changed on B while away, once and after the replies, to a client back on A", async () => {
    const common = { databaseUrl: await freshPostgresUrl(), redisUrl: REDIS_URL, redisPrefix: `t${randomUUID().slice(0, 8)}`, rateLimitMessages: 0 };
    const a = await startTestServer(common);
    const b = await startTestServer(common);
    try {
      const writer = await connect(a.url, { name: "root-writer" });
      await call(writer, "join-room", "threads");
      const { message: root } = await call(writer, "send-message-to-room", { room: "threads", message: "root" });
      const replier = await connect(b.url, { name: "replier" });
      await call(replier, "join-room", "threads");
      const { message: reply } = await call(replier, "send-message-to-room", { room: "threads", message: "on B", threadId: root.id });

      const back = track(ioClient(a.url, { auth: { name: "reader", lastSeen: { threads: root.id } }, transports: ["websocket"], reconnection: false, forceNew: true }));
      const got: [string, any][] = [];
      back.onAny((e: string, p: any) => MESSAGE_EVENTS.includes(e) && got.push([e, p]));
      await new Promise<void>((resolve, reject) => (back.once("connect", () => resolve()), back.once("connect_error", reject)));
      await call(back, "join-room", "threads");
      // Positive control: a live reaction on B after the replay arrives once, after it.
      await call(replier, "react", { room: "threads", id: root.id, emoji: "✅" });
      await until(() => got.length === 3, 5000, "replay and the live reaction");
      expect(got.map(([e, p]) => [e, p.id, p.replies?.count, p.changeSeq])).toEqual([
        ["receive-message", reply.id, undefined, undefined],
        ["message-updated", root.id, 1, 1],
        ["reactions-updated", root.id, undefined, 2],
      ]);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it("does not send a replayed message or change again when its live copy reaches the instance late through Redis", async () => {
    const relay = await streamDelayingRelay();
    const common = { databaseUrl: await freshPostgresUrl(), redisPrefix: `t${randomUUID().slice(0, 8)}`, rateLimitMessages: 0 };
    const a = await startTestServer({ ...common, redisUrl: REDIS_URL });
    const b = await startTestServer({ ...common, redisUrl: relay.url });
    try {
      const writer = await connect(a.url, { name: "late-writer" });
      await call(writer, "join-room", "late");
      const { message: seen } = await call(writer, "send-message-to-room", { room: "late", message: "seen" });
      await until(() => relay.readers() > 0, 5000, "b reading the stream");
      // b gets a's broadcasts late from here on; the database has them at once.
      relay.hold();
      // The client held this one before it went away (its lastSeen below), though b gets it only later.
      const { message: other } = await call(writer, "send-message-to-room", { room: "late", message: "react here" });
      await call(writer, "edit-message", { room: "late", id: seen.id, message: "seen, edited" });
      await call(writer, "react", { room: "late", id: other.id, emoji: "👀" });
      const { message: missed } = await call(writer, "send-message-to-room", { room: "late", message: "missed" });
      await until(() => relay.heldChunks() > 0, 5000, "a's broadcasts held on their way to b");

      // A client that saw `other` comes back through b: the replay, from the database, holds all three.
      const back = track(ioClient(b.url, { auth: { name: "late-reader", lastSeen: { late: other.id } }, transports: ["websocket"], reconnection: false, forceNew: true }));
      const got = messageEvents(back);
      await new Promise<void>((resolve, reject) => (back.once("connect", () => resolve()), back.once("connect_error", reject)));
      await call(back, "join-room", "late");
      await until(() => got.length === 3, 5000, "the replay");
      // Now b gets the same three live, then a new message; only the new one may reach the client.
      relay.release();
      const { message: after } = await call(writer, "send-message-to-room", { room: "late", message: "after" });
      await until(() => got.includes(`receive-message:${after.id}`), 5000, "the message sent after the release");
      await call(writer, "react", { room: "late", id: missed.id, emoji: "✅" });
      await until(() => got.length >= 5, 5000, "a live change after the replay");
      expect(got).toEqual([
        `message-updated:${seen.id}`,
        `reactions-updated:${other.id}`,
        `receive-message:${missed.id}`,
        `receive-message:${after.id}`,
        `reactions-updated:${missed.id}`,
      ]);
    } finally {
      await b.close();
      await a.close();
      relay.close();
    }
  }, 30_000);

  it("does not send what a rejoin replayed again when its live copy reaches the instance late through Redis", async () => {
    const relay = await streamDelayingRelay();
    const common = { databaseUrl: await freshPostgresUrl(), redisPrefix: `t${randomUUID().slice(0, 8)}`, rateLimitMessages: 0, recoveryMaxDisconnectionMs: 300 };
    const a = await startTestServer({ ...common, redisUrl: REDIS_URL });
    const b = await startTestServer({ ...common, redisUrl: relay.url });
    try {
      const writer = await connect(a.url, { name: "rejoin-writer" });
      await call(writer, "join-room", "rejoin-late");
      const reader = track(ioClient(a.url, { auth: { name: "rejoin-reader" }, transports: ["websocket"], reconnectionDelay: 600, reconnectionDelayMax: 600, randomizationFactor: 0 }));
      await new Promise<void>((r) => reader.once("connect", () => r()));
      await call(reader, "join-room", "rejoin-late");
      const got = messageEvents(reader);
      await new Promise((r) => setTimeout(r, 600)); // quiet for longer than the recovery window
      await until(() => relay.readers() > 0, 5000, "b reading the stream");
      relay.hold();
      // The reader's next connection goes to b (as behind a load balancer), which rejoins it to the room.
      (reader.io as unknown as { uri: string }).uri = b.url;
      const reconnected = new Promise<void>((r) => reader.once("connect", () => r()));
      reader.io.engine.close();
      const { message: away } = await call(writer, "send-message-to-room", { room: "rejoin-late", message: "while away" });
      await until(() => relay.heldChunks() > 0, 5000, "a's broadcast held on its way to b");
      await reconnected;
      expect(reader.recovered).toBe(false);
      await until(() => got.length === 1, 10_000, "the replayed message");
      relay.release();
      const { message: live } = await call(writer, "send-message-to-room", { room: "rejoin-late", message: "live" });
      await until(() => got.includes(`receive-message:${live.id}`), 10_000, "the live message through b");
      expect(got).toEqual([`receive-message:${away.id}`, `receive-message:${live.id}`]);
    } finally {
      await b.close();
      await a.close();
      relay.close();
    }
  }, 30_000);
});
