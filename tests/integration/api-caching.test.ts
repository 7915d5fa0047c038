/**
 * What a browser (or a caching proxy) may keep of the API's answers: nothing, except what the routes
 * that serve bytes say themselves (files, whose copy the server allows to be kept, and SSE streams).
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { openStream } from "../helpers/sse";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";
import { download, upload } from "../helpers/uploads";

let server: TestServer;
let admin: string;
let alice: string;
beforeAll(async () => {
  server = await startTestServer();
  admin = await setupAdmin(server);
  alice = await joinAs(server, admin, "alice");
}, 90_000);
afterAll(() => server.close());

describe("caching of API answers", () => {
  it("marks every JSON answer of the API no-store: a private room's search results, the join code, the user list, errors", async () => {
    const a = await connect(server.url, {}, { extraHeaders: { cookie: alice } });
    await call(a, "create-room", { name: "vault", private: true });
    await call(a, "send-message-to-room", { room: "vault", message: "the safe code is 4711" });
    const answers = {
      search: await api(server, "/api/search?q=safe", { cookie: alice }),
      session: await api(server, "/api/session", { cookie: alice }),
      joinCode: await api(server, "/api/admin/join-code", { cookie: admin }),
      users: await api(server, "/api/admin/users", { cookie: admin }),
      people: await api(server, "/api/users?q=", { cookie: alice }),
      mentions: await api(server, "/api/users/mentions?names=alice", { cookie: alice }),
      refused: await api(server, "/api/admin/users", { cookie: alice }),
      unknown: await api(server, "/api/no-such-thing", { cookie: alice }),
    };
    expect(answers.search.body.results).toHaveLength(1);
    const seen = Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, r.headers.get("cache-control")]));
    expect(seen).toEqual(Object.fromEntries(Object.keys(answers).map((k) => [k, "no-store"])));
  });

  it("keeps the routes' own caching: a file may be kept (it never changes), an SSE stream is not transformed", async () => {
    const { body } = await upload(server, "general", { name: "a.txt", bytes: Buffer.from("text") }, { cookie: alice });
    const file = await download(server, body.upload.url, { cookie: alice });
    expect(file.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    const stream = await openStream(`${server.url}/api/notifications/stream`, { cookie: alice });
    expect(stream.headers.get("cache-control")).toBe("no-cache, no-transform");
    stream.close();
  });

  it("has signing out empty the browser's cache of this site (the files it may keep)", async () => {
    const cookie = await joinAs(server, admin, "bob");
    const out = await api(server, "/api/session", { method: "DELETE", cookie, headers: { origin: server.url } });
    expect(out.status).toBe(204);
    expect(out.headers.get("clear-site-data")).toBe('"cache"');
    // Only sign-out says it: another answer leaves the cache alone.
    expect((await api(server, "/api/session", { cookie: alice })).headers.get("clear-site-data")).toBeNull();
  });
});
