import { call, collect, connect, request, startTestServer, until, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  // Bursts of 100+ sends are the point of some tests here; the rate limit has its own tests.
  server = await startTestServer({ rateLimitMessages: 0 });
});
afterAll(() => server.close());

const ROOM = "Aの話題の部屋";

describe("rooms over Socket.IO", () => {
  it("delivers a message to the other member and the sender's own copy, persisted before the ack", async () => {
    const alice = await connect(server.url, { name: "alice" });
    const bob = await connect(server.url, { name: "bob" });
    const aliceGot = collect(alice, "receive-message");
    const bobGot = collect(bob, "receive-message");
    const joined = collect<string>(alice, "user-joined");
    await call(alice, "join-room", ROOM);
    await call(bob, "join-room", ROOM);
    await until(() => joined.includes("bob has joined the room."), 2000, "bob's join announcement");

    const { message } = await call(alice, "send-message-to-room", { room: ROOM, message: "  こんにちは  " });
    expect(message).toMatchObject({ room: ROOM, author: "alice", text: "こんにちは" });
    expect(message.id).toMatch(/^\d{16}$/);
    expect(new Date(message.createdAt).toISOString()).toBe(message.createdAt);

    // Persisted before the ack: a third client sees it in history right away.
    const carol = await connect(server.url, { name: "carol" });
    const page = await call(carol, "history", { room: ROOM });
    expect(page.messages.map((m: { id: string }) => m.id)).toContain(message.id);

    await until(() => bobGot.length === 1 && aliceGot.length === 1, 2000, "both copies");
    expect(bobGot[0]).toEqual(message);
    expect(aliceGot[0]).toEqual(message);
  });

  it("sends room-activity to a member's connections outside the room only, and again after leave-room", async () => {
    const [a, b] = ["activity-a", "activity-b"];
    const tab1 = await connect(server.url, { name: "dana" });
    await call(tab1, "join-room", a);
    await call(tab1, "join-room", b);
    await call(tab1, "leave-room", b);
    // Already a member of both when these connect: they start on both watch lists; tab2 then opens a.
    const tab2 = await connect(server.url, { name: "dana" });
    await call(tab2, "join-room", a);
    const tab3 = await connect(server.url, { name: "dana" });
    const bob = await connect(server.url, { name: "bob-activity" });
    await call(bob, "join-room", a);
    await call(bob, "join-room", b);
    const tabs = [tab1, tab2, tab3];
    const got = tabs.map((t) => collect(t, "receive-message"));
    const act = tabs.map((t) => collect<{ room: string; lastMessageId: string }>(t, "room-activity"));
    // A new connection watches its rooms once it has caught up; send to b until the last one hears of it.
    await until(
      async () => {
        await call(bob, "send-message-to-room", { room: b, message: "ping" });
        return act[2].some((x) => x.room === b);
      },
      5000,
      "room-activity on the third tab",
    );
    const { message } = await call(bob, "send-message-to-room", { room: a, message: "news in a" });
    const delivered = () => [0, 1].every((i) => got[i].some((m) => m.id === message.id)) && act[2].some((x) => x.lastMessageId === message.id);
    await until(delivered, 2000, "delivery and activity");
    for (const i of [0, 1]) {
      expect(act[i].filter((x) => x.room === a)).toEqual([]); // in a: it got the message itself
      expect(act[i].some((x) => x.room === b)).toBe(true); // not in b, still a member
      expect(got[i].every((m) => m.room === a)).toBe(true);
    }
    expect(got[2]).toEqual([]); // tab3 opened no room
  });

  it("says in room-activity who wrote the message: the author's own message, sent from outside the room, is read for them", async () => {
    const room = "activity-own";
    const erin = await connect(server.url, { name: "erin" });
    const fred = await connect(server.url, { name: "fred" });
    await call(erin, "join-room", room);
    await call(fred, "join-room", room);
    // erin's second tab is in no room: it watches this one. Her first leaves it, then sends there (files
    // uploaded after she had moved on), as fred does.
    const other = await connect(server.url, { name: "erin" });
    await call(erin, "leave-room", room);
    const act = collect<{ room: string; lastSeq: number; lastMessageId: string; author: string }>(other, "room-activity");
    await until(
      async () => {
        await call(fred, "send-message-to-room", { room, message: "ping" });
        return act.some((x) => x.room === room);
      },
      5000,
      "room-activity on erin's second tab",
    );
    const { message: theirs } = await call(fred, "send-message-to-room", { room, message: "from fred" });
    const { message: own } = await call(erin, "send-message-to-room", { room, message: "from erin" });
    await until(() => act.some((x) => x.lastMessageId === own.id), 2000, "activity of erin's message");
    expect(act.find((x) => x.lastMessageId === theirs.id)).toEqual({ room, lastSeq: theirs.seq, lastMessageId: theirs.id, author: "fred" });
    expect(act.find((x) => x.lastMessageId === own.id)).toEqual({ room, lastSeq: own.seq, lastMessageId: own.id, author: "erin" });
    // What the web client concludes from it is what the server holds: erin has read up to her own message.
    const { rooms } = await call(other, "list-rooms");
    expect(rooms.find((r: { name: string }) => r.name === room)).toMatchObject({ lastSeq: own.seq, unread: 0 });
  });

  it("returns the newest 50 messages oldest first on join, and pages older ones with a cursor", async () => {
    const room = "paging";
    const writer = await connect(server.url);
    await call(writer, "join-room", room);
    for (let i = 1; i <= 120; i++) await call(writer, "send-message-to-room", { room, message: `m${i}` });

    const reader = await connect(server.url);
    const join = await call(reader, "join-room", room);
    expect(join.messages).toHaveLength(50);
    expect(join.messages[0].text).toBe("m71");
    expect(join.messages[49].text).toBe("m120");
    expect(join.hasMore).toBe(true);

    const older = await call(reader, "history", { room, before: join.messages[0].id, limit: 60 });
    expect(older.messages.map((m: { text: string }) => m.text)).toEqual(Array.from({ length: 60 }, (_, i) => `m${i + 11}`));
    expect(older.hasMore).toBe(true);
    const oldest = await call(reader, "history", { room, before: older.messages[0].id });
    expect(oldest.messages.map((m: { text: string }) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 1}`));
    expect(oldest.hasMore).toBe(false);
  });

  it("stores one message for a repeated clientId and answers both acks with it", async () => {
    const room = "idempotent";
    const alice = await connect(server.url);
    const watcher = await connect(server.url);
    await call(alice, "join-room", room);
    await call(watcher, "join-room", room);
    const seen = collect(watcher, "receive-message");
    const payload = { room, message: "only once", clientId: "c-123" };
    const [first, second] = await Promise.all([
      call(alice, "send-message-to-room", payload),
      call(alice, "send-message-to-room", payload),
    ]);
    const third = await call(alice, "send-message-to-room", payload);
    expect(second.message).toEqual(first.message);
    expect(third.message).toEqual(first.message);
    expect(first.message.clientId).toBe("c-123");
    const page = await call(alice, "history", { room });
    expect(page.messages.filter((m: { text: string }) => m.text === "only once")).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toHaveLength(1);
    // The room's sequence stays gap-free after the refused duplicates.
    const next = await call(alice, "send-message-to-room", { room, message: "after" });
    expect(next.message.seq).toBe(first.message.seq + 1);
  });

  it("keeps order and strictly increasing ids under 100 rapid sends", async () => {
    const room = "rapid";
    const sender = await connect(server.url);
    const reader = await connect(server.url);
    await call(sender, "join-room", room);
    await call(reader, "join-room", room);
    const got = collect<{ id: string; text: string; seq: number }>(reader, "receive-message");
    // Fire all 100 without waiting for acks.
    const acks = await Promise.all(Array.from({ length: 100 }, (_, i) => call(sender, "send-message-to-room", { room, message: `n${i}` })));
    await until(() => got.length === 100, 5000, "100 deliveries");
    expect(got.map((m) => m.text)).toEqual(Array.from({ length: 100 }, (_, i) => `n${i}`));
    const ids = got.map((m) => m.id);
    for (let i = 1; i < ids.length; i++) {
      expect(ids[i] > ids[i - 1]).toBe(true);
      expect(BigInt(ids[i]) > BigInt(ids[i - 1])).toBe(true);
      expect(got[i].seq).toBe(got[i - 1].seq + 1);
    }
    expect(acks.map((a) => a.message.id)).toEqual(ids);
  });

  it("counts a user with three tabs once in presence and announces them once", async () => {
    const room = "presence";
    const observer = await connect(server.url, { name: "observer" });
    await call(observer, "join-room", room);
    const joins = collect<string>(observer, "user-joined");
    const lefts = collect<string>(observer, "user-left");
    const tabs = await Promise.all([1, 2, 3].map(() => connect(server.url, { name: "tabby" })));
    for (const t of tabs) await call(t, "join-room", room);
    const rooms = await call(observer, "list-rooms");
    expect(rooms.rooms.find((r: { name: string }) => r.name === room).online).toBe(2);
    const join = await call(tabs[0], "join-room", room);
    expect(join.members.filter((m: { name: string }) => m.name === "tabby")).toHaveLength(1);
    expect(joins).toEqual(["tabby has joined the room."]);

    tabs[0].disconnect();
    await call(tabs[1], "leave-room", room);
    await new Promise((r) => setTimeout(r, 100));
    expect(lefts).toEqual([]);
    tabs[2].disconnect();
    await until(() => lefts.length === 1, 2000, "user-left");
    expect(lefts[0]).toBe("tabby has left the room.");
  });

  it("sends typing to the others in the room only", async () => {
    const room = "typing";
    const a = await connect(server.url, { name: "typist" });
    const b = await connect(server.url);
    const outsider = await connect(server.url);
    await call(a, "join-room", room);
    await call(b, "join-room", room);
    const bSees = collect(b, "typing");
    const aSees = collect(a, "typing");
    const outsiderSees = collect(outsider, "typing");
    expect(await request(a, "typing", { room })).toEqual({ ok: true, data: {} });
    await until(() => bSees.length === 1, 2000, "typing");
    expect(bSees[0]).toEqual({ room, author: "typist" });
    expect(aSees).toEqual([]);
    expect(outsiderSees).toEqual([]);
  });

  it("broadcasts the seed's lobby `message` as a plain string to every socket and stores it", async () => {
    const a = await connect(server.url, { name: "lobbyist" });
    const b = await connect(server.url);
    const got = collect<string>(b, "message");
    const ack = await call(a, "message", "hello lobby");
    expect(ack.message).toMatchObject({ room: "lobby", text: "hello lobby", author: "lobbyist" });
    await until(() => got.includes("hello lobby"), 2000, "lobby message");
    const page = await call(b, "history", { room: "lobby" });
    expect(page.messages.at(-1).text).toBe("hello lobby");
  });

  it("processes events sent without an ack callback (seed clients)", async () => {
    const room = "no-ack";
    const a = await connect(server.url);
    const b = await connect(server.url);
    await call(b, "join-room", room);
    const got = collect(b, "receive-message");
    a.emit("join-room", room);
    a.emit("send-message-to-room", { room, message: "fire and forget" });
    await until(() => got.length === 1, 2000, "delivery without ack");
  });

  it("creates rooms and refuses a taken name with conflict", async () => {
    const a = await connect(server.url);
    const created = await call(a, "create-room", { name: "new-room" });
    expect(created.room).toMatchObject({ name: "new-room", private: false });
    const again = await request(a, "create-room", { name: "new-room" });
    expect(again).toMatchObject({ ok: false, error: { code: "conflict" } });
  });

  it("works over the polling transport", async () => {
    const a = await connect(server.url, { name: "poller" }, { transports: ["polling"] });
    const b = await connect(server.url);
    expect(a.io.engine.transport.name).toBe("polling");
    await call(a, "join-room", "polling-room");
    await call(b, "join-room", "polling-room");
    const got = collect(a, "receive-message");
    await call(b, "send-message-to-room", { room: "polling-room", message: "over xhr" });
    await until(() => got.length === 1, 3000, "polling delivery");
  });
});
