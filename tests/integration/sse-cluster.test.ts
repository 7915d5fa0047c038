import { randomUUID } from "node:crypto";
import net from "node:net";
import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, freshPostgresUrl, startTestServer, until } from "../helpers/server";
import { openStream } from "../helpers/sse";

const REDIS_URL = process.env.REDIS_URL;
const ready = Boolean(REDIS_URL && process.env.DATABASE_URL);
if (!ready) process.stdout.write("skipping multi-instance SSE tests: REDIS_URL and DATABASE_URL must both be set\n");
const maybe = ready ? describe : describe.skip;

/**
 * A TCP relay to Redis that can hold back what Redis sends on the link that reads the event bus's stream
 * (the one that sent XREAD for `<prefix>:bus`), as a slow network would: the instance behind it hears the
 * other instances' bus events (notifications) late, in order, once released. Its other links flow.
 */
async function pubSubDelayingRelay() {
  const target = new URL(REDIS_URL!);
  const links = new Set<net.Socket>();
  const held: (() => void)[] = [];
  let holding = false;
  const server = net.createServer((client) => {
    const redis = net.connect(Number(target.port || 6379), target.hostname);
    let busReader = false;
    for (const s of [client, redis]) {
      links.add(s);
      s.on("error", () => undefined);
      s.on("close", () => (client.destroy(), redis.destroy(), links.delete(s)));
    }
    client.on("data", (chunk: Buffer) => {
      const command = chunk.toString("latin1");
      if (/xread/i.test(command) && /:bus\r\n/.test(command)) busReader = true;
      redis.write(chunk);
    });
    redis.on("data", (chunk: Buffer) => {
      if (busReader && (holding || held.length > 0)) held.push(() => client.write(chunk));
      else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    hold: () => void (holding = true),
    heldChunks: () => held.length,
    /** Sends what was held, in order, and lets the bus flow again. */
    release() {
      holding = false;
      while (held.length > 0) held.shift()!();
    },
    close() {
      server.close();
      for (const s of links) s.destroy();
    },
  };
}

maybe("notification streams with two instances (one Redis, one PostgreSQL)", () => {
  it("sends every notification once and in id order when another instance's older one arrives after a newer local one, and resumes after the last id", async () => {
    const relay = await pubSubDelayingRelay();
    const databaseUrl = await freshPostgresUrl();
    const common = { databaseUrl, redisPrefix: `t${randomUUID().slice(0, 8)}`, rateLimitMessages: 0 };
    const a = await startTestServer({ ...common, redisUrl: REDIS_URL });
    // B hears A's bus events through the relay.
    const b = await startTestServer({ ...common, redisUrl: relay.url });
    try {
      const admin = await setupAdmin(a);
      const alice = await joinAs(a, admin, "alice");
      const carol = await joinAs(a, admin, "carol");
      const bob = await joinAs(a, admin, "bob");
      const onA = await connect(a.url, {}, { extraHeaders: { cookie: alice, origin: a.url } });
      const onB = await connect(b.url, {}, { extraHeaders: { cookie: carol, origin: b.url } });
      const stream = await openStream(`${b.url}/api/notifications/stream`, { cookie: bob });
      await until(() => stream.events.length === 1, 2000, "connected");
      const mentions = () => stream.events.filter((e) => e.data.type === "mention");

      relay.hold();
      // Stored first (the older id) on A, heard by B late …
      await call(onA, "send-message-to-room", { room: "general", message: "@bob from A" });
      await until(() => relay.heldChunks() > 0, 5000, "A's notification held on its way to B");
      // … after a newer one stored on B itself.
      await call(onB, "send-message-to-room", { room: "general", message: "@bob from B" });
      await until(() => mentions().length >= 1, 5000, "B's own mention");
      relay.release();
      await until(() => mentions().length === 2, 5000, "A's mention, late");
      // A newer one, sent after: anything repeated would have come before it (the stream sends in id order).
      await call(onB, "send-message-to-room", { room: "general", message: "@bob last" });
      await until(() => mentions().length >= 3, 5000, "the newer mention");
      expect(mentions().map((e) => e.data.message)).toEqual([expect.any(String), expect.any(String), "@bob last"]);
      expect(mentions().slice(0, 2).map((e) => e.data.message).sort()).toEqual(["@bob from A", "@bob from B"]);
      const ids = mentions().map((e) => BigInt(e.id!));
      expect(ids[1]).toBeGreaterThan(ids[0]);
      stream.close();

      // Resuming after the last id sent: nothing again, and what comes next.
      const resumed = await openStream(`${a.url}/api/notifications/stream`, { cookie: bob, "last-event-id": mentions()[2].id! });
      await until(() => resumed.events.length === 1, 2000, "connected again");
      await call(onA, "send-message-to-room", { room: "general", message: "@bob again" });
      await until(() => resumed.events.length === 2, 5000, "the next mention");
      expect(resumed.events.map((e) => e.data.message ?? e.data.type)).toEqual(["connected", "@bob again"]);
      resumed.close();
    } finally {
      await a.close();
      await b.close();
      relay.close();
    }
  });
});
