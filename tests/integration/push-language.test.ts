/**
 * The server's own sentences in a Web Push (an invitation, the test push) speak the language the browser
 * subscribed with (`lang`, the web client's UI language); what people wrote is pushed as written. The
 * real server pushes to an endpoint on loopback; the test decrypts as the browser would (RFC 8291).
 */
import { api } from "../helpers/http";
import { browserKeys, pushWorld, trackPushWorlds } from "../helpers/push";
import { call, until } from "../helpers/server";

const track = trackPushWorlds();
const FSI = "\u2068";
const PDI = "\u2069";

describe("Web Push in the subscriber's language", () => {
  it("says an invitation in Japanese to a browser that subscribed in Japanese, in English to one that did not say", async () => {
    const { server, endpoint, bob, bobBrowser, aliceSocket } = await pushWorld(track);
    // bob's second browser speaks Japanese; his first (pushWorld's) said no language.
    const jaBrowser = browserKeys();
    const sub = await api(server, "/api/push/subscriptions", { cookie: bob, body: { endpoint: endpoint.url("/push/bob-ja"), keys: jaBrowser.keys, lang: "ja" } });
    expect(sub.status).toBe(201);
    await call(aliceSocket, "create-room", { name: "plans", private: true });
    await call(aliceSocket, "add-member", { room: "plans", name: "bob" });
    await until(() => endpoint.received.length === 2, 10_000, "the invitation pushes");
    const byPath = new Map(endpoint.received.map((r) => [r.path, r]));
    const ja = jaBrowser.decrypt(byPath.get("/push/bob-ja")!.body);
    const en = bobBrowser.decrypt(byPath.get("/push/bob")!.body);
    expect(ja).toMatchObject({ type: "invite", room: "plans", from: "alice", message: `${FSI}alice${PDI}さんがあなたを${FSI}#plans${PDI}に追加しました` });
    expect(en).toMatchObject({ type: "invite", room: "plans", from: "alice", message: `${FSI}alice${PDI} added you to ${FSI}#plans${PDI}` });
  });

  it("pushes a person's own words unchanged to a Japanese browser, and the test push in Japanese", async () => {
    const { server, endpoint, bob, dm, say } = await pushWorld(track);
    const jaBrowser = browserKeys();
    await api(server, "/api/push/subscriptions", { cookie: bob, body: { endpoint: endpoint.url("/push/bob-ja"), keys: jaBrowser.keys, lang: "ja" } });
    await say(dm, "lunch at noon?");
    await until(() => endpoint.received.some((r) => r.path === "/push/bob-ja"), 10_000, "the DM push");
    expect(jaBrowser.decrypt(endpoint.received.find((r) => r.path === "/push/bob-ja")!.body)).toMatchObject({ type: "dm", message: "lunch at noon?" });
    const before = endpoint.received.length;
    expect((await api(server, "/api/push/test", { method: "POST", cookie: bob, body: {} })).status).toBe(202);
    await until(() => endpoint.received.length === before + 2, 10_000, "the test pushes");
    const tests = endpoint.received.slice(before);
    const jaTest = tests.find((r) => r.path === "/push/bob-ja")!;
    expect(jaBrowser.decrypt(jaTest.body)).toMatchObject({ type: "test", message: "通知が届きました。" });
  });

  it("follows a change of language on the next renewal, at no cost to the subscribe limit, and refuses unknown languages", async () => {
    // pushWorld's subscription took 1 of 2 points: relabelling a stored subscription must take none.
    const { server, endpoint, bob, bobBrowser, aliceSocket } = await pushWorld(track, { overrides: { rateLimits: { push: { points: 2, duration: 3600 }, preferences: { points: 3, duration: 3600 } } } });
    let keys = bobBrowser.keys;
    const body = (lang?: string) => ({ endpoint: endpoint.url("/push/bob"), keys, ...(lang ? { lang } : {}) });
    const stored = async () => (await server.db.query<{ lang: string }>("select lang from push_subscriptions where endpoint like '%/push/bob'"))[0].lang;
    // Three changes of language (a point of `preferences` each), renewals in the same language between them (free).
    for (const lang of ["ja", "ja", "en", "en", "ja", "ja"]) {
      expect((await api(server, "/api/push/subscriptions", { cookie: bob, body: body(lang) })).status).toBe(201);
      expect(await stored()).toBe(lang);
    }
    // A fourth change within the hour: the `preferences` row is spent, and the language stays; a renewal
    // in the stored language is still free.
    const flipped = await api(server, "/api/push/subscriptions", { cookie: bob, body: body("en") });
    expect([flipped.status, flipped.body.error?.code]).toEqual([429, "rate_limited"]);
    expect(await stored()).toBe("ja");
    expect((await api(server, "/api/push/subscriptions", { cookie: bob, body: body("ja") })).status).toBe(201);
    const row = { lang: await stored() };
    expect(row.lang).toBe("ja");
    // A renewal that names no language keeps the one stored; so does saving the endpoint anew (new keys).
    expect((await api(server, "/api/push/subscriptions", { cookie: bob, body: body() })).status).toBe(201);
    const renewed = browserKeys();
    expect((await api(server, "/api/push/subscriptions", { cookie: bob, body: { endpoint: endpoint.url("/push/bob"), keys: renewed.keys } })).status).toBe(201);
    expect((await server.db.query<{ lang: string }>("select lang from push_subscriptions where endpoint like '%/push/bob'"))[0].lang).toBe("ja");
    keys = renewed.keys;
    for (const lang of ["fr", "JA", "", 7, null]) {
      const refused = await api(server, "/api/push/subscriptions", { cookie: bob, body: { ...body(), lang } });
      expect(refused.status).toBe(400);
    }
    await call(aliceSocket, "create-room", { name: "vault", private: true });
    await call(aliceSocket, "add-member", { room: "vault", name: "bob" });
    await until(() => endpoint.received.length === 1, 10_000, "the invitation push");
    expect(renewed.decrypt(endpoint.received[0].body).message).toBe(`${FSI}alice${PDI}さんがあなたを${FSI}#vault${PDI}に追加しました`);
  });
});
