/**
 * A browser's push subscription lasts as long as the session that saved it: signing out of a shared
 * computer, "sign out other sessions" or an expired session stop that browser's pushes, while the
 * person's other browsers keep theirs.
 */
import { api, joinAs } from "../helpers/http";
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
  w = await pushWorld({ servers, endpoints }, { overrides: { rateLimits: { push: { points: 8, duration: 3600 } } } });
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

  // From an outside trial: another account saving bob's endpoint (seen in a log, say) with keys of its
  // own took the row: bob's pushes stopped, and theirs went to his browser.
  it("keeps a browser's endpoint with the account holding it: another account saving it with other keys is refused, with the browser's own keys or after the holder's session it moves", async () => {
    const mallory = await joinAs(w.server, w.alice, "mallory", "password-mallory");
    const holder = async (path: string) =>
      (await w.server.db.query<{ name: string }>(
        "select u.name from push_subscriptions p join users u on u.id = p.user_id where p.endpoint = $1",
        [w.endpoint.url(path)],
      ))[0]?.name;
    const taken = await subscribe(mallory, "/push/bob");
    expect([taken.status, taken.body.error?.reason]).toEqual([409, "push_subscription_taken"]);
    // Nor by another spelling of it: a fragment or a user name is no part of a push service's endpoint.
    const bobs = new URL(w.endpoint.url("/push/bob"));
    for (const spelling of [`${bobs.href}#x`, `${bobs.href}#`, `${bobs.protocol}//mallory@${bobs.host}${bobs.pathname}`, `${bobs.protocol}//a:b@${bobs.host}${bobs.pathname}`]) {
      const res = await api(w.server, "/api/push/subscriptions", { cookie: mallory, body: { endpoint: spelling, keys: browserKeys().keys } });
      expect([spelling, res.status]).toEqual([spelling, 400]);
    }
    // Nor by a spelling that is the same endpoint at any push service (a second trial: `?`, `%61`; the
    // rest in tests/lib/push-endpoint.test.ts: each refusal here costs a point of the `push` row).
    for (const spelling of [`${bobs.href}?&`, bobs.href.replace("/push/bob", "/push/%62%6F%62")]) {
      const res = await api(w.server, "/api/push/subscriptions", { cookie: mallory, body: { endpoint: spelling, keys: browserKeys().keys } });
      expect([spelling, res.status, res.body.error?.reason]).toEqual([spelling, 409, "push_subscription_taken"]);
    }
    // Again with its language only, and after a refused delete: still bob's, and pushed to.
    expect((await api(w.server, "/api/push/subscriptions", { cookie: mallory, body: { endpoint: w.endpoint.url("/push/bob"), keys: browserKeys().keys, lang: "ja" } })).status).toBe(409);
    expect((await api(w.server, "/api/push/subscriptions", { method: "DELETE", cookie: mallory, body: { endpoint: w.endpoint.url("/push/bob") } })).status).toBe(204);
    expect(await holder("/push/bob")).toBe("bob");
    expect(await dmBob("still mine")).toContain("/push/bob");
    // The same browser's subscription (its keys) signed in as someone else: it moves.
    const shared = await signIn();
    const keys = browserKeys().keys;
    expect((await subscribe(shared, "/push/shared-3", keys)).status).toBe(201);
    expect((await subscribe(mallory, "/push/shared-3", keys)).status).toBe(201);
    expect(await holder("/push/shared-3")).toBe("mallory");
    // A holder whose session is over (expired) holds nothing.
    const old = await signIn();
    expect((await subscribe(old, "/push/shared-4")).status).toBe(201);
    const [row] = await w.server.db.query<{ session_id: string }>("select session_id from push_subscriptions where endpoint = $1", [w.endpoint.url("/push/shared-4")]);
    await w.server.db.query("update sessions set expires_at = now() - interval '1 second' where token_hash = $1", [row.session_id]);
    expect((await subscribe(mallory, "/push/shared-4")).status).toBe(201);
    expect(await holder("/push/shared-4")).toBe("mallory");
  });
});
