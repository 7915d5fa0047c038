/**
 * Connection-state recovery reads the packets a client missed before the handshake middlewares run,
 * and a broadcast reaches only connected sockets: what was broadcast while a restored connection was
 * still being let in (its access checks, its identity lookup, the connect throttle's queue) must still
 * reach it, once, after what it missed.
 */
import { randomUUID } from "node:crypto";
import { Client } from "pg";
import { io as ioClient } from "socket.io-client";
import { joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, startTestServer, track, until } from "../helpers/server";

const ready = Boolean(process.env.DATABASE_URL);
if (!ready) process.stdout.write("skipping recovery gap tests: DATABASE_URL must be set\n");
const maybe = ready ? describe : describe.skip;
const REDIS_URL = process.env.REDIS_URL;
const maybeCluster = ready && REDIS_URL ? it : it.skip;

/** Whether some query of the database waits for a lock (the held sessions table). */
const waitingOnLock = (lock: Client) => async () =>
  (await lock.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rows[0].n > 0;

maybe("a connection restored by connection-state recovery", () => {
  it("gets what was broadcast to its rooms while its handshake was still running, once and in order", async () => {
    const databaseUrl = (await freshPostgresUrl())!;
    const server = await startTestServer({ databaseUrl, rateLimitMessages: 0, recoveryMaxDisconnectionMs: 60_000 });
    const lock = new Client({ connectionString: databaseUrl });
    await lock.connect();
    try {
      const admin = await setupAdmin(server);
      const alice = await joinAs(server, admin, "alice");
      const bob = await joinAs(server, admin, "bob");
      const writer = await connect(server.url, {}, { extraHeaders: { cookie: alice, origin: server.url } });
      const reader = track(ioClient(server.url, { extraHeaders: { cookie: bob, origin: server.url }, transports: ["websocket"], reconnectionDelay: 100, reconnectionDelayMax: 100, randomizationFactor: 0 }));
      await new Promise<void>((r) => reader.once("connect", () => r()));
      for (const s of [writer, reader]) await call(s, "join-room", "gap");
      const got = collect<{ text: string }>(reader, "receive-message");
      await call(writer, "send-message-to-room", { room: "gap", message: "before" });
      await until(() => got.length === 1, 5000, "the first message (the client's recovery offset)");

      // The sessions table is held, so the restored connection's access check waits in its handshake.
      await lock.query("begin");
      await lock.query("lock table sessions in access exclusive mode");
      const reconnected = new Promise<void>((r) => reader.once("connect", () => r()));
      reader.io.engine.close();
      await call(writer, "send-message-to-room", { room: "gap", message: "while away" });
      await until(waitingOnLock(lock), 10_000, "the restored connection's handshake waiting on the sessions table");
      await call(writer, "send-message-to-room", { room: "gap", message: "during the handshake" });
      await lock.query("commit");
      await reconnected;
      expect(reader.recovered).toBe(true);
      await call(writer, "send-message-to-room", { room: "gap", message: "after" });
      // The connection's messages come in order: a repeat or a late one would be before "after".
      await until(() => got.some((m) => m.text === "after"), 5000, "the live message after the reconnection");
      expect(got.map((m) => m.text)).toEqual(["before", "while away", "during the handshake", "after"]);
    } finally {
      await lock.query("rollback").catch(() => undefined);
      await lock.end();
      await server.close();
    }
  });

  maybeCluster("gets them too when it is restored on another instance (Redis), from either instance", async () => {
    const databaseUrl = (await freshPostgresUrl())!;
    const common = { databaseUrl, redisUrl: REDIS_URL, redisPrefix: `t${randomUUID().slice(0, 8)}`, rateLimitMessages: 0, recoveryMaxDisconnectionMs: 60_000 };
    const a = await startTestServer(common);
    const b = await startTestServer(common);
    const lock = new Client({ connectionString: databaseUrl });
    await lock.connect();
    try {
      const admin = await setupAdmin(a);
      const alice = await joinAs(a, admin, "alice");
      const bob = await joinAs(a, admin, "bob");
      const onA = await connect(a.url, {}, { extraHeaders: { cookie: alice, origin: a.url } });
      const onB = await connect(b.url, {}, { extraHeaders: { cookie: alice, origin: b.url } });
      const reader = track(ioClient(a.url, { extraHeaders: { cookie: bob, origin: a.url }, transports: ["websocket"], reconnectionDelay: 100, reconnectionDelayMax: 100, randomizationFactor: 0 }));
      await new Promise<void>((r) => reader.once("connect", () => r()));
      for (const s of [onA, onB, reader]) await call(s, "join-room", "gap");
      const got = collect<{ text: string }>(reader, "receive-message");
      await call(onA, "send-message-to-room", { room: "gap", message: "before" });
      await until(() => got.length === 1, 5000, "the first message (the client's recovery offset)");

      await lock.query("begin");
      await lock.query("lock table sessions in access exclusive mode");
      // Its next connection goes to B (as behind a load balancer).
      reader.io.on("reconnect_attempt", () => {
        const manager = reader.io as unknown as { uri: string; opts: { extraHeaders: Record<string, string> } };
        manager.uri = b.url;
        manager.opts.extraHeaders.origin = b.url;
      });
      const reconnected = new Promise<void>((r) => reader.once("connect", () => r()));
      reader.io.engine.close();
      await call(onA, "send-message-to-room", { room: "gap", message: "while away" });
      await until(waitingOnLock(lock), 10_000, "the restored connection's handshake waiting on the sessions table");
      await call(onA, "send-message-to-room", { room: "gap", message: "during, from A" });
      await call(onB, "send-message-to-room", { room: "gap", message: "during, from B" });
      await lock.query("commit");
      await reconnected;
      expect(reader.recovered).toBe(true);
      await call(onB, "send-message-to-room", { room: "gap", message: "after" });
      // The connection's messages come in order: a repeat or a late one would be before "after".
      await until(() => got.some((m) => m.text === "after"), 5000, "the live message after the reconnection");
      expect(got.map((m) => m.text)).toEqual(["before", "while away", "during, from A", "during, from B", "after"]);
    } finally {
      await lock.query("rollback").catch(() => undefined);
      await lock.end();
      await a.close();
      await b.close();
    }
  });
});
