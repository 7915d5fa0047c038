import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";
import { upload } from "../helpers/uploads";

/**
 * Texts cut to a length (notification previews, file names) are cut between characters as readers see
 * them: never inside a flag, an emoji ZWJ or modifier sequence, or a letter and its marks, as never
 * inside a surrogate pair.
 */
let server: TestServer;
let admin: string;
let bob: string;
beforeAll(async () => {
  server = await startTestServer({ linkPreviews: false, rateLimitMessages: 0 });
  admin = await setupAdmin(server, "admin");
  bob = await joinAs(server, admin, "bob");
}, 120_000);
afterAll(() => server.close());

const CHARACTERS: [string, string][] = [
  ["flags", "\u{1F1EF}\u{1F1F5}"],
  ["ZWJ families", "\u{1F468}\u200d\u{1F469}\u200d\u{1F467}"],
  ["thumbs with a skin tone", "\u{1F44D}\u{1F3FD}"],
  ["letters with a combining mark", "a\u0332"],
];

it.each(CHARACTERS)("cuts a notification preview between %s", async (_, char) => {
  const stream = await openStream(`${server.url}/api/notifications/stream`, { cookie: bob });
  try {
    await until(() => stream.events.length >= 1, 5000, "connected");
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    await call(a, "join-room", "general");
    // 198 code points before the characters: the 200-character preview ends within the first one.
    const text = `@bob ${"a".repeat(193)}${char.repeat(4)}`;
    await call(a, "send-message-to-room", { room: "general", message: text });
    await until(() => stream.events.length >= 2, 5000, "the mention");
    const preview: string = stream.events[1].data.message;
    expect(preview.endsWith("…")).toBe(true);
    expect(preview.slice(198, -1).split(char).join("")).toBe("");
    expect([...preview].length).toBeLessThanOrEqual(200);
  } finally {
    stream.close();
  }
});

it.each(CHARACTERS)("cuts a 200-character file name between %s", async (_, char) => {
  const res = await upload(server, "general", { name: `${"n".repeat(198)}${char.repeat(3)}.txt`, bytes: Buffer.from("hi"), type: "text/plain" }, { cookie: admin });
  expect(res.status).toBe(201);
  const name: string = res.body.upload.name;
  expect([...name].length).toBeLessThanOrEqual(200);
  expect(name.slice(198).split(char).join("")).toBe("");
});
