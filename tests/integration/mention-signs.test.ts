import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

/**
 * A mention typed with a Japanese or Chinese input method in full-width mode starts with U+FF20 (＠),
 * not "@": it notifies like "@" does, as does the small form U+FE6B (﹫), and `＠ｈｅｒｅ` is `@here`.
 */
let server: TestServer;
let admin: string;
let yuki: string;
beforeAll(async () => {
  server = await startTestServer({ linkPreviews: false });
  admin = await setupAdmin(server, "admin");
  yuki = await joinAs(server, admin, "ゆき");
}, 120_000);
afterAll(() => server.close());

it.each([
  ["\uFF20ゆき さん、確認お願いします", "mention"],
  ["\uFE6Bゆき small at", "mention"],
  ["\uFF20ｙ hi \uFF20ゆき", "mention"],
])("notifies the person named after a full-width or small @ in %j", async (text, type) => {
  const stream = await openStream(`${server.url}/api/notifications/stream`, { cookie: yuki });
  try {
    await until(() => stream.events.length >= 1, 5000, "connected");
    const a = connect(server.url, {}, { extraHeaders: { cookie: admin } });
    await call(await a, "join-room", "general");
    await call(await a, "send-message-to-room", { room: "general", message: text });
    await until(() => stream.events.length >= 2, 5000, "the mention");
    expect(stream.events[1].data).toMatchObject({ type, from: "admin", room: "general", message: text });
  } finally {
    stream.close();
  }
});

it("counts ＠ｈｅｒｅ as @here for the people in the room", async () => {
  const stream = await openStream(`${server.url}/api/notifications/stream`, { cookie: yuki });
  try {
    await until(() => stream.events.length >= 1, 5000, "connected");
    const y = await connect(server.url, {}, { extraHeaders: { cookie: yuki } });
    await call(y, "join-room", "general");
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    await call(a, "join-room", "general");
    await call(a, "send-message-to-room", { room: "general", message: "\uFF20\uFF48\uFF45\uFF52\uFF45 standup" });
    await until(() => stream.events.length >= 2, 5000, "the mention");
    expect(stream.events[1].data).toMatchObject({ type: "mention", from: "admin" });
  } finally {
    stream.close();
  }
});
