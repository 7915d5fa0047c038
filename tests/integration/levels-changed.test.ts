/**
 * A notification level chosen on one page reaches the person's other pages (another tab, their phone):
 * `levels-changed` goes to every connection of theirs, and to nobody else's.
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { collect, connect, startTestServer, until, type TestServer } from "../helpers/server";

describe("levels-changed", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("tells every connection of the person who chose a level, and nobody else", async () => {
    server = await startTestServer({});
    const s = server;
    const admin = await setupAdmin(s, "alice");
    const bobCookie = await joinAs(s, admin, "bob");
    const as = (cookie: string) => connect(s.url, {}, { extraHeaders: { cookie, origin: s.url } });
    const [bobTab, bobPhone, alice] = [await as(bobCookie), await as(bobCookie), await as(admin)];
    const [tab, phone, alices] = [collect(bobTab, "levels-changed"), collect(bobPhone, "levels-changed"), collect(alice, "levels-changed")];

    expect((await api(s, "/api/rooms/general/notifications", { method: "PUT", cookie: bobCookie, body: { level: "none" } })).status).toBe(200);
    await until(() => tab.length === 1 && phone.length === 1, 5000, "bob's levels-changed on both connections");
    // alice chose nothing: her own choice afterwards is the positive control that she would have heard.
    expect((await api(s, "/api/rooms/general/notifications", { method: "PUT", cookie: admin, body: { level: "all" } })).status).toBe(200);
    await until(() => alices.length === 1, 5000, "alice's own levels-changed");
    expect([tab.length, phone.length]).toEqual([1, 1]);
  }, 30_000);
});
