/**
 * Thread replies with files, end to end: the real server, real multipart uploads, real Socket.IO
 * clients. A reply carries attachments exactly as a message of the room does: delivered live and in
 * `thread-history`, readable by the room's members, taken by one message only, kept past the unsent
 * uploads' pruning, removed with the reply, and never attachable by someone who may not post there.
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, request, startTestServer, until, type TestServer } from "../helpers/server";
import { download, png, upload } from "../helpers/uploads";
import { pruneUnsentUploads } from "../../lib/chat/uploads";

let server: TestServer;
let admin: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  server = await startTestServer({ uploads: { maxBytes: 1_000_000, perMinute: 0, dailyFiles: 0, dailyBytes: 0 } });
  admin = await setupAdmin(server);
  alice = await joinAs(server, admin, "alice");
  bob = await joinAs(server, admin, "bob");
}, 120_000);
afterAll(() => server.close());

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie } });
const uploadAs = async (cookie: string, room: string, name: string, bytes: Buffer) => {
  const res = await upload(server, room, { name, bytes }, { cookie });
  expect(res.status).toBe(201);
  return res.body.upload;
};

describe("a thread reply with attachments", () => {
  it("is delivered with its files in receive-message and thread-history, and its files are the room's to read", async () => {
    const a = await as(alice);
    const b = await as(bob);
    await call(a, "join-room", "general");
    await call(b, "join-room", "general");
    const { message: root } = await call(a, "send-message-to-room", { room: "general", message: "the plan, in a thread" });
    const image = await uploadAs(alice, "general", "sketch.png", await png(40, 20));
    const notes = await uploadAs(alice, "general", "notes.txt", Buffer.from("step one"));
    const received = new Promise<any>((resolve) => b.on("receive-message", (m) => m.threadId === root.id && resolve(m)));

    // Files only: the text may be empty, as for a message of the room.
    const { message: reply } = await call(a, "send-message-to-room", { room: "general", message: "", threadId: root.id, attachments: [image.id, notes.id] });
    expect(reply).toMatchObject({ threadId: root.id, text: "", attachments: [image, notes] });
    expect(await received).toEqual(reply);
    const thread = await call(b, "thread-history", { room: "general", threadId: root.id });
    expect(thread.messages.at(-1)).toEqual(reply);
    expect(thread.root.replies.count).toBe(1);

    // Sent, the files are the room's: another member reads them (an unsent upload is its uploader's only).
    const got = await download(server, notes.url, { cookie: bob });
    expect([got.status, got.bytes.toString()]).toEqual([200, "step one"]);
    expect((await download(server, image.thumbUrl, { cookie: bob })).status).toBe(200);

    // With text too, over HTTP as well (a bot or script replying).
    const more = await uploadAs(alice, "general", "more.txt", Buffer.from("step two"));
    const http = await api(server, "/api/rooms/general/messages", { body: { text: "and this", threadId: root.id, attachments: [more.id] }, cookie: alice });
    expect(http.status).toBe(201);
    expect(http.body.message).toMatchObject({ threadId: root.id, text: "and this", attachments: [more] });
    expect((await download(server, more.url, { cookie: bob })).status).toBe(200);
  });

  it("takes each upload once: a file sent in a reply is refused in another reply or message (conflict), and a retried reply answers the stored one", async () => {
    const a = await as(alice);
    await call(a, "join-room", "general");
    const { message: root } = await call(a, "send-message-to-room", { room: "general", message: "root" });
    const file = await uploadAs(alice, "general", "once.txt", Buffer.from("once"));
    const first = await call(a, "send-message-to-room", { room: "general", message: "here", threadId: root.id, attachments: [file.id], clientId: "reply-once" });
    const retried = await call(a, "send-message-to-room", { room: "general", message: "here", threadId: root.id, attachments: [file.id], clientId: "reply-once" });
    expect(retried.message).toEqual(first.message);
    expect(await request(a, "send-message-to-room", { room: "general", message: "again", threadId: root.id, attachments: [file.id] })).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await request(a, "send-message-to-room", { room: "general", message: "again", attachments: [file.id] })).toMatchObject({ ok: false, error: { code: "conflict" } });
    // The refused sends stored nothing: the thread holds the one reply.
    const thread = await call(a, "thread-history", { room: "general", threadId: root.id });
    expect(thread.messages.map((m: any) => m.text)).toEqual(["here"]);
    expect(thread.root.replies.count).toBe(1);
  });

  it("keeps a reply's files when unsent uploads are pruned, and removes them with the reply", async () => {
    const a = await as(alice);
    await call(a, "join-room", "general");
    const { message: root } = await call(a, "send-message-to-room", { room: "general", message: "root" });
    const file = await uploadAs(alice, "general", "kept.png", await png());
    const { message: reply } = await call(a, "send-message-to-room", { room: "general", message: "", threadId: root.id, attachments: [file.id] });
    await server.db.query("update uploads set created_at = now() - interval '25 hours' where id = $1", [file.id]);
    await pruneUnsentUploads(server.db, server.storage);
    expect((await download(server, file.url, { cookie: bob })).status).toBe(200);

    await call(a, "delete-message", { room: "general", id: reply.id });
    // The files go after the deletion is stored (the server removes them on its own): wait for that.
    await until(async () => (await download(server, file.url, { cookie: alice })).status === 404, 10_000, "the deleted reply's file to go");
    // Its row goes first (the address answers 404 from then on), its bytes right after (removeMessageFiles).
    await until(
      async () => {
        const bytes = await server.storage.read(file.id);
        // The local store opens the file when the stream is first read: removed meanwhile, the stream
        // fails with ENOENT after it was handed out, which this check reads as gone, not as an error.
        bytes?.on("error", () => undefined).destroy();
        return bytes === null;
      },
      10_000,
      "the deleted reply's bytes to go from the store",
    );
  });

  it("refuses files from someone who may not post there, someone else's upload and another room's upload, storing nothing", async () => {
    const a = await as(alice);
    const b = await as(bob);
    await call(a, "create-room", { name: "inner-circle", private: true });
    const { message: root } = await call(a, "send-message-to-room", { room: "inner-circle", message: "members only" });
    // A non-member can neither upload to the room nor reply there with a file uploaded elsewhere.
    expect((await upload(server, "inner-circle", { name: "x.txt", bytes: Buffer.from("x") }, { cookie: bob })).status).toBe(403);
    const bobs = await uploadAs(bob, "general", "mine.txt", Buffer.from("bob's"));
    expect(await request(b, "send-message-to-room", { room: "inner-circle", message: "", threadId: root.id, attachments: [bobs.id] })).toMatchObject({ ok: false, error: { code: "forbidden" } });

    // A member cannot attach another person's upload, nor one made for another room.
    const alices = await uploadAs(alice, "general", "hers.txt", Buffer.from("alice's"));
    await call(a, "add-member", { room: "inner-circle", name: "bob" });
    await call(b, "join-room", "inner-circle");
    expect(await request(b, "send-message-to-room", { room: "inner-circle", message: "", threadId: root.id, attachments: [alices.id] })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await request(b, "send-message-to-room", { room: "inner-circle", message: "", threadId: root.id, attachments: [bobs.id] })).toMatchObject({ ok: false, error: { code: "bad_request", message: expect.stringMatching(/another room/) } });
    const thread = await call(a, "thread-history", { room: "inner-circle", threadId: root.id });
    expect(thread.messages).toEqual([]);
    expect((await download(server, alices.url, { cookie: bob })).status).toBe(404);
  });
});
