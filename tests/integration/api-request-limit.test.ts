import { api, joinAs, setupAdmin } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * The `api-requests` row: every HTTP API request whose credentials name someone takes a point from that
 * caller, whatever the route (reads no other row covers included); past it the request is refused `429`
 * with `Retry-After` before its route runs. Other callers and requests without credentials are not
 * affected. The row is lowered here to 6 a minute so the test makes few requests.
 */
let server: TestServer;
let admin: string;
let bob: string;
let botToken: string;
beforeAll(async () => {
  server = await startTestServer({ linkPreviews: false, rateLimits: { "api-requests": { points: 6, duration: 60 } } });
  admin = await setupAdmin(server, "admin");
  bob = await joinAs(server, admin, "bob");
  const bot = await api(server, "/api/admin/bots", { body: { name: "reporter" }, cookie: admin });
  expect(bot.status).toBe(201);
  botToken = bot.body.token;
}, 120_000);
afterAll(() => server.close());

/** Sends `paths` in order as the caller with `headers`; returns the statuses. */
async function statuses(paths: string[], headers: Record<string, string>) {
  const out: number[] = [];
  for (const path of paths) out.push((await api(server, path, { headers })).status);
  return out;
}

it("refuses a user's requests past the row on every route, with Retry-After, and leaves others alone", async () => {
  // Reads of different routes all count.
  const reads = ["/api/session", "/api/notifications/levels", "/api/announcements", "/api/push/settings", "/api/session", "/api/users/mentions?names=admin"];
  expect(await statuses(reads, { cookie: bob })).toEqual([200, 200, 200, 200, 200, 200]);
  const refused = await api(server, "/api/rooms/general/notifications", { cookie: bob });
  expect(refused.status).toBe(429);
  expect(refused.body.error).toMatchObject({ code: "rate_limited" });
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  // A write is refused too, before its route looks at it.
  expect((await api(server, "/api/rooms/general/messages", { cookie: bob, body: { text: "hello" } })).status).toBe(429);
  const stored = await server.db.query("select 1 from messages where body = 'hello'");
  expect(stored).toHaveLength(0);
  // The notification stream as well.
  expect((await api(server, "/api/notifications/stream", { cookie: bob })).status).toBe(429);

  // Someone else has a budget of their own, and a request with no credentials counts nowhere.
  expect((await api(server, "/api/session", { cookie: admin })).status).toBe(200);
  expect(await statuses(Array(8).fill("/api/search?q=hello"), {})).toEqual(Array(8).fill(401));
});

it("counts a bot by its token, apart from the people", async () => {
  const auth = { authorization: `Bearer ${botToken}` };
  const got = await statuses(Array(7).fill("/api/search?q=hello"), auth);
  expect(got.slice(0, 6)).toEqual(Array(6).fill(200));
  expect(got[6]).toBe(429);
});

it("does not count a cookie or token that names nobody (the route answers 401)", async () => {
  const got = await statuses(Array(8).fill("/api/search?q=hello"), { cookie: "hibiki_session=not-a-session" });
  expect(got).toEqual(Array(8).fill(401));
  const bearer = await statuses(Array(8).fill("/api/search?q=hello"), { authorization: "Bearer nope" });
  expect(bearer).toEqual(Array(8).fill(401));
});
