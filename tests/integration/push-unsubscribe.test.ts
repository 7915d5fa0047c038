import { api, setupAdmin } from "../helpers/http";
import { browserKeys } from "../helpers/push";
import { startTestServer, type TestServer } from "../helpers/server";

/** DELETE /api/push/subscriptions checks and normalises its endpoint as subscribing does. */
describe("unsubscribing from Web Push with hostile or unnormalised endpoints", () => {
  let server: TestServer;
  let cookie: string;
  // A browser's real key pair: a p256dh must be a point of P-256.
  const { keys } = browserKeys();
  const del = (endpoint: unknown) => api(server, "/api/push/subscriptions", { method: "DELETE", body: { endpoint }, cookie, headers: { origin: server.url } });
  const test = () => api(server, "/api/push/test", { method: "POST", body: {}, cookie, headers: { origin: server.url } });
  beforeAll(async () => {
    server = await startTestServer({ linkPreviews: false, rateLimits: { push: { points: 1000, duration: 3600 } } });
    cookie = await setupAdmin(server);
  }, 60_000);
  afterAll(() => server.close());

  it.each([["\u0000"], ["a\u0000b"], ["not a url"], ["javascript:alert(1)"], [""], [5], [null]])("answers 400, never 500, for %j", async (endpoint) => {
    const res = await del(endpoint);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
  });

  it("removes a subscription whatever spelling of its endpoint the browser sends back", async () => {
    for (const [subscribed, unsubscribe] of [
      ["https://push.example/\u0000x", "https://push.example/\u0000x"],
      ["https://PUSH.example:443/a b", "https://push.example/a%20b"],
    ]) {
      expect((await api(server, "/api/push/subscriptions", { body: { endpoint: subscribed, keys }, cookie, headers: { origin: server.url } })).status).toBe(201);
      expect((await test()).status).toBe(202);
      expect((await del(unsubscribe)).status).toBe(204);
      expect((await test()).status).toBe(404); // no subscription left
    }
  });
});
