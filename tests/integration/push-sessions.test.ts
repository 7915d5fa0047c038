/**
 * A browser's push subscription lasts as long as the session that saved it: signing out of a shared
 * computer, "sign out other sessions" or an expired session stop that browser's pushes, while the
 * person's other browsers keep theirs.
 */
import { api } from "../helpers/http";
import { browserKeys, pushWorld } from "../helpers/push";
import { call, connect, until, type TestServer } from "../helpers/server";
import { pendingPushes } from "../../lib/push/queue";

const servers: TestServer[] = [];
const endpoints: { close(): Promise<unknown> }[] = [];
afterAll(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const e of endpoints.splice(0)) await e.close();
});

let w: Awaited<ReturnType<typeof pushWorld>>;
beforeAll(async () => {
  // bob's own browser (/push/bob) is subscribed with the cookie he got on joining.
  w = await pushWorld({ servers, endpoints }, { overrides: { rateLimits: { push: { points: 6, duration: 3600 } } } });
}, 120_000);

const signIn = async () => {
  const res = await api(w.server, "/api/session", { body: { name: "bob", password: "password-bob" } });
  expect(res.status).toBe(200);
  return res.cookie!;
};
const subscribe = (cookie: string, path: string, keys = browserKeys().keys) =>
  api(w.server, "/api/push/subscriptions", { cookie, body: { endpoint: w.endpoint.url(path), keys } });

/** Sends bob a DM and waits until his own browser got it and nothing is left queued; returns the paths pushed to. */
async function dmBob(text: string): Promise<string[]> {
  const before = w.endpoint.received.length;
  // A connection of alice's own per test: the helpers close every client after each test.
  const alice = await connect(w.server.url, {}, { extraHeaders: { cookie: w.alice, origin: w.server.url } });
  await call(alice, "send-message-to-room", { room: w.dm, message: text });
  await until(() => w.endpoint.received.slice(before).some((r) => r.path === "/push/bob"), 10_000, "bob's own browser to get the push");
  await until(async () => (await pendingPushes(w.server.db)) === 0, 10_000, "the queue to drain");
  return w.endpoint.received.slice(before).map((r) => r.path);
}

describe("push subscriptions end with their session", () => {
  it("stops pushing to the browser of a session that signed out", async () => {
    const shared = await signIn();
    expect((await subscribe(shared, "/push/shared-1")).status).toBe(201);
    expect((await dmBob("both browsers")).sort()).toEqual(["/push/bob", "/push/shared-1"]);
    expect((await api(w.server, "/api/session", { method: "DELETE", cookie: shared })).status).toBe(204);
    expect(await dmBob("only mine now")).toEqual(["/push/bob"]);
  });

  it("stops pushing to the browsers of sessions ended by 'sign out other sessions'", async () => {
    const laptop = await signIn();
    expect((await subscribe(laptop, "/push/lost-laptop")).status).toBe(201);
    expect((await dmBob("before")).sort()).toEqual(["/push/bob", "/push/lost-laptop"]);
    expect((await api(w.server, "/api/account/sessions", { method: "DELETE", cookie: w.bob })).status).toBeLessThan(300);
    expect(await dmBob("after")).toEqual(["/push/bob"]);
  });

  it("pushes nothing to the browser of an expired session", async () => {
    const old = await signIn();
    expect((await subscribe(old, "/push/old")).status).toBe(201);
    const [row] = await w.server.db.query<{ session_id: string }>("select session_id from push_subscriptions where endpoint like '%/push/old'");
    await w.server.db.query("update sessions set expires_at = now() - interval '1 second' where token_hash = $1", [row.session_id]);
    expect(await dmBob("to live sessions only")).toEqual(["/push/bob"]);
  });

  it("takes the browser back when its person signs in there again and it renews its subscription, which costs no limiter point", async () => {
    const keys = browserKeys().keys;
    const first = await signIn();
    expect((await subscribe(first, "/push/shared-2", keys)).status).toBe(201);
    await api(w.server, "/api/session", { method: "DELETE", cookie: first });
    const again = await signIn();
    // A visit renews the subscription; more visits than the `push` row has points left all succeed.
    for (let i = 0; i < 5; i++) expect((await subscribe(again, "/push/shared-2", keys)).status).toBe(201);
    expect((await dmBob("welcome back")).sort()).toEqual(["/push/bob", "/push/shared-2"]);
  });
});
