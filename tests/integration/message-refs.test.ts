/**
 * Verbs that name a message by id answer alike for an id that is not a live message of the room, on
 * both databases: replies (Socket.IO and HTTP) into a thread whose root is deleted, `history` around an
 * unknown or foreign id.
 */
import type { Socket } from "socket.io-client";
import type { Message } from "../../lib/chat/types";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, freshPostgresUrl, request, startTestServer, type TestServer } from "../helpers/server";

const OPTIONS = { rateLimitMessages: 0 };
const backends: [string, () => Promise<TestServer | undefined>][] = [
  ["PGlite", () => startTestServer(OPTIONS)],
  [
    "PostgreSQL",
    async () => {
      const url = await freshPostgresUrl();
      return url ? startTestServer({ ...OPTIONS, databaseUrl: url }) : undefined;
    },
  ],
];

describe.each(backends)("message ids on %s", (backend, start) => {
  let server: TestServer | undefined;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    server = await start();
    if (!server) return void console.warn(`message ids on ${backend}: skipped, DATABASE_URL is not set`);
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
  const send = async (socket: Socket, room: string, message: string, threadId?: string): Promise<Message> =>
    (await call(socket, "send-message-to-room", { room, message, ...(threadId ? { threadId } : {}) })).message;
  const postHttp = (s: TestServer, room: string, body: Record<string, unknown>) =>
    api(s, `/api/rooms/${encodeURIComponent(room)}/messages`, { body, cookie: alice, headers: { origin: s.url } });

  describe("a reply into a thread whose root is deleted", () => {
    t("is not_found through a reply's id too, over Socket.IO and HTTP, and stores nothing", async (s) => {
      const a = await as(s, alice);
      await call(a, "join-room", "gone-root");
      const root = await send(a, "gone-root", "root");
      const r1 = await send(a, "gone-root", "first reply", root.id);
      expect(r1.threadId).toBe(root.id);
      await call(a, "delete-message", { room: "gone-root", id: root.id });

      for (const threadId of [root.id, r1.id]) {
        expect([threadId, await request(a, "send-message-to-room", { room: "gone-root", message: "late", threadId })]).toEqual([
          threadId,
          { ok: false, error: { code: "not_found", message: "no such message to reply to in this room" } },
        ]);
        // Also from a connection that did not join the room, and with a clientId (the reply path either way).
        const b = await as(s, bob);
        expect(await request(b, "send-message-to-room", { room: "gone-root", message: "late", threadId, clientId: `late-${threadId}` })).toMatchObject({
          ok: false,
          error: { code: "not_found" },
        });
        const res = await postHttp(s, "gone-root", { text: "late over HTTP", threadId });
        expect([threadId, res.status, res.body]).toEqual([threadId, 404, { error: { code: "not_found", message: "no such message to reply to in this room" } }]);
      }
      // Nothing was stored: the thread still has its one reply, and the room's next message takes the next seq.
      const thread = await call(a, "thread-history", { room: "gone-root", threadId: root.id });
      expect(thread.messages.map((m: Message) => m.id)).toEqual([r1.id]);
      expect(thread.root).toMatchObject({ id: root.id, deleted: true, replies: { count: 1 } });
      expect((await send(a, "gone-root", "positive control")).seq).toBe(r1.seq + 1);
    });

    t("joins the root's thread through a reply's id while the root lives, over Socket.IO and HTTP", async (s) => {
      const a = await as(s, alice);
      await call(a, "join-room", "live-root");
      const root = await send(a, "live-root", "root");
      const r1 = await send(a, "live-root", "first reply", root.id);
      expect((await send(a, "live-root", "second reply", r1.id)).threadId).toBe(root.id);
      const res = await postHttp(s, "live-root", { text: "third reply", threadId: r1.id });
      expect([res.status, res.body.message.threadId]).toEqual([201, root.id]);
      const thread = await call(a, "thread-history", { room: "live-root", threadId: root.id });
      expect(thread.root.replies.count).toBe(3);
      // A deleted reply, its root alive, is itself not_found as a threadId.
      await call(a, "delete-message", { room: "live-root", id: r1.id });
      expect(await request(a, "send-message-to-room", { room: "live-root", message: "to a deleted reply", threadId: r1.id })).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
      expect((await send(a, "live-root", "to the root", root.id)).threadId).toBe(root.id);
    });
  });

  describe("history around", () => {
    t("is not_found for an unknown id or another room's message, joined or not, and keeps a tombstone's place", async (s) => {
      const a = await as(s, alice);
      await call(a, "join-room", "around-here");
      await call(a, "join-room", "around-there");
      const here: Message[] = [];
      for (let i = 1; i <= 5; i++) here.push(await send(a, "around-here", `here ${i}`));
      const there = await send(a, "around-there", "there");
      const b = await as(s, bob); // never joins: the scoped lookup path
      const notFound = { ok: false, error: { code: "not_found", message: "no such message in this room" } };
      for (const socket of [a, b])
        for (const around of ["0000000099999999", there.id, "99999999"])
          expect([around, await request(socket, "history", { room: "around-here", around })]).toEqual([around, notFound]);

      // A deleted message is still a place in history: the page is around its tombstone.
      await call(a, "delete-message", { room: "around-here", id: here[2].id });
      for (const socket of [a, b]) {
        const page = await call(socket, "history", { room: "around-here", around: here[2].id, limit: 2 });
        expect(page.messages.map((m: Message) => [m.id, m.deleted ?? false])).toEqual([
          [here[2].id, true],
          [here[3].id, false],
        ]);
        expect(page).toMatchObject({ hasMore: true, hasNewer: true });
      }
      // Positive control: around a live message, as before.
      const page = await call(b, "history", { room: "around-here", around: here[3].id, limit: 4 });
      expect(page.messages.map((m: Message) => m.text)).toEqual(["", "here 4", "here 5"]);
      expect(page).toEqual({ messages: expect.any(Array), hasMore: true, hasNewer: false });
    });
  });
});
