/**
 * Editing a message's text to nothing, on both databases: allowed for a message that carries
 * attachments (it could have been sent so), refused for a text-only one; and what follows the emptied
 * text: delivery, history, search, notifications and the link preview.
 */
import type { Socket } from "socket.io-client";
import type { Message } from "../../lib/chat/types";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { site, stopSite, type Site } from "../helpers/site";
import { openStream } from "../helpers/sse";
import { upload } from "../helpers/uploads";
import { call, collect, connect, freshPostgresUrl, request, startTestServer, until, type TestServer } from "../helpers/server";

/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const PAGE = '<!doctype html><html><head><meta property="og:title" content="The walrus page"><meta property="og:image" content="/cover.png"></head></html>';

let linked: Site;
beforeAll(async () => {
  linked = await site((req, res) => {
    if (req.url === "/cover.png") return res.writeHead(200, { "content-type": "image/png" }).end(PNG);
    res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
  });
});
afterAll(() => stopSite(linked));

const options = () => ({
  rateLimitMessages: 0,
  rateLimitSearches: 0,
  outboundAllow: [`127.0.0.1:${linked.port}`],
  uploads: { maxBytes: 1_000_000, perMinute: 0, dailyFiles: 0, dailyBytes: 0 },
});
const backends: [string, () => Promise<TestServer | undefined>][] = [
  ["PGlite", () => startTestServer(options())],
  [
    "PostgreSQL",
    async () => {
      const url = await freshPostgresUrl();
      return url ? startTestServer({ ...options(), databaseUrl: url }) : undefined;
    },
  ],
];

describe.each(backends)("empty edits on %s", (backend, start) => {
  let server: TestServer | undefined;
  let alice: string;
  let bob: string;
  let n = 0;
  beforeAll(async () => {
    server = await start();
    if (!server) return void console.warn(`empty edits on ${backend}: skipped, DATABASE_URL is not set`);
    const admin = await setupAdmin(server);
    alice = await joinAs(server, admin, "alice");
    bob = await joinAs(server, admin, "bob");
  }, 120_000);
  afterAll(() => server?.close());
  const t = (name: string, fn: (s: TestServer) => Promise<void>) =>
    it(name, async () => {
      if (server) await fn(server);
    });

  const as = (s: TestServer, cookie: string) => connect(s.url, {}, { extraHeaders: { cookie } });
  /** Alice in a fresh room; `send` posts with the given files (uploaded first) and returns the stored message. */
  async function room(s: TestServer) {
    const name = `edits-${++n}`;
    const a = await as(s, alice);
    await call(a, "join-room", name);
    const send = async (message: string, files: string[] = []): Promise<Message> => {
      const attachments: string[] = [];
      for (const file of files) attachments.push((await upload(s, name, { name: file, bytes: Buffer.from(`the bytes of ${file}\n`) }, { cookie: alice })).body.upload.id);
      return (await call(a, "send-message-to-room", { room: name, message, attachments })).message;
    };
    return { name, a, send };
  }
  const edit = (socket: Socket, room: string, id: string, message: string) => request(socket, "edit-message", { room, id, message });
  const search = async (s: TestServer, q: string, room: string) =>
    (await api(s, `/api/search?${new URLSearchParams({ q, room })}`, { cookie: alice })).body.results as { message: Message; snippet: { text: string } }[];

  t("empties a message with attachments: delivered, in history, its files kept, found by its file names only", async (s) => {
    const r = await room(s);
    const b = await as(s, bob);
    await call(b, "join-room", r.name);
    const updates = collect<Message>(b, "message-updated");
    const sent = await r.send("the walrus diagram", ["zebra-notes.txt"]);
    expect(await search(s, "walrus", r.name)).toHaveLength(1);

    const res = await edit(r.a, r.name, sent.id, "");
    expect(res).toMatchObject({ ok: true, data: { message: { id: sent.id, seq: sent.seq, text: "", attachments: sent.attachments, editedAt: expect.any(String) } } });
    const edited = (res as { data: { message: Message } }).data.message;
    await until(() => updates.some((m) => m.id === sent.id), 3000, "message-updated");
    expect(updates.find((m) => m.id === sent.id)).toEqual(edited);
    expect((await call(b, "history", { room: r.name })).messages.at(-1)).toEqual(edited);

    // Search: the removed words no longer find it; its file's name still does, shown as its text.
    expect(await search(s, "walrus", r.name)).toEqual([]);
    const [found, ...more] = await search(s, "zebra", r.name);
    expect(more).toEqual([]);
    expect([found.message.id, found.message.text, found.snippet.text]).toEqual([sent.id, "", "zebra-notes.txt"]);
    expect((await search(s, "has:file", r.name)).map((x) => x.message.id)).toEqual([sent.id]);

    // A blank text counts as empty, as when sending; the same empty text again changes nothing.
    const other = await r.send("second", ["b.txt"]);
    expect(await edit(r.a, r.name, other.id, " \u200b \n")).toMatchObject({ ok: true, data: { message: { text: "", attachments: other.attachments } } });
    const again = await edit(r.a, r.name, sent.id, "");
    expect(again).toEqual({ ok: true, data: { message: edited } });
    // And text can come back.
    expect(await edit(r.a, r.name, sent.id, "words again")).toMatchObject({ ok: true, data: { message: { text: "words again", attachments: sent.attachments } } });
  });

  t("refuses to empty a text-only message (text_empty), and answers a deleted or someone else's message as before", async (s) => {
    const r = await room(s);
    const plain = await r.send("just words");
    const empty = { ok: false, error: { code: "bad_request", message: "message must not be empty", reason: "text_empty" } };
    expect(await edit(r.a, r.name, plain.id, "")).toEqual(empty);
    expect(await edit(r.a, r.name, plain.id, "  \u200b ")).toEqual(empty);
    const page = await call(r.a, "history", { room: r.name });
    expect(page.messages.at(-1)).toEqual(plain);

    const withFile = await r.send("mine", ["c.txt"]);
    const b = await as(s, bob);
    expect(await edit(b, r.name, withFile.id, "")).toMatchObject({ ok: false, error: { code: "forbidden" } });
    await call(r.a, "delete-message", { room: r.name, id: withFile.id });
    expect(await edit(r.a, r.name, withFile.id, "")).toMatchObject({ ok: false, error: { code: "not_found" } });
    // Positive control: a text-only message still takes a text.
    expect(await edit(r.a, r.name, plain.id, "other words")).toMatchObject({ ok: true, data: { message: { text: "other words" } } });
  });

  t("drops the link preview with the emptied text, and notifies no one of the edit", async (s) => {
    const r = await room(s);
    const updates = collect<Message>(r.a, "message-updated");
    const feed = await openStream(`${s.url}/api/notifications/stream`, { cookie: bob });
    try {
      await until(() => feed.events.length === 1, 3000, "connected");
      // Notifications only: the mention the edit took away is withdrawn (`event: dismissed`), checked below.
      const told = () => feed.events.slice(1).filter((e) => e.event !== "dismissed").map((e) => e.data.message);
      const sent = await r.send(`@bob look ${linked.origin}/page`, ["d.txt"]);
      await until(() => updates.some((m) => m.id === sent.id && m.preview), 5000, "the card");
      const image = updates.find((m) => m.id === sent.id && m.preview)!.preview!.imageUrl!;
      expect((await fetch(s.url + image, { headers: { cookie: alice } })).status).toBe(200);
      await until(() => told().length === 1, 3000, "bob mentioned");

      const res = await edit(r.a, r.name, sent.id, "");
      expect(res.ok).toBe(true);
      const edited = (res as { data: { message: Message } }).data.message;
      expect(edited.preview).toBeUndefined();
      expect(edited.text).toBe("");
      expect((await fetch(s.url + image, { headers: { cookie: alice } })).status).toBe(404);
      expect((await call(r.a, "history", { room: r.name })).messages.at(-1).preview).toBeUndefined();

      // Positive control: a later mention reaches bob, and nothing came of the edit before it.
      await r.send("@bob control");
      await until(() => told().length === 2, 3000, "the control mention");
      expect(told()).toEqual([`@bob look ${linked.origin}/page`, "@bob control"]);
      // The emptied text mentions nobody: bob's mention of it was taken back, once.
      expect(feed.events.filter((e) => e.event === "dismissed")).toHaveLength(1);
      // The room was told of the emptied message without its card, and no card came back for it.
      expect(updates.filter((m) => m.id === sent.id).at(-1)).toEqual(edited);
      const latest = (await call(r.a, "history", { room: r.name })).messages.find((m: Message) => m.id === sent.id);
      expect(latest).toEqual(edited);
    } finally {
      feed.close();
    }
  });
});
