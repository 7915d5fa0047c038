import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import type { BusEvent } from "../../lib/events/bus";
import { BUS_ENTRY_MAX_CHARS, BUS_STREAM_MAX_LEN, StreamBus } from "../../lib/cluster/stream-bus";
import { until } from "../helpers/server";
import { cuttableRedisRelay } from "../helpers/tcp-relay";

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) process.stdout.write("skipping the Redis stream bus tests: REDIS_URL is not set\n");
const maybe = REDIS_URL ? describe : describe.skip;

/**
 * The event bus between instances on a Redis stream (lib/cluster/stream-bus.ts), with a real Redis: each
 * instance hears the others' events once, its own once (at once, not again from the stream), and an
 * entry or a key it cannot read is reported, not a crash, with the events after it still delivered.
 */
maybe("the event bus on a Redis stream", () => {
  const stream = `t${randomUUID().slice(0, 8)}:bus`;
  const clients: Redis[] = [];
  const buses: StreamBus[] = [];
  const client = () => {
    const c = new Redis(REDIS_URL!, { maxRetriesPerRequest: null });
    clients.push(c);
    return c;
  };
  /** A bus of instance `id` (reaching Redis at `url`), the events it heard, the errors and gaps it reported. */
  const instance = (id: string, url = REDIS_URL!) => {
    const errors: unknown[] = [];
    const gaps: [string, string][] = [];
    // Named, so that its reader (a duplicate, the same name) is told apart from other clients of this Redis.
    const c = new Redis(url, { maxRetriesPerRequest: null, connectionName: `${stream}-${id}` });
    c.on("error", () => undefined);
    clients.push(c);
    const bus = new StreamBus(c, stream, id, (err) => errors.push(err), (after, first) => gaps.push([after, first]));
    buses.push(bus);
    const heard: BusEvent[] = [];
    bus.subscribe((e) => heard.push(e));
    return { bus, heard, errors, gaps };
  };
  /** Resolves once the readers of the buses of these instances are blocked in XREAD (reading the stream). */
  const reading = (...ids: string[]) =>
    until(
      async () => {
        const lines = String(await client().client("LIST")).split("\n");
        return ids.every((id) => lines.some((l) => l.includes(` name=${stream}-${id} `) && l.includes("cmd=xread")));
      },
      5000,
      `${ids.join(", ")} reading`,
    );
  afterEach(async () => {
    for (const bus of buses.splice(0)) await bus.close();
    const admin = client();
    await admin.del(stream);
    for (const c of clients.splice(0)) c.disconnect();
  });

  it("hands each instance the others' events once, in order, and the publisher its own once", async () => {
    const a = instance("a");
    const b = instance("b");
    // Both read the stream (from its end) before anything is published.
    await reading("a", "b");
    const events: BusEvent[] = [
      { type: "user-banned", userId: "7" },
      { type: "session-ended", sessionId: "s1" },
      { type: "member-removed", roomId: "3", userId: "7" },
    ];
    for (const e of events) await a.bus.publish(e);
    await b.bus.publish({ type: "guests-disabled" });
    await until(() => b.heard.length === 4 && a.heard.length === 4, 5000, "every event on both");
    // Each hears its own at once and the other's from the stream, in the order they were published.
    expect(a.heard).toEqual([...events, { type: "guests-disabled" }]);
    expect(b.heard).toEqual([{ type: "guests-disabled" }, ...events]);
    expect([a.errors, b.errors]).toEqual([[], []]);
  });

  it("reports an entry it cannot read and goes on with the next", async () => {
    const b = instance("b");
    const writer = client();
    // What someone with access to the Redis could append: not JSON, no event field, then a real one.
    await reading("b");
    await writer.xadd(stream, "*", "from", "x", "event", "{not json");
    await writer.xadd(stream, "*", "from", "x");
    await writer.xadd(stream, "*", "from", "x", "event", "null");
    await writer.xadd(stream, "*", "from", "x", "event", JSON.stringify({ type: "guests-disabled", pad: "x".repeat(BUS_ENTRY_MAX_CHARS) }));
    await writer.xadd(stream, "*", "from", "x", "event", JSON.stringify({ type: "user-banned", userId: "9" }));
    await until(() => b.heard.length === 1, 5000, "the event after the bad entries");
    expect(b.heard).toEqual([{ type: "user-banned", userId: "9" }]);
    // Each bad entry said once (not once per listener), the one without an event skipped.
    expect(b.errors.map(String)).toEqual([expect.stringMatching(/JSON/), expect.stringMatching(/not an event/), expect.stringMatching(/characters, more than/)]);
  });

  it("reports a key that is not a stream once, and reads again once it is one", async () => {
    const writer = client();
    await writer.set(stream, "not a stream");
    const b = instance("b");
    // Its reads counted from here (the loop calls the reader's xread each time).
    const reader = (b.bus as unknown as { reader: { xread: (...args: unknown[]) => Promise<unknown> } }).reader;
    let reads = 0;
    const xread = reader.xread.bind(reader);
    reader.xread = (...args) => (reads++, xread(...args));
    await until(() => b.errors.length >= 1 && reads >= 3, 10_000, "the error reported, and tried again twice");
    await writer.del(stream);
    const a = instance("a");
    await a.bus.publish({ type: "guests-disabled" });
    await until(() => b.heard.length === 1, 10_000, "the event once the key is a stream");
    expect(b.errors).toHaveLength(1);
    expect(String(b.errors[0])).toMatch(/WRONGTYPE/);
  });

  it("closes at once while Redis is unreachable, with an event still waiting to be sent", async () => {
    const relay = await cuttableRedisRelay();
    try {
      const b = instance("b", relay.url);
      await reading("b");
      relay.cut();
      await b.bus.publish({ type: "guests-disabled" });
      await b.bus.close();
      expect(b.heard).toEqual([{ type: "guests-disabled" }]);
    } finally {
      await relay.close();
    }
  });

  it("reads a stream that came back empty (Redis restarted, its clock behind) from its start once it is back", async () => {
    const relay = await cuttableRedisRelay();
    const writer = client();
    try {
      const b = instance("b", relay.url);
      await reading("b");
      // An entry from far ahead of the clock: b's offset is now past anything the clock will give.
      await writer.xadd(stream, "99999999999999-0", "from", "x", "event", JSON.stringify({ type: "user-banned", userId: "1" }));
      await until(() => b.heard.length === 1, 5000, "the entry from ahead");
      relay.cut();
      await writer.del(stream);
      relay.restore();
      await writer.xadd(stream, "*", "from", "x", "event", JSON.stringify({ type: "user-banned", userId: "2" }));
      await until(() => b.heard.length === 2, 15_000, "the event of the new stream");
      expect(b.heard.at(-1)).toEqual({ type: "user-banned", userId: "2" });
      expect([b.errors, b.gaps]).toEqual([[], []]);
    } finally {
      await relay.close();
    }
  }, 30_000);

  it("says so when it was cut off for longer than the stream keeps (events may have been lost)", async () => {
    const relay = await cuttableRedisRelay();
    const writer = client();
    try {
      const b = instance("b", relay.url);
      await reading("b");
      await writer.xadd(stream, "*", "from", "x", "event", JSON.stringify({ type: "guests-disabled" }));
      await until(() => b.heard.length === 1, 5000, "the first event");
      relay.cut();
      // More events than the stream keeps, while b is away: the first ones are trimmed.
      const batch = writer.pipeline();
      for (let i = 0; i < BUS_STREAM_MAX_LEN + 500; i++) batch.xadd(stream, "MAXLEN", "~", BUS_STREAM_MAX_LEN, "*", "from", "x", "event", JSON.stringify({ type: "levels-changed", roomId: "1", userId: String(i) }));
      await batch.exec();
      relay.restore();
      await until(() => b.gaps.length === 1, 15_000, "the gap reported");
      // And it reads on from what the stream kept.
      const newest = { type: "levels-changed", roomId: "1", userId: String(BUS_STREAM_MAX_LEN + 499) };
      await until(() => JSON.stringify(b.heard.at(-1)) === JSON.stringify(newest), 15_000, "what was kept, to the newest");
      expect(b.heard.length).toBeGreaterThan(BUS_STREAM_MAX_LEN - 500);
    } finally {
      await relay.close();
    }
  }, 30_000);
});
