import { randomUUID } from "node:crypto";
import { joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

const REDIS_URL = process.env.REDIS_URL;
const ready = Boolean(REDIS_URL && process.env.DATABASE_URL);
if (!ready) process.stdout.write("skipping shutdown-in-a-cluster tests: REDIS_URL and DATABASE_URL must both be set\n");
const maybe = ready ? describe : describe.skip;

const cookieClient = (server: TestServer, cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });

maybe("graceful shutdown of one instance of several", () => {
  it("tells only its own clients that the server is restarting, not those of the other instances", async () => {
    const databaseUrl = await freshPostgresUrl();
    const common = {
      databaseUrl,
      redisUrl: REDIS_URL,
      redisPrefix: `t${randomUUID().slice(0, 8)}`,
      rateLimitMessages: 0,
    };
    const stopping = await startTestServer(common);
    const staying = await startTestServer(common);
    // A third instance sends the positive control: its broadcast follows the stopping one's in the stream.
    const third = await startTestServer(common);
    try {
      const admin = await setupAdmin(stopping);
      const alice = await joinAs(stopping, admin, "alice");
      const bob = await joinAs(stopping, admin, "bob");
      const carol = await joinAs(stopping, admin, "carol");
      const onStopping = await cookieClient(stopping, alice);
      const onStaying = await cookieClient(staying, bob);
      const onThird = await cookieClient(third, carol);
      await call(onStaying, "join-room", "general");
      await call(onThird, "join-room", "general");
      const stoppingNotices = collect(onStopping, "server-shutdown");
      const stayingNotices = collect(onStaying, "server-shutdown");
      const received = collect<{ text: string }>(onStaying, "receive-message");
      await stopping.close();
      expect(stoppingNotices).toEqual([{ reason: "restarting" }]);
      await call(onThird, "send-message-to-room", { room: "general", message: "after the restart notice" });
      await until(() => received.some((m) => m.text === "after the restart notice"), 5000, "the control message on the staying instance");
      expect(stayingNotices).toEqual([]);
      expect(onStaying.connected).toBe(true);
    } finally {
      await stopping.close();
      await staying.close();
      await third.close();
    }
  });
});
