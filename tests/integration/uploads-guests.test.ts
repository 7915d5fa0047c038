/**
 * Files and guests: a guest (no session, no token; Socket.IO identity by display name) reads the files
 * of the public rooms it can read, and nothing else, and only while guest access is on. Guests cannot
 * upload: uploads, like every HTTP write, need an account or a bot token.
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, request, startTestServer, type TestServer } from "../helpers/server";
import { download, phonePhoto, upload } from "../helpers/uploads";

let server: TestServer;
let admin: string;
let alice: string;

beforeAll(async () => {
  server = await startTestServer({ guestAccess: true, uploads: { maxBytes: 1_000_000, perMinute: 0, dailyFiles: 0, dailyBytes: 0 } });
  admin = await setupAdmin(server);
  alice = await joinAs(server, admin, "alice");
  // Setup turned guests off (nothing had turned them on at run time): the admin's switch turns them on.
  expect((await api(server, "/api/admin/settings", { method: "PUT", body: { guestAccess: true }, cookie: admin })).status).toBe(200);
}, 120_000);
afterAll(() => server.close());

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie } });

/** Uploads `name` as alice to `room` and sends it there with a message; returns the attachment. */
async function sendFile(room: string, name: string) {
  const { body } = await upload(server, room, { name, bytes: await phonePhoto(40, 20), type: "image/jpeg" }, { cookie: alice });
  const a = await as(alice);
  const { message } = await call(a, "send-message-to-room", { room, message: "", attachments: [body.upload.id] });
  a.disconnect();
  return message.attachments[0];
}

describe("files and guests", () => {
  it("lets a guest fetch the files of a public room it reads, revalidated on every use; 404 for a private room's and an unsent one", async () => {
    const shared = await sendFile("general", "park.jpg");
    const alicesSocket = await as(alice);
    await call(alicesSocket, "create-room", { name: "vault", private: true });
    const secret = await sendFile("vault", "secret.jpg");
    const unsent = (await upload(server, "general", { name: "draft.jpg", bytes: await phonePhoto(), type: "image/jpeg" }, { cookie: alice })).body.upload;

    // The guest sees the message in the room's history, as every guest can…
    const guest = await connect(server.url, { name: "wanderer" });
    const { messages } = await call(guest, "join-room", "general");
    const seen = messages.find((m: any) => m.attachments?.[0]?.id === shared.id);
    expect(seen.attachments[0]).toEqual(shared);

    // …and fetches its file and thumbnail over HTTP, where it has no credential at all.
    const file = await download(server, shared.url);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/jpeg");
    expect(file.bytes.length).toBe(shared.size);
    expect(file.headers.get("cache-control")).toBe("private, no-cache");
    expect((await download(server, shared.thumbUrl)).status).toBe(200);
    expect((await download(server, shared.url, { "if-none-match": file.headers.get("etag")! })).status).toBe(304);
    // An account's copy is kept (a file never changes).
    expect((await download(server, shared.url, { cookie: alice })).headers.get("cache-control")).toBe("private, max-age=31536000, immutable");

    // A private room's file, someone's unsent upload, a thumbnail of either: the same 404 as for nothing.
    for (const url of [secret.url, secret.thumbUrl, unsent.url, unsent.thumbUrl, `/api/files/${"x".repeat(22)}/nothing.jpg`]) {
      const res = await download(server, url);
      expect([url, res.status, JSON.parse(res.bytes.toString())]).toEqual([url, 404, { error: { code: "not_found", message: "no such file" } }]);
    }
    // A bearer token that does not resolve is refused, never read as a guest.
    expect((await download(server, shared.url, { authorization: "Bearer wrong-token" })).status).toBe(404);
  });

  it("refuses a guest's upload (401) and a guest's send of someone else's upload (not_found)", async () => {
    const guest = await connect(server.url, { name: "drifter" });
    const res = await upload(server, "general", { name: "mine.jpg", bytes: await phonePhoto(), type: "image/jpeg" });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
    const alices = (await upload(server, "general", { name: "hers.jpg", bytes: await phonePhoto(), type: "image/jpeg" }, { cookie: alice })).body.upload;
    const sent = await request(guest, "send-message-to-room", { room: "general", message: "", attachments: [alices.id] });
    expect(sent).toMatchObject({ ok: false, error: { code: "not_found" } });
    // Guests still post text (the positive control: the refusal above is about the file only).
    expect((await request(guest, "send-message-to-room", { room: "general", message: "hello" })).ok).toBe(true);
  });

  it("answers 404 to guests once guest access is off, while accounts keep reading", async () => {
    const shared = await sendFile("general", "later.jpg");
    const before = await download(server, shared.url);
    expect(before.status).toBe(200);
    expect((await api(server, "/api/admin/settings", { method: "PUT", body: { guestAccess: false }, cookie: admin })).status).toBe(200);
    try {
      expect((await download(server, shared.url)).status).toBe(404);
      expect((await download(server, shared.thumbUrl)).status).toBe(404);
      // A guest's cached copy is revalidated, and that now fails too.
      expect((await download(server, shared.url, { "if-none-match": before.headers.get("etag")! })).status).toBe(404);
      expect((await download(server, shared.url, { cookie: alice })).status).toBe(200);
    } finally {
      await api(server, "/api/admin/settings", { method: "PUT", body: { guestAccess: true }, cookie: admin });
    }
  });
});
