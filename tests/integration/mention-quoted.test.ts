import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

/**
 * A name with a space is mentioned in quotes, `@"Aiko Tanaka"` (straight or “curly” quotes, after any
 * mention sign), as the `@` suggestions write it (lib/notifications/mentions.ts): it notifies that person
 * and not the one named by its first word, `Aiko`. In a code span it notifies nobody, as any mention.
 * The notification says it as the message shows it, without the quotes.
 */
let server: TestServer;
let admin: string;
let aikoTanaka: string;
let aiko: string;
beforeAll(async () => {
  server = await startTestServer({ linkPreviews: false });
  admin = await setupAdmin(server, "admin");
  aikoTanaka = await joinAs(server, admin, "Aiko Tanaka");
  aiko = await joinAs(server, admin, "Aiko");
}, 120_000);
afterAll(() => server.close());

it.each([
  ['@"Aiko Tanaka" please review', "Aiko Tanaka"],
  ["\uFF20\u201cAiko Tanaka\u201d 確認お願いします", "Aiko Tanaka"],
  ['`@"Aiko Tanaka"` is how to write it; @Aiko too', "Aiko"],
])("notifies only the person %j names (%s)", async (text, named) => {
  const streams = { "Aiko Tanaka": await openStream(`${server.url}/api/notifications/stream`, { cookie: aikoTanaka }), Aiko: await openStream(`${server.url}/api/notifications/stream`, { cookie: aiko }) };
  try {
    for (const s of Object.values(streams)) await until(() => s.events.length >= 1, 5000, "connected");
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    await call(a, "join-room", "general");
    await call(a, "send-message-to-room", { room: "general", message: text });
    // Then a mention of both: whoever the first message did not notify hears this one first.
    await call(a, "send-message-to-room", { room: "general", message: '@"Aiko Tanaka" @Aiko end' });
    for (const [name, s] of Object.entries(streams)) {
      // (A notification's `message` is the text as read: a code span's backticks and a mention's quotes are not in it.)
      await until(() => s.events.some((e) => (e.data as { message?: string })?.message === "@Aiko Tanaka @Aiko end"), 5000, `${name}'s last mention`);
      const first = s.events[1].data as { type: string; message: string };
      expect([name, first.type, first.message === "@Aiko Tanaka @Aiko end"]).toEqual([name, "mention", name !== named]);
    }
  } finally {
    for (const s of Object.values(streams)) s.close();
  }
});

it("says a mention in a notification as the message shows it, without its quotes", async () => {
  const stream = await openStream(`${server.url}/api/notifications/stream`, { cookie: aikoTanaka });
  try {
    await until(() => stream.events.length >= 1, 5000, "connected");
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    await call(a, "join-room", "general");
    await call(a, "send-message-to-room", { room: "general", message: 'ping \uFF20\u201dAiko Tanaka\u201d, then @"Nobody, Here" and @"Aiko Tanaka"' });
    await until(() => stream.events.length >= 2, 5000, "the mention");
    expect(stream.events[1].data).toMatchObject({ type: "mention", message: 'ping \uFF20Aiko Tanaka, then @"Nobody, Here" and @Aiko Tanaka' });
  } finally {
    stream.close();
  }
});

it("says a quoted name is someone a mention notifies (GET /api/users/mentions)", async () => {
  const res = await fetch(`${server.url}/api/users/mentions?names=${encodeURIComponent("Aiko Tanaka,Nobody Here")}&room=general`, { headers: { cookie: admin } });
  expect(res.status).toBe(200);
  const { users } = (await res.json()) as { users: { mention: string; name: string }[] };
  expect(users.map((u) => u.name)).toEqual(["Aiko Tanaka"]);
});
