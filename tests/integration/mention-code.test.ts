/**
 * A mention in code, a link or an image notifies nobody (it is not highlighted either): teams paste logs
 * and commands with `@names` in them. A mention in the text around it still notifies, and an edit that
 * moves a name out of code notifies then.
 */
import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

let server: TestServer;
let admin: string;
let tanaka: string;
beforeAll(async () => {
  server = await startTestServer({ linkPreviews: false, rateLimitMessages: 0 });
  admin = await setupAdmin(server, "admin");
  tanaka = await joinAs(server, admin, "田中");
}, 120_000);
afterAll(() => server.close());

it("notifies for the mention outside code, and none inside it", async () => {
  const stream = await openStream(`${server.url}/api/notifications/stream`, { cookie: tanaka });
  try {
    await until(() => stream.events.length >= 1, 5000, "connected");
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    await call(a, "join-room", "general");
    const quiet = [
      "please run `@田中 --help` in the shell",
      "```\nping @田中 from script\n```",
      "log:\n\n    12:00 @田中 connected",
      "[@田中](https://example.com/u/tanaka)",
      "``@here`` is how to page the room",
    ];
    for (const message of quiet) await call(a, "send-message-to-room", { room: "general", message });
    const marker = "`@田中` in code, but @田中 here";
    const { message: m } = await call(a, "send-message-to-room", { room: "general", message: marker });
    await until(() => stream.events.length >= 2, 5000, "the mention");
    expect(stream.events[1].data).toMatchObject({ type: "mention", messageId: m.id });

    // An edit that takes the name out of code notifies then (once).
    const { message: moved } = await call(a, "send-message-to-room", { room: "general", message: "see `@田中`" });
    await call(a, "edit-message", { room: "general", id: moved.id, message: "see @田中" });
    await until(() => stream.events.length >= 3, 5000, "the edit's mention");
    expect(stream.events[2].data).toMatchObject({ type: "mention", messageId: moved.id });

    // Nothing else was stored for them: the quiet messages came first and notified nobody.
    const stored = await server.db.query<{ id: string }>(
      `select n.message_id::text as id from notifications n join users u on u.id = n.user_id where u.name = '田中' and n.message_id is not null order by n.id`,
    );
    expect(stored.map((r) => BigInt(r.id))).toEqual([BigInt(m.id), BigInt(moved.id)]);
  } finally {
    stream.close();
  }
});
