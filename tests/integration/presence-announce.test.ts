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
