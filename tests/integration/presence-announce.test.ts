import type { Socket } from "socket.io-client";
import { call, collect, connect, startTestServer, until, type TestServer } from "../helpers/server";

type Presence = { room: string; online: number; members: { name: string; online: boolean }[] };

// A long window, so that a burst of joins on a slow machine still falls inside one or two windows.
const WINDOW_MS = 1000;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ presenceAnnounceMs: WINDOW_MS });
});
afterAll(() => server.close());

const names = (p: Presence | undefined) => (p?.members ?? []).map((m) => m.name).sort();

describe("presence announcements", () => {
  it("collapses a burst of 20 joins and then 10 departures into a few presence events that end with the room as it is", async () => {
    const room = "burst";
    const observer = await connect(server.url, { name: "watcher" });
    const seen = collect<Presence>(observer, "presence");
    await call(observer, "join-room", room);
    const people = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, "0")}`);
    const sockets: Socket[] = await Promise.all(people.map((name) => connect(server.url, { name })));
    await Promise.all(sockets.map((s) => call(s, "join-room", room)));

    const everyone = ["watcher", ...people].sort();
    await until(() => names(seen.at(-1)).join() === everyone.join(), 5 * WINDOW_MS, "presence listing all 21");
    expect(seen.at(-1)).toMatchObject({ room, online: 21 });
    // One presence per join would be 21 (the watcher's own and one per person).
    expect(seen.length).toBeLessThanOrEqual(4);

    const before = seen.length;
    for (const s of sockets.slice(0, 10)) s.disconnect();
    const stayed = ["watcher", ...people.slice(10)].sort();
    await until(() => names(seen.at(-1)).join() === stayed.join(), 5 * WINDOW_MS, "presence listing the 11 who stayed");
    expect(seen.at(-1)!.online).toBe(11);
    expect(seen.length - before).toBeLessThanOrEqual(3);
    // user-joined / user-left are not collapsed (one per person) — see the three-tabs test in chat.test.ts.
  });

  it("skips, until the next change, the connections whose join-room acknowledgement already listed the room as it is", async () => {
    const room = "holders";
    const first = await connect(server.url, { name: "h-first" });
    const firstSeen = collect<Presence>(first, "presence");
    await call(first, "join-room", room);
    await until(() => firstSeen.length === 1, 5 * WINDOW_MS, "the first join's presence");
    // h-second comes online: announced at once (a quiet room), and its window opens.
    const second = await connect(server.url, { name: "h-second" });
    await call(second, "join-room", room);
    await until(() => names(firstSeen.at(-1)).join() === "h-first,h-second", 5 * WINDOW_MS, "h-second's arrival");
    // h-third comes online inside the window: owed to the window's end.
    const third = await connect(server.url, { name: "h-third" });
    const thirdJoin = await call<{ members: { name: string }[] }>(third, "join-room", room);
    // Then more tabs of h-first join: no change, and their acknowledgements list the room as it is now.
    const tabs = await Promise.all([0, 1, 2].map(() => connect(server.url, { name: "h-first" })));
    const tabSeen = tabs.map((t) => collect<Presence>(t, "presence"));
    const tabJoins = await Promise.all(tabs.map((t) => call<{ members: { name: string }[] }>(t, "join-room", room)));
    const all = "h-first,h-second,h-third";
    for (const j of tabJoins) expect(j.members.map((m) => m.name).sort().join()).toBe(all);
    expect(thirdJoin.members.map((m) => m.name).sort().join()).toBe(all);
    // The owed list reaches the connections that were there before h-third came...
    await until(() => names(firstSeen.at(-1)).join() === all, 5 * WINDOW_MS, "the owed list at the first connection");
    // ...and not the tabs, which had it: by the time the first connection got it, theirs would have come too
    // (one server, one emit), so none arriving means none was sent.
    await Promise.all(tabs.map((t) => call(t, "list-rooms")));
    expect(tabSeen.map((seen) => seen.length)).toEqual([0, 0, 0]);

    // A change after their join makes them recipients again.
    const fourth = await connect(server.url, { name: "h-fourth" });
    await call(fourth, "join-room", room);
    const four = "h-first,h-fourth,h-second,h-third";
    await until(() => tabSeen.every((seen) => names(seen.at(-1)).join() === four), 5 * WINDOW_MS, "h-fourth's arrival at every tab");
    for (const s of [first, second, third, fourth, ...tabs]) s.disconnect();
  });

  it("announces the first change in a quiet room at once, not at the end of the window", async () => {
    const slow = await startTestServer({ presenceAnnounceMs: 10_000 });
    try {
      const alone = await connect(slow.url, { name: "first" });
      const seen = collect<Presence>(alone, "presence");
      const started = Date.now();
      await call(alone, "join-room", "quiet");
      await until(() => seen.length === 1, 5000, "presence for the first join");
      expect(Date.now() - started).toBeLessThan(5000);
      expect(names(seen[0])).toEqual(["first"]);
    } finally {
      await slow.close();
    }
  });
});

describe("presence announcements whose lists cost much", () => {
  // A list goes to every connection in the room: R connections × M members entries. With a fixed 50 ms
  // window, 1,000 users coming online wrote 1.4 GB of lists (bench fanout, BENCH_FANOUT_USERS=990); now
  // the window lasts R × M / entriesPerMs ms. Lowered to 0.1 entry per ms here, 11 users on 11
  // connections cost 1,210 ms, as 1,100 users on 1,100 connections do at the default 100 per ms.
  const ENTRIES_PER_MS = 0.1;

  it("waits as long as the last list cost before sending the next, then lists the room as it is", async () => {
    const server = await startTestServer({ presenceAnnounceMs: 50 }, { presenceEntriesPerMs: ENTRIES_PER_MS });
    try {
      const room = "costly";
      const observer = await connect(server.url, { name: "observer" });
      const late = await connect(server.url, { name: "late" });
      const seen: { at: number; p: Presence }[] = [];
      let lateJoin: Promise<unknown> | undefined;
      observer.on("presence", (p: Presence) => {
        seen.push({ at: Date.now(), p });
        // The moment the list of all 11 arrives, one more joins: its list is owed to the window's end.
        if (p.members.length === 11 && !lateJoin) lateJoin = call(late, "join-room", room);
      });
      await call(observer, "join-room", room);
      const people = Array.from({ length: 10 }, (_, i) => `q${i}`);
      const sockets = await Promise.all(people.map((name) => connect(server.url, { name })));
      // One after another: joins that arrive together are read together (lib/chat/join-reader.ts), and
      // each of their answers carries the list, so the announcement after them goes to few connections
      // and its window is short (its cost is what was sent).
      for (const s of sockets) await call(s, "join-room", room);

      const everyone = ["late", "observer", ...people].sort();
      await until(() => names(seen.at(-1)?.p).join() === everyone.join(), 10_000, "presence listing all 12");
      await lateJoin;
      const full = seen.findIndex((s) => s.p.members.length === 11);
      const next = seen[full + 1];
      expect(next.p).toMatchObject({ room, online: 12 });
      // 11 connections × 11 members / 0.1 per ms = 1,210 ms after that list went out (the fixed window: 50 ms).
      expect(next.at - seen[full].at).toBeGreaterThanOrEqual((11 * 11 * 0.6) / ENTRIES_PER_MS);
    } finally {
      await server.close();
    }
  }, 30_000);
});
