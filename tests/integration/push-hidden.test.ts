/**
 * Web Push while every tab is hidden (issue #15, opt-in): tabs report `visibility`, accounts choose
 * `PUT /api/push/settings { whenHidden }`, and the real server decides. The push endpoint is the loopback
 * stand-in of tests/helpers/push.ts, whose bodies the test decrypts as the browser would.
 */
import { randomUUID } from "node:crypto";
import type { Socket } from "socket.io-client";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { pushWorld } from "../helpers/push";
import { call, connect, freshPostgresUrl, request, startTestServer, until, type TestServer } from "../helpers/server";
import { pendingPushes } from "../../lib/push/queue";
import type { Config } from "../../lib/config";

const servers: TestServer[] = [];
const endpoints: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const e of endpoints.splice(0)) await e.close();
});

/** alice (admin, connected) and bob (one subscribed browser, no connection yet), on one server or two. */
async function world(opts: { overrides?: Partial<Config>; second?: boolean } = {}) {
  const { server, other, endpoint, alice, bob, bobBrowser, aliceSocket, dm, say } = await pushWorld({ servers, endpoints }, opts);
  /** A tab of bob's, on `on` (the first server unless told), that reports whether it is hidden. */
  const bobTab = async (on: TestServer = server) => connect(on.url, {}, { extraHeaders: { cookie: bob, origin: on.url } });
  const optIn = async (whenHidden = true) => {
    const res = await api(server, "/api/push/settings", { method: "PUT", cookie: bob, body: { whenHidden } });
    expect(res).toMatchObject({ status: 200, body: { whenHidden } });
  };
  const pushed = () => endpoint.received.map((r) => bobBrowser.decrypt(r.body).message as string);
  /** Bob's notifications, oldest first (stored with their pushes, in one transaction). */
  const notified = async () =>
    (await server.db.query<{ message: string }>("select n.message from notifications n join users u on u.id = n.user_id where u.name = 'bob' order by n.id")).map((r) => r.message);
  /** The queue is empty: every push queued so far was sent or judged unwanted. */
  const drained = () => until(async () => (await pendingPushes(server.db)) === 0, 10_000, "the push queue to drain");
  return { server, other, endpoint, alice, bob, bobBrowser, aliceSocket, dm, say, bobTab, optIn, pushed, notified, drained };
}

const hide = (tab: Socket, hidden = true) => call(tab, "visibility", { hidden });

describe("Web Push while every tab is hidden (opt-in)", () => {
  it("sends nothing while a tab is visible, and pushes once every tab is hidden for someone who opted in", async () => {
    const { endpoint, dm, say, bobTab, optIn, pushed, notified, drained } = await world();
    await optIn();
    const tab = await bobTab();
    await say(dm, "while you look");
    await until(async () => (await notified()).length === 1, 5000, "the notification");
    await drained();
    await hide(tab);
    await say(dm, "while you are away");
    await until(() => endpoint.received.length >= 1, 10_000, "the push");
    await drained();
    expect(pushed()).toEqual(["while you are away"]);
  });

  it("sends nothing to hidden tabs of someone who did not opt in; the choice counts from the next push", async () => {
    const { dm, say, bobTab, optIn, pushed, notified, drained, endpoint } = await world();
    const tab = await bobTab();
    await hide(tab);
    await say(dm, "hidden, not opted in");
    await until(async () => (await notified()).length === 1, 5000, "the notification");
    await drained();
    await optIn();
    await say(dm, "hidden, opted in");
    await until(() => endpoint.received.length >= 1, 10_000, "the push");
    await drained();
    expect(pushed()).toEqual(["hidden, opted in"]);
    // Opting out again: hidden tabs count as online once more (the control: no connection still pushes).
    await optIn(false);
    await say(dm, "hidden, opted out");
    await until(async () => (await notified()).length === 3, 5000, "the third notification");
    await drained();
    tab.disconnect();
    await say(dm, "gone");
    await until(() => endpoint.received.length >= 2, 10_000, "the push to nobody connected");
    expect(pushed()).toEqual(["hidden, opted in", "gone"]);
  });

  it("sends nothing while one tab is hidden and another visible; pushes when the visible one is hidden too", async () => {
    const { endpoint, dm, say, bobTab, optIn, pushed, notified, drained } = await world();
    await optIn();
    const first = await bobTab();
    const second = await bobTab();
    await hide(first);
    await say(dm, "one tab still visible");
    await until(async () => (await notified()).length === 1, 5000, "the notification");
    await drained();
    await hide(second);
    await say(dm, "both hidden");
    await until(() => endpoint.received.length >= 1, 10_000, "the push");
    await drained();
    expect(pushed()).toEqual(["both hidden"]);
    // Showing a tab again is reported too: the next message is not pushed (the control: hiding again is).
    await hide(first, false);
    await say(dm, "one shown again");
    await until(async () => (await notified()).length === 3, 5000, "the third notification");
    await drained();
    await hide(first);
    await say(dm, "hidden again");
    await until(() => endpoint.received.length >= 2, 10_000, "the second push");
    expect(pushed()).toEqual(["both hidden", "hidden again"]);
  });

  it("notifies and pushes a DM whose recipient's only tab shows that DM but is hidden, once they opted in", async () => {
    const { endpoint, bobBrowser, dm, say, bobTab, optIn, notified } = await world();
    await optIn();
    const tab = await bobTab();
    await call(tab, "join-room", dm);
    await hide(tab);
    const sent = await say(dm, "are you looking?");
    await until(() => endpoint.received.length === 1, 10_000, "the push");
    expect(bobBrowser.decrypt(endpoint.received[0].body)).toEqual({ type: "dm", message: "are you looking?", room: dm, from: "alice", url: `/rooms/${dm}#m-${sent.message.id}` });
    expect(await notified()).toEqual(["are you looking?"]);
  });

  it("skips a member viewing a level-all room in a visible tab, and notifies them once that tab is hidden", async () => {
    const { server, alice, bob, say, bobTab, optIn, notified, pushed, endpoint, drained } = await world();
    // carol chose every message of general too and is away: her notification shows the notifier is done.
    const carol = await joinAs(server, alice, "carol");
    const carolDone = async (n: number) =>
      (await server.db.query("select 1 from notifications n join users u on u.id = n.user_id where u.name = 'carol'")).length === n;
    for (const cookie of [bob, carol]) await api(server, "/api/rooms/general/notifications", { method: "PUT", cookie, body: { level: "all" } });
    await optIn();
    const tab = await bobTab();
    await call(tab, "join-room", "general");
    await say("general", "in plain sight");
    await until(() => carolDone(1), 5000, "carol's notification");
    await drained();
    expect(await notified()).toEqual([]);
    await hide(tab);
    await say("general", "behind another window");
    await until(() => endpoint.received.length >= 1, 10_000, "bob's push");
    await until(() => carolDone(2), 5000, "carol's second notification");
    expect(await notified()).toEqual(["behind another window"]);
    expect(pushed()).toEqual(["behind another window"]);
  });

  it("refuses a visibility report that is not { hidden: boolean }", async () => {
    const { bobTab } = await world();
    const tab = await bobTab();
    for (const bad of [undefined, {}, { hidden: "yes" }, "hidden"]) {
      expect(await request(tab, "visibility", bad)).toMatchObject({ ok: false, error: { code: "bad_request" } });
    }
    expect(await request(tab, "visibility", { hidden: true })).toEqual({ ok: true, data: {} });
  });

  it("limits visibility reports with the limiter table's `visibility` row", async () => {
    const { bobTab } = await world({ overrides: { rateLimits: { visibility: { points: 3, duration: 60 } } } });
    const tab = await bobTab();
    for (let i = 0; i < 3; i++) expect((await request(tab, "visibility", { hidden: i % 2 === 0 })).ok).toBe(true);
    expect(await request(tab, "visibility", { hidden: true })).toMatchObject({ ok: false, error: { code: "rate_limited", retryAfter: expect.any(Number) } });
  });
});

describe("GET/PUT /api/push/settings", () => {
  it("defaults to off, validates, persists, and answers only signed-in accounts from this origin", async () => {
    const { server, bob, alice } = await world();
    expect(await api(server, "/api/push/settings", { cookie: bob })).toMatchObject({ status: 200, body: { whenHidden: false } });
    for (const body of [{}, { whenHidden: "true" }, { whenHidden: 1 }, [true], "true"]) {
      const res = await api(server, "/api/push/settings", { method: "PUT", cookie: bob, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
    const saved = await api(server, "/api/push/settings", { method: "PUT", cookie: bob, body: { whenHidden: true } });
    expect(saved).toMatchObject({ status: 200, body: { whenHidden: true } });
    expect((await api(server, "/api/push/settings", { cookie: bob })).body).toEqual({ whenHidden: true });
    // Per account: alice's stays off.
    expect((await api(server, "/api/push/settings", { cookie: alice })).body).toEqual({ whenHidden: false });
    // No account, no settings (guests have no HTTP identity: they are these callers); a foreign page may
    // not change them with bob's cookie (CSRF).
    expect((await api(server, "/api/push/settings")).status).toBe(401);
    expect((await api(server, "/api/push/settings", { method: "PUT", body: { whenHidden: false } })).status).toBe(401);
    const foreign = await api(server, "/api/push/settings", { method: "PUT", cookie: bob, body: { whenHidden: false }, headers: { origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect((await api(server, "/api/push/settings", { cookie: bob })).body).toEqual({ whenHidden: true });
  });

  it("keeps the choice across a restart (PostgreSQL)", async () => {
    const databaseUrl = await freshPostgresUrl();
    if (!databaseUrl) {
      process.stdout.write("skipping the restart test: DATABASE_URL is not set\n");
      return;
    }
    const first = await startTestServer({ databaseUrl });
    const alice = await setupAdmin(first, "alice");
    await api(first, "/api/push/settings", { method: "PUT", cookie: alice, body: { whenHidden: true } });
    await first.close();
    const second = await startTestServer({ databaseUrl });
    servers.push(second);
    expect((await api(second, "/api/push/settings", { cookie: alice })).body).toEqual({ whenHidden: true });
  });
});

const REDIS_URL = process.env.REDIS_URL;
const clustered = Boolean(REDIS_URL && process.env.DATABASE_URL);
if (!clustered) process.stdout.write("skipping the two-instance hidden-tab tests: REDIS_URL and DATABASE_URL must both be set\n");

(clustered ? describe : describe.skip)("hidden tabs on another instance (Redis)", () => {
  const cluster = async () => ({ databaseUrl: await freshPostgresUrl(), redisUrl: REDIS_URL, redisPrefix: `t${randomUUID().slice(0, 8)}` });

  it("the instance that posts a DM sees that the recipient's only tab, on the other instance, is hidden", async () => {
    const { other, endpoint, bobBrowser, dm, say, bobTab, optIn } = await world({ second: true, overrides: await cluster() });
    await optIn();
    // bob's tab lives on the second instance; alice posts on the first, whose notifier asks the cluster.
    const tab = await bobTab(other);
    await call(tab, "join-room", dm);
    await hide(tab);
    await say(dm, "across instances");
    await until(() => endpoint.received.length === 1, 10_000, "the push");
    expect(bobBrowser.decrypt(endpoint.received[0].body)).toMatchObject({ type: "dm", message: "across instances" });
  }, 30_000);

  it("neither instance pushes while the tab on the other instance is visible; both do once it is hidden", async () => {
    const { other, endpoint, dm, say, bobTab, optIn, pushed, notified, drained } = await world({ second: true, overrides: await cluster() });
    await optIn();
    const tab = await bobTab(other);
    // Either instance may claim a push: several of each kind make both decide both ways.
    for (let i = 0; i < 4; i++) await say(dm, `visible ${i}`);
    await until(async () => (await notified()).length === 4, 5000, "four notifications");
    await drained();
    await hide(tab);
    for (let i = 0; i < 4; i++) await say(dm, `hidden ${i}`);
    await until(() => endpoint.received.length >= 4, 15_000, "four pushes");
    await drained();
    expect(pushed().sort()).toEqual(["hidden 0", "hidden 1", "hidden 2", "hidden 3"]);
  }, 30_000);
});
