import { api, joinAs, setupAdmin } from "../helpers/http";
import { startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

/**
 * Admin announcements reach people who were away: each account keeps its copy (7 days) until it is
 * dismissed, and a page that opens asks for them (GET /api/announcements).
 */
let server: TestServer;
let admin: string;
let bob: string;
let carol: string;

beforeAll(async () => {
  server = await startTestServer({ guestAccess: true });
  admin = await setupAdmin(server, "admin", "admin-password");
  bob = await joinAs(server, admin, "bob");
  carol = await joinAs(server, admin, "carol");
}, 60_000);
afterAll(() => server.close());

const announcements = async (cookie: string) => {
  const res = await api(server, "/api/announcements", { cookie });
  expect(res.status).toBe(200);
  return res.body.announcements as { id: string; type: string; message: string; from: string; timestamp: string }[];
};
const dismiss = (cookie: string, id: string, headers: Record<string, string> = {}) =>
  api(server, `/api/announcements/${id}`, { method: "DELETE", cookie, headers });

describe("announcements for those who were away", () => {
  it("keeps an announcement, whole, for every account until each dismisses it, on every device", async () => {
    // No one has a stream open: everyone was away.
    const long = `Maintenance tonight. ${"詳細は後ほど。".repeat(150)}End.`;
    expect((await api(server, "/api/admin/announcements", { body: { message: "first notice" }, cookie: admin })).status).toBe(202);
    expect((await api(server, "/api/admin/announcements", { body: { message: long }, cookie: admin })).status).toBe(202);
    const forBob = await announcements(bob);
    expect(forBob.map((a) => [a.type, a.from, a.message])).toEqual([
      ["system", "admin", "first notice"],
      ["system", "admin", long],
    ]);
    expect(Number.isNaN(Date.parse(forBob[0].timestamp))).toBe(false);

    expect((await dismiss(bob, forBob[0].id)).status).toBe(204);
    expect((await announcements(bob)).map((a) => a.message)).toEqual([long]);
    // Dismissed is dismissed: again is 404, and another sign-in of bob's sees the same list.
    expect((await dismiss(bob, forBob[0].id)).status).toBe(404);
    const otherDevice = (await api(server, "/api/session", { body: { name: "bob", password: "password-bob" } })).cookie!;
    expect((await announcements(otherDevice)).map((a) => a.message)).toEqual([long]);
    // Carol's copies are hers: bob cannot dismiss them by id, and she still has both.
    const forCarol = await announcements(carol);
    expect(forCarol.map((a) => a.message)).toEqual(["first notice", long]);
    for (const a of forCarol) expect((await dismiss(bob, a.id)).status).toBe(404);
    expect(await announcements(carol)).toEqual(forCarol);
  });

  it("takes a dismissed announcement away from the person's other open pages (event: dismissed), not from anyone else's", async () => {
    expect((await api(server, "/api/admin/announcements", { body: { message: "read me once" }, cookie: admin })).status).toBe(202);
    const [mine] = (await announcements(bob)).filter((a) => a.message === "read me once");
    // Another page of bob's (another sign-in, as another device), and a page of carol's, both open.
    const elsewhere = (await api(server, "/api/session", { body: { name: "bob", password: "password-bob" } })).cookie!;
    const bobsPage = await openStream(`${server.url}/api/notifications/stream`, { cookie: elsewhere });
    const carolsPage = await openStream(`${server.url}/api/notifications/stream`, { cookie: carol });
    try {
      await until(() => bobsPage.events.some((e) => e.data?.type === "connected") && carolsPage.events.some((e) => e.data?.type === "connected"), 5000, "both streams connected");
      expect((await dismiss(bob, mine.id)).status).toBe(204);
      await until(() => bobsPage.events.some((e) => e.event === "dismissed"), 5000, "bob's other page told");
      // Its event id (every event has one) is the last one that page's stream sent: Last-Event-ID stays.
      const told = (page: typeof bobsPage) => page.events.findIndex((e) => e.event === "dismissed");
      expect(bobsPage.events.filter((e) => e.event === "dismissed")).toEqual([{ event: "dismissed", id: bobsPage.events[told(bobsPage) - 1].id, data: { id: mine.id } }]);
      expect(bobsPage.events[told(bobsPage)].id).toMatch(/^\d+$/);
      // Carol dismisses her own copy: only then is her page told, and only of hers.
      const [hers] = (await announcements(carol)).filter((a) => a.message === "read me once");
      expect((await dismiss(carol, hers.id)).status).toBe(204);
      await until(() => carolsPage.events.some((e) => e.event === "dismissed"), 5000, "carol's page told");
      expect(carolsPage.events.filter((e) => e.event === "dismissed")).toEqual([{ event: "dismissed", id: carolsPage.events[told(carolsPage) - 1].id, data: { id: hers.id } }]);
      expect(bobsPage.events.filter((e) => e.event === "dismissed")).toHaveLength(1);
    } finally {
      bobsPage.close();
      carolsPage.close();
    }
  });

  it("lists only announcements: a DM's or a mention's notification is neither listed nor dismissable here", async () => {
    const before = await announcements(carol);
    const stored = await api(server, "/api/rooms/general/messages", { body: { text: "hello @carol" }, cookie: bob });
    expect(stored.status).toBe(201);
    // The mention was stored for carol (a stream replaying everything shows it) but is no announcement.
    const replay = await openStream(`${server.url}/api/notifications/stream`, { cookie: carol, "last-event-id": "0" });
    try {
      await until(() => replay.events.some((e) => e.data?.type === "mention"), 5000, "carol's mention, replayed");
      const mention = replay.events.find((e) => e.data?.type === "mention")!;
      expect(await announcements(carol)).toEqual(before);
      expect((await dismiss(carol, mention.id!)).status).toBe(404);
    } finally {
      replay.close();
    }
  });

  it("does not tell its author: no toast on their open page, nothing in their list, while everyone else is told", async () => {
    const adminsPage = await openStream(`${server.url}/api/notifications/stream`, { cookie: admin });
    const carolsPage = await openStream(`${server.url}/api/notifications/stream`, { cookie: carol });
    try {
      await until(() => adminsPage.events.some((e) => e.data?.type === "connected") && carolsPage.events.some((e) => e.data?.type === "connected"), 5000, "both streams connected");
      expect((await api(server, "/api/admin/announcements", { body: { message: "written by me" }, cookie: admin })).status).toBe(202);
      await until(() => carolsPage.events.some((e) => e.data?.message === "written by me"), 5000, "carol told");
      // What comes after it on the author's stream arrives: the announcement would have come first.
      expect((await api(server, "/api/rooms/general/messages", { body: { text: "after the notice, @admin" }, cookie: bob })).status).toBe(201);
      await until(() => adminsPage.events.some((e) => e.data?.type === "mention"), 5000, "the admin's mention");
      expect(adminsPage.events.filter((e) => e.data?.type === "system")).toEqual([]);
      expect((await announcements(admin)).map((a) => a.message)).not.toContain("written by me");
      expect((await announcements(bob)).map((a) => a.message)).toContain("written by me");
    } finally {
      adminsPage.close();
      carolsPage.close();
    }
  });

  it("refuses a bad id, guests and no credentials, and a cookie sent from another site", async () => {
    expect((await dismiss(bob, "abc")).status).toBe(400);
    expect((await api(server, "/api/announcements")).status).toBe(401);
    const [one] = await announcements(carol);
    expect((await dismiss("", one.id)).status).toBe(401);
    const crossSite = await dismiss(carol, one.id, { origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect((await announcements(carol)).map((a) => a.id)).toContain(one.id);
  });
});
