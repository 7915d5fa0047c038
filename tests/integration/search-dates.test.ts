import { api, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";

/** Search dates must be days the calendar has: JavaScript's Date would roll 2026-02-30 over to March 2. */
describe("search date operators and parameters refuse days that do not exist", () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer({ linkPreviews: false, rateLimitSearches: 1000 });
    admin = await setupAdmin(server);
    const s = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    await call(s, "send-message-to-room", { room: "general", message: "deployed the release" });
  }, 60_000);
  afterAll(() => server.close());
  const search = (query: string) => api(server, `/api/search?${query}`, { cookie: admin });

  it.each([
    `q=${encodeURIComponent("deploy after:2026-02-30")}`,
    `q=${encodeURIComponent("deploy before:2025-02-29")}`,
    `q=${encodeURIComponent("deploy after:2026-04-31T10:00Z")}`,
    `q=${encodeURIComponent("deploy before:2026-00-10")}`,
    "q=deploy&after=2026-06-31",
    "q=deploy&before=2026-11-00",
  ])("answers 400 for %s", async (query) => {
    const res = await search(query);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/wants a date/);
  });

  it("still accepts real days, leap days included (positive control)", async () => {
    for (const query of [`q=${encodeURIComponent("deploy after:2024-02-29")}`, "q=deploy&after=2026-01-31", `q=${encodeURIComponent("deploy before:2999-12-31T23:59Z")}`]) {
      const res = await search(query);
      expect({ query, status: res.status, n: res.body.results?.length }).toEqual({ query, status: 200, n: 1 });
    }
  });
});
