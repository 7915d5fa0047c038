import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { call, connect, freshPostgresUrl, startTestServer } from "../helpers/server";

describe("history survives a restart", () => {
  // A new data dir: a child process creates the cluster, then the server opens it (15-20 s on a busy machine).
  it("on embedded PGlite in the same DATA_DIR", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "hibiki-data-"));
    try {
      const first = await startTestServer({ dataDir });
      const a = await connect(first.url, { name: "keeper" });
      await call(a, "join-room", "durable");
      const sent = [];
      for (let i = 0; i < 5; i++) sent.push((await call(a, "send-message-to-room", { room: "durable", message: `kept ${i}` })).message);
      a.disconnect();
      await first.close();

      const second = await startTestServer({ dataDir });
      try {
        const b = await connect(second.url, { name: "returner" });
        const join = await call(b, "join-room", "durable");
        expect(join.messages).toEqual(sent);
        // New ids keep growing after the restart.
        const { message } = await call(b, "send-message-to-room", { room: "durable", message: "after restart" });
        expect(message.id > sent[4].id).toBe(true);
        expect(message.seq).toBe(6);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("on PostgreSQL (DATABASE_URL)", async () => {
    const databaseUrl = await freshPostgresUrl();
    if (!databaseUrl) {
      process.stdout.write("skipping PostgreSQL restart test: DATABASE_URL is not set\n");
      return;
    }
    const first = await startTestServer({ databaseUrl });
    const a = await connect(first.url, { name: "pg-keeper" });
    await call(a, "join-room", "pg-durable");
    const { message } = await call(a, "send-message-to-room", { room: "pg-durable", message: "stored in postgres" });
    a.disconnect();
    await first.close();
    const second = await startTestServer({ databaseUrl });
    try {
      const b = await connect(second.url);
      const page = await call(b, "history", { room: "pg-durable" });
      expect(page.messages).toEqual([message]);
    } finally {
      await second.close();
    }
  });
});
