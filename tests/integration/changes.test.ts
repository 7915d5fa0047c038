import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { io as ioClient, type Socket } from "socket.io-client";
import { call, collect, connect, request, startTestServer, track, until, type TestServer } from "../helpers/server";
import { parseLimitOverrides } from "../../lib/limits";
import { joinAs, setupAdmin } from "../helpers/http";
import { openStream } from "../helpers/sse";
import { download, png, upload } from "../helpers/uploads";
import type { Message } from "../../lib/chat/types";

let server: TestServer;
beforeAll(async () => {
  // Off: the guests of every test here share one client address, and with it every limit (the limiter
  // table is tested in limits.test.ts).
  server = await startTestServer({ rateLimitMessages: 0, rateLimits: parseLimitOverrides("changes=0") });
});
afterAll(() => server.close());

const send = async (s: Socket, room: string, text: string): Promise<Message> => (await call(s, "send-message-to-room", { room, message: text })).message;

/** Two guests in one room; `bob` records every change event in arrival order. */
async function pair(room: string) {
  const alice = await connect(server.url, { name: `alice-${room}` });
  const bob = await connect(server.url, { name: `bob-${room}` });
  await call(alice, "join-room", room);
  await call(bob, "join-room", room);
  const seen: [string, any][] = [];
  for (const e of ["receive-message", "message-updated", "message-deleted", "reactions-updated"]) bob.on(e, (p: any) => seen.push([e, p]));
  return { alice, bob, seen };
}

/** A connection made by hand (handshake auth of our choosing), with every event it gets, in order. */
async function reconnect(url: string, auth: Record<string, unknown>) {
  const socket = track(ioClient(url, { auth, transports: ["websocket"], reconnection: false, forceNew: true }));
  const got: [string, any][] = [];
  socket.onAny((event: string, payload: any) => got.push([event, payload]));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return { socket, got };
}
const MESSAGE_EVENTS = new Set(["receive-message", "message-updated", "message-deleted", "reactions-updated"]);
const changesOf = (got: [string, any][]) => got.filter(([e]) => MESSAGE_EVENTS.has(e));

describe("edit, delete, react over Socket.IO", () => {
  it("broadcasts the author's edit as message-updated with editedAt and a change position; history shows the new text", async () => {
    const { alice, bob, seen } = await pair("edit-room");
    const original = await send(alice, "edit-room", "helo world");
    const { message } = await call(alice, "edit-message", { room: "edit-room", id: original.id, message: "  hello world " });
    expect(message).toMatchObject({ id: original.id, seq: original.seq, room: "edit-room", author: original.author, text: "hello world", changeSeq: 1 });
    expect(new Date(message.editedAt).toISOString()).toBe(message.editedAt);
    expect(message.changeId > original.id).toBe(true);
    await until(() => seen.some(([e]) => e === "message-updated"), 3000, "message-updated");
    expect(seen.find(([e]) => e === "message-updated")![1]).toEqual(message);
    const page = await call(bob, "history", { room: "edit-room" });
    expect(page.messages.at(-1)).toEqual(message);
  });

  it("deletes as the author: message-deleted { room, id, seq } and a tombstone in history that keeps id and seq", async () => {
    const { alice, bob, seen } = await pair("delete-room");
    const first = await send(alice, "delete-room", "oops");
    const second = await send(alice, "delete-room", "kept");
    expect(await call(alice, "delete-message", { room: "delete-room", id: first.id })).toEqual({});
    await until(() => seen.some(([e]) => e === "message-deleted"), 3000, "message-deleted");
    const deleted = seen.find(([e]) => e === "message-deleted")![1];
    expect(deleted).toEqual({ room: "delete-room", id: first.id, seq: first.seq, changeId: expect.stringMatching(/^\d{16}$/), changeSeq: 1 });
    const page = await call(bob, "history", { room: "delete-room" });
    expect(page.messages.map((m: Message) => [m.id, m.seq, m.text, m.deleted])).toEqual([
      [first.id, first.seq, "", true],
      [second.id, second.seq, "kept", undefined],
    ]);
  });

  it("lets an administrator delete anyone's message, and no one else", async () => {
    const fresh = await startTestServer({ rateLimitMessages: 0 });
    try {
      const adminCookie = await setupAdmin(fresh, "boss", "boss-password-1");
      const admin = await connect(fresh.url, {}, { extraHeaders: { cookie: adminCookie, origin: fresh.url } });
      const author = await connect(fresh.url, {}, { extraHeaders: { cookie: await joinAs(fresh, adminCookie, "writer"), origin: fresh.url } });
      const other = await connect(fresh.url, {}, { extraHeaders: { cookie: await joinAs(fresh, adminCookie, "bystander"), origin: fresh.url } });
      for (const s of [admin, author, other]) await call(s, "join-room", "moderated");
      const m = await send(author, "moderated", "spam");
      const refused = await request(other, "delete-message", { room: "moderated", id: m.id });
      expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect(await request(admin, "delete-message", { room: "moderated", id: m.id })).toEqual({ ok: true, data: {} });
      const page = await call(other, "history", { room: "moderated" });
      expect(page.messages[0]).toMatchObject({ id: m.id, text: "", deleted: true });
    } finally {
      await fresh.close();
    }
  });

  it("toggles reactions: counts and who reacted, broadcast as reactions-updated", async () => {
    const { alice, bob, seen } = await pair("react-room");
    const m = await send(alice, "react-room", "ship it?");
    expect(await call(bob, "react", { room: "react-room", id: m.id, emoji: "👍" })).toEqual({
      reactions: [{ emoji: "👍", count: 1, users: ["bob-react-room"] }],
      changeId: expect.any(String),
      changeSeq: 1,
      toggle: { emoji: "👍", user: "bob-react-room", added: true, count: 1 },
    });
    await call(alice, "react", { room: "react-room", id: m.id, emoji: "👍" });
    await call(alice, "react", { room: "react-room", id: m.id, emoji: "👨‍👩‍👧" });
    const last = await call(bob, "react", { room: "react-room", id: m.id, emoji: "👍" });
    expect(last.reactions).toEqual([
      { emoji: "👍", count: 1, users: ["alice-react-room"] },
      { emoji: "👨‍👩‍👧", count: 1, users: ["alice-react-room"] },
    ]);
    await until(() => seen.filter(([e]) => e === "reactions-updated").length === 4, 3000, "four reactions-updated");
    const updates = seen.filter(([e]) => e === "reactions-updated").map(([, p]) => p);
    expect(updates.map((u) => u.changeSeq)).toEqual([1, 2, 3, 4]);
    expect(updates[3]).toEqual({
      room: "react-room",
      id: m.id,
      reactions: last.reactions,
      changeId: expect.stringMatching(/^\d{16}$/),
      changeSeq: 4,
      toggle: { emoji: "👍", user: "bob-react-room", added: false, count: 1 },
    });
    // Taking the last reaction away leaves no empty entry.
    expect((await call(alice, "react", { room: "react-room", id: m.id, emoji: "👨‍👩‍👧" })).reactions).toEqual([{ emoji: "👍", count: 1, users: ["alice-react-room"] }]);
  });
});

describe("a reaction storm", () => {
  it("gives each of a burst of concurrent toggles its own changeSeq (gap-free, events in order, each with its toggle and at most 20 names), and everyone ends with what history shows", async () => {
    const room = "storm-room";
    const { alice, bob, seen } = await pair(room);
    const m = await send(alice, room, "react to this");
    // A reader sees the message, then goes away for the storm.
    const reader = await connect(server.url, { name: "storm-reader" });
    await call(reader, "join-room", room);
    reader.disconnect();
    const members = await Promise.all(Array.from({ length: 24 }, (_, i) => connect(server.url, { name: `storm-${i}` })));
    await Promise.all(members.map((s) => call(s, "join-room", room)));
    const asked = members.flatMap((s, i) => [{ s, emoji: "👍" }, ...(i % 3 === 0 ? [{ s, emoji: "🎉" }, { s, emoji: "🎉" }] : [])]);
    const acks = await Promise.all(asked.map(({ s, emoji }) => call(s, "react", { room, id: m.id, emoji })));
    const n = asked.length;
    expect(acks.map((a) => a.changeSeq).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i + 1));

    await until(() => seen.filter(([e]) => e === "reactions-updated").length === n, 5000, "every toggle's event");
    const events = seen.filter(([e]) => e === "reactions-updated").map(([, p]) => p);
    expect(events.map((e) => e.changeSeq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    // Each event is the change its reactor was acknowledged with.
    const ackBySeq = new Map(acks.map((a) => [a.changeSeq, a]));
    for (const e of events) expect({ reactions: e.reactions, changeId: e.changeId, toggle: e.toggle }).toEqual({ ...ackBySeq.get(e.changeSeq), changeSeq: undefined });
    for (const e of events) for (const r of e.reactions) expect(r.users.length).toBeLessThanOrEqual(Math.min(20, r.count));
    // The toggles, applied in order, tell every count.
    const counts = new Map<string, number>();
    for (const { toggle } of events) {
      expect(toggle.count).toBe((counts.get(toggle.emoji) ?? 0) + (toggle.added ? 1 : -1));
      counts.set(toggle.emoji, toggle.count);
    }
    expect(Object.fromEntries(counts)).toEqual({ "👍": 24, "🎉": 0 });

    const history: Message = (await call(bob, "history", { room })).messages.at(-1);
    expect(history).toMatchObject({ id: m.id, changeSeq: n, reactions: [{ emoji: "👍", count: 24 }] });
    expect(history.reactions![0].users).toHaveLength(20);
    expect(events.at(-1).reactions).toEqual(history.reactions);
    // The reader comes back: the replay brings the message once, exactly as history shows it; so does `changes`.
    const { socket, got } = await reconnect(server.url, { name: "storm-reader", lastSeen: { [room]: m.id } });
    const joined = await call(socket, "join-room", room);
    expect(joined.lastChange).toBe(n);
    expect(changesOf(got).map(([e, p]) => [e, p.id, p.changeSeq, p.toggle])).toEqual([["reactions-updated", m.id, n, undefined]]);
    expect(changesOf(got)[0][1].reactions).toEqual(history.reactions);
    expect((await call(socket, "changes", { room, after: 0 })).messages).toEqual([history]);
  });
});

describe("refusals", () => {
  it("refuses editing someone else's message (forbidden), a deleted one and unknown ids (not_found); nothing is broadcast", async () => {
    const { alice, bob, seen } = await pair("refuse-room");
    const m = await send(alice, "refuse-room", "mine");
    const gone = await send(alice, "refuse-room", "gone soon");
    await call(alice, "delete-message", { room: "refuse-room", id: gone.id });
    await call(alice, "join-room", "elsewhere");
    const elsewhere = await send(alice, "elsewhere", "other room");
    const cases: [string, unknown, string][] = [
      ["edit-message", { room: "refuse-room", id: m.id, message: "hijacked" }, "forbidden"],
      ["delete-message", { room: "refuse-room", id: m.id }, "forbidden"],
      ["edit-message", { room: "refuse-room", id: "9999999999", message: "x" }, "not_found"],
      ["react", { room: "refuse-room", id: "9999999999", emoji: "👍" }, "not_found"],
      ["react", { room: "refuse-room", id: elsewhere.id, emoji: "👍" }, "not_found"],
      ["react", { room: "refuse-room", id: gone.id, emoji: "👍" }, "not_found"],
      ["edit-message", { room: "refuse-room", id: "abc", message: "x" }, "bad_request"],
      ["edit-message", { room: "no-such-room", id: m.id, message: "x" }, "not_found"],
    ];
    for (const [event, payload, code] of cases) expect([event, await request(bob, event, payload)]).toMatchObject([event, { ok: false, error: { code } }]);
    for (const [event, payload, code] of [
      ["edit-message", { room: "refuse-room", id: gone.id, message: "revive" }, "not_found"],
      ["delete-message", { room: "refuse-room", id: gone.id }, "not_found"],
      ["edit-message", { room: "refuse-room", id: elsewhere.id, message: "moved" }, "not_found"],
      ["edit-message", { room: "refuse-room", id: m.id, message: "   " }, "bad_request"],
    ] as const)
      expect([event, await request(alice, event, payload)]).toMatchObject([event, { ok: false, error: { code } }]);
    // Positive control: an allowed edit after the refusals is the only change bob sees after the deletion.
    const changesBefore = seen.filter(([e]) => e !== "receive-message").length;
    await call(alice, "edit-message", { room: "refuse-room", id: m.id, message: "mine, edited" });
    await until(() => seen.filter(([e]) => e !== "receive-message").length > changesBefore, 3000, "the allowed edit");
    expect(seen.filter(([e]) => e !== "receive-message").map(([e, p]) => [e, p.id, p.changeSeq])).toEqual([
      ["message-deleted", gone.id, 1],
      ["message-updated", m.id, 2],
    ]);
    expect(seen.at(-1)![1].text).toBe("mine, edited");
  });

  it("refuses a reaction that is not exactly one emoji (bad_request), and a new emoji past 20 distinct ones (too_large)", async () => {
    const { alice } = await pair("emoji-room");
    const m = await send(alice, "emoji-room", "react to me");
    for (const emoji of ["a", "👍👍", "", "👍 ", ":+1:", "1", 5])
      expect([emoji, await request(alice, "react", { room: "emoji-room", id: m.id, emoji })]).toMatchObject([emoji, { ok: false, error: { code: "bad_request" } }]);
    const twenty = [..."😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂"];
    expect(twenty).toHaveLength(20);
    for (const e of twenty) await call(alice, "react", { room: "emoji-room", id: m.id, emoji: e });
    expect(await request(alice, "react", { room: "emoji-room", id: m.id, emoji: "🤗" })).toMatchObject({ ok: false, error: { code: "too_large" } });
    // One of the twenty is still a toggle (an existing emoji is not a new one).
    const bob = await connect(server.url, { name: "bob-emoji-2" });
    expect((await call(bob, "react", { room: "emoji-room", id: m.id, emoji: "🙂" })).reactions.at(-1)).toEqual({ emoji: "🙂", count: 2, users: ["alice-emoji-room", "bob-emoji-2"] });
  });

  it("refuses changes in a private room the caller was removed from (forbidden, as every room lookup of a non-member)", async () => {
    const fresh = await startTestServer({ rateLimitMessages: 0 });
    try {
      const adminCookie = await setupAdmin(fresh, "owner", "owner-password-1");
      const memberCookie = await joinAs(fresh, adminCookie, "leaver");
      const owner = await connect(fresh.url, {}, { extraHeaders: { cookie: adminCookie, origin: fresh.url } });
      const leaver = await connect(fresh.url, {}, { extraHeaders: { cookie: memberCookie, origin: fresh.url } });
      await call(owner, "create-room", { name: "inner", private: true });
      await call(owner, "add-member", { room: "inner", name: "leaver" });
      const mine = await send(leaver, "inner", "my words");
      expect((await call(leaver, "react", { room: "inner", id: mine.id, emoji: "🎉" })).reactions).toHaveLength(1);
      await call(owner, "remove-member", { room: "inner", name: "leaver" });
      for (const [event, payload] of [
        ["edit-message", { room: "inner", id: mine.id, message: "changed" }],
        ["delete-message", { room: "inner", id: mine.id }],
        ["react", { room: "inner", id: mine.id, emoji: "🎉" }],
      ] as const)
        expect([event, await request(leaver, event, payload)]).toMatchObject([event, { ok: false, error: { code: "forbidden" } }]);
      // Positive control: the owner, still a member, can still react to the same message.
      expect((await call(owner, "react", { room: "inner", id: mine.id, emoji: "🎉" })).reactions[0].count).toBe(2);
    } finally {
      await fresh.close();
    }
  });
});

describe("catching up on changes with auth.lastSeen", () => {
  it("replays every edit, deletion and reaction missed while away exactly once, in the room's order, as the messages are now", async () => {
    const { alice } = await pair("away-room");
    const [m1, m2, m3] = [await send(alice, "away-room", "one"), await send(alice, "away-room", "two"), await send(alice, "away-room", "three")];
    // The reader saw m1..m3, then went away.
    await call(alice, "edit-message", { room: "away-room", id: m1.id, message: "one, edited" });
    await call(alice, "react", { room: "away-room", id: m2.id, emoji: "👀" });
    await call(alice, "delete-message", { room: "away-room", id: m3.id });
    const m4 = await send(alice, "away-room", "four");
    await call(alice, "edit-message", { room: "away-room", id: m4.id, message: "four, edited" });
    const lastReaction = await call(alice, "react", { room: "away-room", id: m1.id, emoji: "✅" });

    const { socket, got } = await reconnect(server.url, { name: "reader-away", lastSeen: { "away-room": m3.id } });
    await call(socket, "join-room", "away-room");
    const replay = changesOf(got).map(([e, p]) => [e, p.id, e === "message-deleted" || e === "reactions-updated" ? undefined : p.text]);
    expect(replay).toEqual([
      ["reactions-updated", m2.id, undefined],
      ["message-deleted", m3.id, undefined],
      ["receive-message", m4.id, "four, edited"],
      ["message-updated", m1.id, "one, edited"],
    ]);
    // The replayed edit carries the message as it is now, reactions included.
    expect(changesOf(got)[3][1]).toMatchObject({ editedAt: expect.any(String), reactions: lastReaction.reactions, changeSeq: 5 });
    expect(changesOf(got)[2][1]).toMatchObject({ editedAt: expect.any(String), changeSeq: 4 });
  });

  it("replays the changes of messages the client holds even when more than 500 new messages came meanwhile", async () => {
    const { alice } = await pair("flood-room");
    const [m1, m2, m3] = [await send(alice, "flood-room", "one"), await send(alice, "flood-room", "two"), await send(alice, "flood-room", "three")];
    const flood: Message[] = [];
    for (let i = 0; i < 505; i++) flood.push(await send(alice, "flood-room", `flood ${i}`));
    await call(alice, "edit-message", { room: "flood-room", id: m1.id, message: "one, edited" });
    await call(alice, "react", { room: "flood-room", id: m2.id, emoji: "👀" });
    await call(alice, "delete-message", { room: "flood-room", id: m3.id });

    const { socket, got } = await reconnect(server.url, { name: "reader-flooded", lastSeen: { "flood-room": m3.id } });
    await call(socket, "join-room", "flood-room");
    const replay = changesOf(got);
    // The oldest 500 new messages (the rest are a seq gap the client fills from history)…
    expect(replay.filter(([e]) => e === "receive-message").map(([, p]) => p.id)).toEqual(flood.slice(0, 500).map((m) => m.id));
    // …and, after them in the room's order, every change of a message it held, once each.
    expect(replay.filter(([e]) => e !== "receive-message").map(([e, p]) => [e, p.id])).toEqual([
      ["message-updated", m1.id],
      ["reactions-updated", m2.id],
      ["message-deleted", m3.id],
    ]);
    expect(replay.slice(0, 500).every(([e]) => e === "receive-message")).toBe(true);
  }, 60_000);

  it("replays a room once however many spellings of its name lastSeen gives, from the newest position given", async () => {
    const { alice } = await pair("spelled");
    const sent: Message[] = [];
    for (let i = 0; i < 5; i++) sent.push(await send(alice, "spelled", `m${i}`));
    const lastSeen = { spelled: sent[1].id, " spelled": "0", "spelled  ": sent[0].id, "\tspelled\n": "1", "spe\u0301lled": "0" };
    const { socket, got } = await reconnect(server.url, { name: "reader-spellings", lastSeen });
    await call(socket, "join-room", "spelled");
    expect(changesOf(got).map(([e, p]) => [e, p.text])).toEqual([
      ["receive-message", "m2"],
      ["receive-message", "m3"],
      ["receive-message", "m4"],
    ]);
  });

  it("does not send a change again that the client saw live (its lastSeen is that change's position)", async () => {
    const { alice, bob, seen } = await pair("seen-room");
    const m1 = await send(alice, "seen-room", "first");
    const m2 = await send(alice, "seen-room", "second");
    await call(alice, "edit-message", { room: "seen-room", id: m1.id, message: "first, edited" });
    await until(() => seen.some(([e]) => e === "message-updated"), 3000, "the live edit");
    const position = seen.reduce((max, [, p]) => (p.changeId && p.changeId > max ? p.changeId : p.id > max ? p.id : max), "0");
    bob.disconnect();
    await call(alice, "react", { room: "seen-room", id: m2.id, emoji: "🔥" });
    const { socket, got } = await reconnect(server.url, { name: "bob-seen-room", lastSeen: { "seen-room": position } });
    await call(socket, "join-room", "seen-room");
    // Positive control: a live edit after the rejoin arrives, and the first edit never came twice.
    await call(alice, "edit-message", { room: "seen-room", id: m2.id, message: "second, edited" });
    await until(() => changesOf(got).length === 2, 3000, "replay and the live edit");
    expect(changesOf(got).map(([e, p]) => [e, p.id, p.changeSeq])).toEqual([
      ["reactions-updated", m2.id, 2],
      ["message-updated", m2.id, 3],
    ]);
  });

  it("replays the changes after a restart, from the database", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "hibiki-changes-"));
    try {
      let first = await startTestServer({ dataDir, rateLimitMessages: 0 });
      const writer = await connect(first.url, { name: "restart-writer" });
      await call(writer, "join-room", "durable");
      const m = await send(writer, "durable", "before the restart");
      await call(writer, "edit-message", { room: "durable", id: m.id, message: "edited before the restart" });
      await call(writer, "react", { room: "durable", id: m.id, emoji: "🚀" });
      writer.disconnect();
      await first.close();
      first = await startTestServer({ dataDir, rateLimitMessages: 0 });
      try {
        const { socket, got } = await reconnect(first.url, { name: "restart-reader", lastSeen: { durable: m.id } });
        await call(socket, "join-room", "durable");
        expect(changesOf(got).map(([e, p]) => [e, p.id, p.text, p.reactions?.[0]?.emoji, p.changeSeq])).toEqual([
          ["message-updated", m.id, "edited before the restart", "🚀", 2],
        ]);
      } finally {
        await first.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("changes the server makes: a root's replies, a link preview", () => {
  it("gives a root's replies change its place in the room's order, live and on reconnect, once and after the replies", async () => {
    const { alice, bob, seen } = await pair("replies-away");
    const root = await send(alice, "replies-away", "root");
    const other = await send(alice, "replies-away", "other");
    await call(alice, "react", { room: "replies-away", id: other.id, emoji: "👍" });
    const { message: r1 } = await call(alice, "send-message-to-room", { room: "replies-away", message: "first reply", threadId: root.id });
    // Live: the reply, then the root with its new count, at the next change number (after the reaction's 1).
    await until(() => seen.some(([e, p]) => e === "message-updated" && p.id === root.id), 3000, "the root's update");
    const rootUpdate = seen.find(([e, p]) => e === "message-updated" && p.id === root.id)![1];
    expect(rootUpdate).toMatchObject({ id: root.id, text: "root", replies: { count: 1, lastAt: r1.createdAt }, changeSeq: 2 });
    expect(rootUpdate.changeId > r1.id).toBe(true);
    expect(seen.filter(([, p]) => p.id === r1.id || p.id === root.id).map(([e, p]) => [e, p.id])).toEqual([
      ["receive-message", root.id],
      ["receive-message", r1.id],
      ["message-updated", root.id],
    ]);
    const position = rootUpdate.changeId;
    bob.disconnect();

    // Away: two more replies (the root changes twice) and a reaction after them.
    const { message: r2 } = await call(alice, "send-message-to-room", { room: "replies-away", message: "second reply", threadId: root.id });
    const { message: r3 } = await call(alice, "send-message-to-room", { room: "replies-away", message: "third reply", threadId: r1.id });
    await call(alice, "react", { room: "replies-away", id: other.id, emoji: "🎉" });

    const { socket, got } = await reconnect(server.url, { name: "bob-replies-away", lastSeen: { "replies-away": position } });
    await call(socket, "join-room", "replies-away");
    // Positive control: a live reply after the replay arrives after it, with the root's next change.
    await call(alice, "send-message-to-room", { room: "replies-away", message: "live reply", threadId: root.id });
    await until(() => changesOf(got).length === 6, 3000, "replay and the live reply");
    expect(changesOf(got).map(([e, p]) => [e, p.id, p.replies?.count, p.changeSeq])).toEqual([
      ["receive-message", r2.id, undefined, undefined],
      ["receive-message", r3.id, undefined, undefined],
      ["message-updated", root.id, 3, 4],
      ["reactions-updated", other.id, undefined, 5],
      ["receive-message", expect.any(String), undefined, undefined],
      ["message-updated", root.id, 4, 6],
    ]);
    expect(changesOf(got)[2][1]).toMatchObject({ text: "root", replies: { count: 3, lastAt: r3.createdAt } });
  });

  it("gives a link preview its place in the room's order: live with a change position, and replayed to a client that saw only the message", async () => {
    const page = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end('<html><head><meta property="og:title" content="The card"></head></html>'));
    await new Promise<void>((r) => page.listen(0, "127.0.0.1", r));
    const port = (page.address() as AddressInfo).port;
    const fresh = await startTestServer({ rateLimitMessages: 0, outboundAllow: [`127.0.0.1:${port}`] });
    try {
      const writer = await connect(fresh.url, { name: "linker" });
      const reader = await connect(fresh.url, { name: "link-reader" });
      for (const s of [writer, reader]) await call(s, "join-room", "links");
      const updates = collect(reader, "message-updated");
      const plain = await send(writer, "links", "no link here");
      await call(writer, "react", { room: "links", id: plain.id, emoji: "👀" });
      const linked = await send(writer, "links", `see http://127.0.0.1:${port}/a`);
      await until(() => updates.length === 1, 5000, "the live preview");
      expect(updates[0]).toMatchObject({ id: linked.id, preview: { title: "The card" }, changeSeq: 2, changeId: expect.stringMatching(/^\d{16}$/) });
      expect(updates[0].changeId > linked.id).toBe(true);

      // A client that saw the message but went away before its card came gets the card on reconnect.
      const away = await send(writer, "links", `and http://127.0.0.1:${port}/b`);
      await until(async () => !!(await call(writer, "history", { room: "links" })).messages.at(-1).preview, 5000, "the second card stored");
      const { socket, got } = await reconnect(fresh.url, { name: "link-reader", lastSeen: { links: away.id } });
      await call(socket, "join-room", "links");
      await call(writer, "react", { room: "links", id: plain.id, emoji: "👀" }); // positive control: a live change after the replay
      await until(() => changesOf(got).length === 2, 5000, "replay and the live reaction");
      expect(changesOf(got).map(([e, p]) => [e, p.id, p.preview?.title, p.changeSeq])).toEqual([
        ["message-updated", away.id, "The card", 3],
        ["reactions-updated", plain.id, undefined, 4],
      ]);
    } finally {
      await fresh.close();
      page.closeAllConnections();
      await new Promise((r) => page.close(r));
    }
  });
});

describe("changes { room, after }: what changed after a change number", () => {
  it("answers the messages changed after it, each once as it is now, in change order, with the room's count; join-room tells the count", async () => {
    const { alice, bob } = await pair("refetch-room");
    const [m1, m2, m3] = [await send(alice, "refetch-room", "one"), await send(alice, "refetch-room", "two"), await send(alice, "refetch-room", "three")];
    await call(alice, "react", { room: "refetch-room", id: m1.id, emoji: "👍" }); // 1
    await call(alice, "edit-message", { room: "refetch-room", id: m2.id, message: "two, edited" }); // 2
    await call(alice, "react", { room: "refetch-room", id: m2.id, emoji: "🎉" }); // 3
    await call(alice, "delete-message", { room: "refetch-room", id: m3.id }); // 4
    const joined = await call(bob, "join-room", "refetch-room");
    expect(joined.lastChange).toBe(4);
    const all = await call(bob, "changes", { room: "refetch-room", after: 1 });
    expect(all).toMatchObject({ lastChange: 4, hasMore: false });
    expect(all.messages.map((m: Message) => [m.id, m.text, m.changeSeq, m.reactions?.length ?? 0])).toEqual([
      [m2.id, "two, edited", 3, 1],
      [m3.id, "", 4, 0],
    ]);
    const paged = await call(bob, "changes", { room: "refetch-room", after: 0, limit: 1 });
    expect([paged.messages.map((m: Message) => m.id), paged.hasMore]).toEqual([[m1.id], true]);
    expect(await request(bob, "changes", { room: "refetch-room", after: -1 })).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(await request(bob, "changes", { room: "refetch-room", after: "1" })).toMatchObject({ ok: false, error: { code: "bad_request" } });
  });

  it("is refused for a private room the caller is not in (forbidden)", async () => {
    const fresh = await startTestServer({ rateLimitMessages: 0 });
    try {
      const adminCookie = await setupAdmin(fresh, "keeper", "keeper-password-1");
      const owner = await connect(fresh.url, {}, { extraHeaders: { cookie: adminCookie, origin: fresh.url } });
      const outsider = await connect(fresh.url, {}, { extraHeaders: { cookie: await joinAs(fresh, adminCookie, "outsider"), origin: fresh.url } });
      await call(owner, "create-room", { name: "closed", private: true });
      const m = await send(owner, "closed", "secret");
      await call(owner, "edit-message", { room: "closed", id: m.id, message: "secret, edited" });
      expect(await request(outsider, "changes", { room: "closed", after: 0 })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      // Positive control: the member gets the change.
      expect((await call(owner, "changes", { room: "closed", after: 0 })).messages.map((x: Message) => x.text)).toEqual(["secret, edited"]);
    } finally {
      await fresh.close();
    }
  });
});

describe("reply threads", () => {
  it("broadcasts a reply with threadId, flattens a reply to a reply to the root, and keeps replies { count, lastAt } on the root", async () => {
    const { alice, bob, seen } = await pair("thread-room");
    const root = await send(alice, "thread-room", "what do we ship friday?");
    const { message: reply } = await call(bob, "send-message-to-room", { room: "thread-room", message: "the search page", threadId: root.id });
    expect(reply).toMatchObject({ room: "thread-room", threadId: root.id, seq: root.seq + 1, text: "the search page" });
    const { message: nested } = await call(alice, "send-message-to-room", { room: "thread-room", message: "agreed", threadId: reply.id });
    expect(nested.threadId).toBe(root.id);
    await until(() => seen.filter(([e]) => e === "receive-message").length === 3, 3000, "three messages");
    expect(seen.filter(([e]) => e === "receive-message").map(([, m]) => m.threadId)).toEqual([undefined, root.id, root.id]);
    const page = await call(bob, "history", { room: "thread-room" });
    expect(page.messages[0]).toMatchObject({ id: root.id, replies: { count: 2, lastAt: nested.createdAt, lastSeq: nested.seq } });

    const thread = await call(bob, "thread-history", { room: "thread-room", threadId: root.id });
    expect(thread.root).toMatchObject({ id: root.id, text: root.text, replies: { count: 2 } });
    expect(thread.messages.map((m: Message) => m.id)).toEqual([reply.id, nested.id]);
    expect(thread.hasMore).toBe(false);
    const older = await call(bob, "thread-history", { room: "thread-room", threadId: root.id, limit: 1 });
    expect([older.messages.map((m: Message) => m.id), older.hasMore]).toEqual([[nested.id], true]);
    const rest = await call(bob, "thread-history", { room: "thread-room", threadId: root.id, before: nested.id, limit: 1 });
    expect([rest.messages.map((m: Message) => m.id), rest.hasMore]).toEqual([[reply.id], false]);
  });

  it("pages a long thread newest first by message id, across ids of more digits (9, 10, 99, 100)", async () => {
    // A fresh server: ids start at 1, so the replies' ids cross 10 and 100.
    const fresh = await startTestServer({ rateLimitMessages: 0 });
    try {
      const alice = await connect(fresh.url, { name: "alice-long-thread" });
      await call(alice, "join-room", "long-thread");
      const root = await send(alice, "long-thread", "root");
      const replies: Message[] = [];
      for (let i = 0; i < 120; i++) replies.push((await call(alice, "send-message-to-room", { room: "long-thread", message: `r${i}`, threadId: root.id })).message);
      expect(Number(replies[0].id)).toBeLessThan(10);
      expect(Number(replies.at(-1)!.id)).toBeGreaterThan(100);
      const pages: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await call(alice, "thread-history", { room: "long-thread", threadId: root.id, limit: 25, ...(before ? { before } : {}) });
        pages.unshift(...page.messages.map((m: Message) => m.text));
        if (!page.hasMore) break;
        before = page.messages[0].id;
      }
      expect(pages).toEqual(replies.map((m) => m.text));
      alice.disconnect();
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it("stops counting a deleted reply in its root's replies (live, in history, and for a client catching up), and drops replies once none is left", async () => {
    const { alice, bob, seen } = await pair("thread-deletes");
    const root = await send(alice, "thread-deletes", "which release?");
    const { message: first } = await call(bob, "send-message-to-room", { room: "thread-deletes", message: "1.4", threadId: root.id });
    const { message: second } = await call(alice, "send-message-to-room", { room: "thread-deletes", message: "1.5 then", threadId: root.id });
    const rootNow = async () => (await call(bob, "history", { room: "thread-deletes" })).messages.find((m: Message) => m.id === root.id) as Message;
    expect((await rootNow()).replies).toMatchObject({ count: 2, lastSeq: second.seq });
    /** The root as bob was told of it right after the deletion of `id` (its change follows the deletion's). */
    const rootAfterDeletion = async (id: string) => {
      const deletedAt = () => seen.findIndex(([e, m]) => e === "message-deleted" && m.id === id);
      const update = () => seen.slice(Math.max(0, deletedAt())).find(([e, m]) => deletedAt() >= 0 && e === "message-updated" && m.id === root.id);
      await until(() => !!update(), 3000, "the root's change after the deletion");
      return update()![1] as Message;
    };
    // The newest reply deleted: one left, and the root's newest reply is the first again.
    await call(alice, "delete-message", { room: "thread-deletes", id: second.id });
    expect((await rootAfterDeletion(second.id)).replies).toEqual({ count: 1, lastAt: first.createdAt, lastSeq: first.seq });
    expect((await rootNow()).replies).toEqual({ count: 1, lastAt: first.createdAt, lastSeq: first.seq });
    // The last one deleted: the root has no replies; its thread still reads (two tombstones).
    await call(bob, "delete-message", { room: "thread-deletes", id: first.id });
    expect((await rootAfterDeletion(first.id)).replies).toBeUndefined();
    expect((await rootNow()).replies).toBeUndefined();
    const thread = await call(bob, "thread-history", { room: "thread-deletes", threadId: root.id });
    expect(thread.messages.map((m: Message) => m.deleted)).toEqual([true, true]);
    // A client that was away gets the root as it is now, once.
    const { socket, got } = await reconnect(server.url, { name: "carol-thread-deletes", lastSeen: { "thread-deletes": root.id } });
    await until(() => changesOf(got).length >= 3, 3000, "the catch-up");
    const roots = changesOf(got).filter(([, m]) => m.id === root.id);
    expect(roots).toHaveLength(1);
    expect(roots[0][1].replies).toBeUndefined();
    socket.disconnect();
  });

  it("refuses a threadId from another room, an unknown one or a deleted message (not_found) and a malformed one (bad_request)", async () => {
    const { alice } = await pair("thread-a");
    await call(alice, "join-room", "thread-b");
    const elsewhere = await send(alice, "thread-b", "root in b");
    const gone = await send(alice, "thread-a", "deleted root");
    await call(alice, "delete-message", { room: "thread-a", id: gone.id });
    for (const [threadId, code] of [[elsewhere.id, "not_found"], ["99999999", "not_found"], [gone.id, "not_found"], ["x1", "bad_request"]] as const)
      expect([threadId, await request(alice, "send-message-to-room", { room: "thread-a", message: "reply", threadId })]).toMatchObject([threadId, { ok: false, error: { code } }]);
    expect(await request(alice, "thread-history", { room: "thread-a", threadId: elsewhere.id })).toMatchObject({ ok: false, error: { code: "not_found" } });
    // Positive control: a reply to a live root in the room is stored, and the room's seq stayed gap-free.
    const root = await send(alice, "thread-a", "live root");
    const { message } = await call(alice, "send-message-to-room", { room: "thread-a", message: "reply", threadId: root.id });
    expect(message.seq).toBe(root.seq + 1);
    expect(root.seq).toBe(gone.seq + 1);
  });
});

/**
 * A fresh server with rita (admin), rex and bea: `sock(cookie)` connects as one of them, `feed(cookie)`
 * opens their notification stream and returns what it got so far as [type, from, message] rows.
 */
async function notificationWorld() {
  const fresh = await startTestServer({ rateLimitMessages: 0 });
  const streams: Awaited<ReturnType<typeof openStream>>[] = [];
  const adminCookie = await setupAdmin(fresh, "rita", "rita-password-1");
  const cookies = { rita: adminCookie, rex: await joinAs(fresh, adminCookie, "rex"), bea: await joinAs(fresh, adminCookie, "bea") };
  const sock = (c: string) => connect(fresh.url, {}, { extraHeaders: { cookie: c, origin: fresh.url } });
  const feed = async (c: string) => {
    const s = await openStream(`${fresh.url}/api/notifications/stream`, { cookie: c });
    streams.push(s);
    await until(() => s.events.length === 1, 3000, "connected");
    // Notifications only: a toast taken back (a mention edited away) comes as `event: dismissed`, counted apart.
    const told = () => s.events.slice(1).filter((e) => e.event !== "dismissed").map((e) => [e.data.type, e.data.from, e.data.message]);
    return Object.assign(told, { dismissed: () => s.events.filter((e) => e.event === "dismissed").length });
  };
  const close = async () => {
    for (const s of streams) s.close();
    await fresh.close();
  };
  return { fresh, cookies, sock, feed, close };
}

describe("notifications for changes and replies", () => {
  it("tells the root's author and earlier repliers of a reply, and an edit notifies only people it newly mentions", async () => {
    const { fresh, cookies, sock, feed, close } = await notificationWorld();
    try {
      const [rita, rex, bea] = [await sock(cookies.rita), await sock(cookies.rex), await sock(cookies.bea)];
      const got = { rita: await feed(cookies.rita), rex: await feed(cookies.rex), bea: await feed(cookies.bea) };
      for (const s of [rita, rex, bea]) await call(s, "join-room", "general");
      const root = await send(rita, "general", "plan for friday");
      await call(rex, "send-message-to-room", { room: "general", message: "I'll take search", threadId: root.id });
      await until(() => got.rita().length === 1, 3000, "rita told of rex's reply");
      await call(bea, "send-message-to-room", { room: "general", message: "and I push", threadId: root.id });
      await until(() => got.rex().length === 1 && got.rita().length === 2, 3000, "rita and rex told of bea's reply");
      expect(got.rita()).toEqual([["reply", "rex", "I'll take search"], ["reply", "bea", "and I push"]]);
      expect(got.rex()).toEqual([["reply", "bea", "and I push"]]);
      expect(got.bea()).toEqual([]);

      const note = await send(rex, "general", "ping @bea");
      await until(() => got.bea().length === 1, 3000, "bea mentioned");
      await call(rex, "edit-message", { room: "general", id: note.id, message: "ping @bea again" });
      await call(rex, "edit-message", { room: "general", id: note.id, message: "ping @bea and @rita" });
      await until(() => got.rita().length === 3, 3000, "rita newly mentioned by the edit");
      expect(got.rita()[2]).toEqual(["mention", "rex", "ping @bea and @rita"]);
      // The first edit mentioned no one new: bea was told once, by the original message.
      expect(got.bea()).toEqual([["mention", "rex", "ping @bea"]]);
    } finally {
      await close();
    }
  });
});

describe("notifications about thread replies", () => {
  it("name the reply's thread (threadId), live and when a stream resumes", async () => {
    const { fresh, cookies, sock, close } = await notificationWorld();
    try {
      const [rita, rex] = [await sock(cookies.rita), await sock(cookies.rex)];
      for (const s of [rita, rex]) await call(s, "join-room", "general");
      const live = await openStream(`${fresh.url}/api/notifications/stream`, { cookie: cookies.rita });
      await until(() => live.events.length === 1, 3000, "connected");
      const root = await send(rita, "general", "plan for friday");
      const reply = (await call(rex, "send-message-to-room", { room: "general", message: "on it", threadId: root.id })).message as Message;
      // A mention in the room itself (no thread), then one in a reply that an edit adds.
      const plain = await send(rex, "general", "@rita see above");
      const other = await send(rex, "general", "another topic");
      const late = (await call(rex, "send-message-to-room", { room: "general", message: "noted", threadId: other.id })).message as Message;
      await call(rex, "edit-message", { room: "general", id: late.id, message: "noted, @rita" });
      await until(() => live.events.length === 4, 3000, "three notifications");
      const about = (events: typeof live.events) => events.map((e) => [e.data.type, e.data.messageId, e.data.threadId]);
      const expected = [
        ["reply", reply.id, root.id],
        ["mention", plain.id, undefined],
        ["mention", late.id, other.id],
      ];
      expect(about(live.events.slice(1))).toEqual(expected);
      live.close();
      // Resumed from before the first: the same, read back from the store.
      const first = live.events[1].id as string;
      const resumed = await openStream(`${fresh.url}/api/notifications/stream`, { cookie: cookies.rita, "last-event-id": String(BigInt(first) - 1n) });
      await until(() => resumed.events.length >= 3, 3000, "the replay");
      expect(about(resumed.events.filter((e) => e.data.type !== "connected"))).toEqual(expected);
      resumed.close();
    } finally {
      await close();
    }
  });
});

describe("one notification per person per message", () => {
  it("is not repeated by a mention edited away and back, nor by a reply edited to mention its root's author", async () => {
    const { fresh, cookies, sock, feed, close } = await notificationWorld();
    try {
      const [rita, rex] = [await sock(cookies.rita), await sock(cookies.rex)];
      const got = { rita: await feed(cookies.rita), bea: await feed(cookies.bea) };
      for (const s of [rita, rex]) await call(s, "join-room", "general");
      const edit = (id: string, message: string) => call(rex, "edit-message", { room: "general", id, message });

      // A mention, edited away (taken back), then back (and once more in other words): bea hears of it once.
      const note = await send(rex, "general", "edit me");
      await edit(note.id, "edit me @bea");
      await until(() => got.bea().length === 1, 3000, "bea mentioned by the edit");
      await edit(note.id, "removed");
      await edit(note.id, "back @bea");
      await edit(note.id, "@bea, @BEA!");
      // A reply to rita's root tells her (reply); the same reply edited to mention her adds nothing.
      const root = await send(rita, "general", "plan for friday");
      const reply = (await call(rex, "send-message-to-room", { room: "general", message: "on it", threadId: root.id })).message as Message;
      await until(() => got.rita().length === 1, 3000, "rita told of the reply");
      await edit(reply.id, "on it, @rita");
      // A message posted with both @bea and @rita, edited twice, tells each of them once.
      const both = await send(rex, "general", "@bea @rita standup");
      // Told first (an edit before the store would be told as it reads then: notification-races.test.ts).
      await until(() => got.bea().length === 2 && got.rita().length === 2, 3000, "bea and rita told of the standup");
      await edit(both.id, "@rita standup");
      await edit(both.id, "@bea @rita standup moved");
      // Positive control, sent last: a new message mentioning bea is a new notification.
      await send(rex, "general", "@bea one more");
      await until(() => got.bea().length === 3, 3000, "bea's notification of the last message");
      expect(got.bea()).toEqual([
        ["mention", "rex", "edit me @bea"],
        ["mention", "rex", "@bea @rita standup"],
        ["mention", "rex", "@bea one more"],
      ]);
      expect(got.rita()).toEqual([
        ["reply", "rex", "on it"],
        ["mention", "rex", "@bea @rita standup"],
      ]);
      // Each mention of bea edited away was taken back (its toast dismissed), and edited back in, not told again.
      await until(() => got.bea.dismissed() === 2, 3000, "bea's two mentions taken back");
      expect(got.rita.dismissed()).toBe(0);
      const stored = await fresh.db.query<{ n: string }>("select count(*)::text as n from notifications where message_id is not null");
      expect(Number(stored[0].n)).toBe(5);
    } finally {
      await close();
    }
  });
});

describe("a deleted message's files", () => {
  it("are removed with it: the tombstone lists none and the file's address answers 404", async () => {
    const fresh = await startTestServer({ rateLimitMessages: 0, uploads: { maxBytes: 1_000_000, perMinute: 0, dailyFiles: 0, dailyBytes: 0 } });
    try {
      const adminCookie = await setupAdmin(fresh, "filer", "filer-password-1");
      const s = await connect(fresh.url, {}, { extraHeaders: { cookie: adminCookie, origin: fresh.url } });
      await call(s, "join-room", "files");
      const up = await upload(fresh, "files", { name: "a.png", bytes: await png(8, 8), type: "image/png" }, { cookie: adminCookie });
      expect(up.status).toBe(201);
      const kept = await upload(fresh, "files", { name: "b.png", bytes: await png(8, 8), type: "image/png" }, { cookie: adminCookie });
      const { message } = await call(s, "send-message-to-room", { room: "files", message: "", attachments: [up.body.upload.id] });
      const { message: other } = await call(s, "send-message-to-room", { room: "files", message: "", attachments: [kept.body.upload.id] });
      expect((await download(fresh, up.body.upload.url, { cookie: adminCookie })).status).toBe(200);
      await call(s, "delete-message", { room: "files", id: message.id });
      const page = await call(s, "history", { room: "files" });
      expect(page.messages[0]).toEqual(expect.objectContaining({ id: message.id, deleted: true, text: "" }));
      expect(page.messages[0].attachments).toBeUndefined();
      await until(async () => (await download(fresh, up.body.upload.url, { cookie: adminCookie })).status === 404, 3000, "the file gone");
      // Positive control: the other message's file is still served.
      expect(page.messages[1].id).toBe(other.id);
      expect((await download(fresh, kept.body.upload.url, { cookie: adminCookie })).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});
