import { randomUUID } from "node:crypto";
import { io as ioClient } from "socket.io-client";
import { call, connect, freshPostgresUrl, startTestServer, track, until } from "../helpers/server";

const REDIS_URL = process.env.REDIS_URL;
const ready = Boolean(REDIS_URL && process.env.DATABASE_URL);
if (!ready) process.stdout.write("skipping multi-instance change tests: REDIS_URL and DATABASE_URL must both be set\n");
const maybe = ready ? describe : describe.skip;

const MESSAGE_EVENTS = ["receive-message", "message-updated", "message-deleted", "reactions-updated"];

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
});
