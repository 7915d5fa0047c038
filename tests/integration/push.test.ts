/**
 * Web Push end to end: the real server sends to a push endpoint this test runs on loopback. The test
 * holds the browser's side of the subscription (its own P-256 key pair and auth secret) and decrypts
 * the RFC 8291 aes128gcm body, as a push service's client would.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { browserKeys, pushEndpoint, pushWorld } from "../helpers/push";
import { call, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";
import { pendingPushes } from "../../lib/push/queue";

const servers: TestServer[] = [];
const endpoints: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const e of endpoints.splice(0)) await e.close();
});

const world = (opts: Parameters<typeof pushWorld>[1] = {}) => pushWorld({ servers, endpoints }, opts);

describe("Web Push", () => {
  it("sends a person with no live connection an RFC 8291 push whose body decrypts to the notification JSON", async () => {
    const { endpoint, bobBrowser, dm, say } = await world();
    const sent = await say(dm, "are you there? 🌙");
    await until(() => endpoint.received.length === 1, 10_000, "the push");
    const [push] = endpoint.received;
    expect(push.path).toBe("/push/bob");
    expect(push.headers["content-encoding"]).toBe("aes128gcm");
    expect(push.headers.ttl).toBe("86400");
    expect(push.headers.urgency).toBe("high");
    expect(push.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(bobBrowser.decrypt(push.body)).toEqual({ type: "dm", message: "are you there? 🌙", room: dm, from: "alice", url: `/rooms/${dm}#m-${sent.message.id}` });
  });

  it("signs with the deployment's VAPID key, the one GET /api/push/key gives browsers", async () => {
    const { server, endpoint, dm, say } = await world();
    const { body } = await api(server, "/api/push/key");
    expect(Buffer.from(body.publicKey, "base64url")).toHaveLength(65);
    await say(dm, "key check");
    await until(() => endpoint.received.length === 1, 10_000, "the push");
    expect(endpoint.received[0].headers.authorization).toContain(`k=${body.publicKey}`);
  });

  it("sends nothing while the person is connected, and pushes again once they are gone", async () => {
    const { server, endpoint, bob, bobBrowser, dm, say } = await world();
    const bobSocket = await connect(server.url, {}, { extraHeaders: { cookie: bob, origin: server.url } });
    await say(dm, "while you are here");
    // The notification and its push are stored in one transaction: once the one exists, so did the other.
    await until(async () => (await server.db.query("select 1 from notifications where type = 'dm'")).length === 1, 5000, "the notification");
    await until(async () => (await pendingPushes(server.db)) === 0, 10_000, "the queue to drain");
    bobSocket.disconnect();
    await until(async () => (await server.io.fetchSockets()).length === 1, 5000, "bob's socket to close");
    await say(dm, "after you left");
    await until(() => endpoint.received.length >= 1, 10_000, "the push");
    expect(endpoint.received.map((r) => bobBrowser.decrypt(r.body).message)).toEqual(["after you left"]);
  });

  it.each([410, 404])("deletes a subscription whose endpoint answers %i (Gone / Not Found)", async (code) => {
    const { server, endpoint, dm, say } = await world({ status: () => ({ code }) });
    await say(dm, `to a dead endpoint (${code})`);
    await until(() => endpoint.received.length === 1, 10_000, "the push attempt");
    await until(async () => (await server.db.query("select 1 from push_subscriptions")).length === 0, 5000, "the subscription to go");
    await say(dm, "again");
    await until(async () => (await pendingPushes(server.db)) === 0, 5000, "nothing queued");
    expect(endpoint.received).toHaveLength(1);
  });

  it("retries a push the service answered 429 with Retry-After, and delivers it once", async () => {
    const { endpoint, bobBrowser, dm, say } = await world({ status: (_p, n) => (n === 1 ? { code: 429, headers: { "retry-after": "1" } } : { code: 201 }) });
    await say(dm, "patience");
    await until(() => endpoint.received.length === 2, 15_000, "the retry");
    expect(endpoint.received.map((r) => bobBrowser.decrypt(r.body).message)).toEqual(["patience", "patience"]);
  });

  it("never contacts a loopback endpoint that OUTBOUND_ALLOW does not list", async () => {
    const { server, endpoint, dm, say } = await world({ allow: false });
    await say(dm, "this must not leave the box");
    // The push was queued, judged by the outbound guard, and dropped: the queue empties without a request.
    await until(async () => (await server.db.query("select 1 from notifications")).length > 0, 5000, "the notification");
    await until(async () => (await pendingPushes(server.db)) === 0, 10_000, "the queue to drain");
    expect(endpoint.received).toHaveLength(0);
  });

  it("honours levels: a muted room sends nothing, mentions follow the room's level, a DM sends", async () => {
    const { server, endpoint, bob, bobBrowser, dm, say } = await world();
    expect((await api(server, "/api/rooms/general/notifications", { cookie: bob })).body).toEqual({ level: "mentions" });
    expect((await api(server, `/api/rooms/${encodeURIComponent(dm)}/notifications`, { cookie: bob })).body).toEqual({ level: "all" });
    const muted = await api(server, "/api/rooms/general/notifications", { method: "PUT", cookie: bob, body: { level: "none" } });
    expect(muted).toMatchObject({ status: 200, body: { level: "none" } });
    await say("general", "@bob look at this (muted)");
    await say("general", "nobody is mentioned here");
    await say(dm, "but a DM still reaches you");
    await until(() => endpoint.received.length >= 1, 10_000, "the DM push");
    await until(async () => (await pendingPushes(server.db)) === 0, 10_000, "the queue to drain");
    expect(endpoint.received.map((r) => bobBrowser.decrypt(r.body).message)).toEqual(["but a DM still reaches you"]);

    await api(server, "/api/rooms/general/notifications", { method: "PUT", cookie: bob, body: { level: "all" } });
    await say("general", "every message now");
    await until(() => endpoint.received.length === 2, 10_000, "the room push");
    expect(bobBrowser.decrypt(endpoint.received[1].body)).toMatchObject({ type: "message", message: "every message now", room: "general" });
  });

  it("answers bad levels and rooms the caller may not read as every room verb does", async () => {
    const { server, bob, alice, aliceSocket } = await world();
    expect((await api(server, "/api/rooms/general/notifications", { method: "PUT", cookie: bob, body: { level: "loud" } })).status).toBe(400);
    await call(aliceSocket, "create-room", { name: "staff", private: true });
    const stranger = await api(server, "/api/rooms/staff/notifications", { cookie: bob });
    const missing = await api(server, "/api/rooms/no-such-room/notifications", { cookie: bob });
    expect([403, 404]).toContain(stranger.status);
    expect([403, 404]).toContain(missing.status);
    expect((await api(server, "/api/rooms/general/notifications")).status).toBe(401);
    expect((await api(server, "/api/rooms/staff/notifications", { cookie: alice })).body).toEqual({ level: "mentions" });
    await api(server, "/api/rooms/staff/notifications", { method: "PUT", cookie: alice, body: { level: "none" } });
    const listed = await api(server, "/api/notifications/levels", { cookie: alice });
    expect(listed.body.rooms).toEqual([
      { room: "general", kind: "public", level: "mentions" },
      { room: "staff", kind: "private", level: "none" },
      { room: expect.stringMatching(/^dm:/), kind: "dm", title: "bob", level: "all" },
    ]);
  });

  // An outside trial: subscriptions at loopback addresses were taken (201), then failed at every push.
  it("refuses subscriptions at addresses the outbound guard never sends to, unless OUTBOUND_ALLOW lists them", async () => {
    const { server, bob, bobBrowser, endpoint } = await world();
    const port = endpoint.hostPort.split(":").pop();
    const refused = [
      "http://127.0.0.2/push", "https://[::1]/push", "https://localhost/push", `http://localhost:${port}/push`, "https://push.localhost./x",
      "https://10.1.2.3/push", "https://169.254.169.254/latest", "https://[::ffff:127.0.0.1]/x", "https://0.0.0.0/x", "https://192.168.1.10/x",
    ];
    for (const url of refused) {
      const res = await api(server, "/api/push/subscriptions", { cookie: bob, body: { endpoint: url, keys: bobBrowser.keys } });
      expect({ url, status: res.status, reason: res.body.error?.reason }).toEqual({ url, status: 400, reason: "push_endpoint_refused" });
    }
    // The test's own endpoint is on the allow list; a public name is judged when it is pushed to.
    for (const url of [endpoint.url("/push/bob-2"), "https://push.example.com/send/abc"]) {
      expect((await api(server, "/api/push/subscriptions", { cookie: bob, body: { endpoint: url, keys: bobBrowser.keys } })).status).toBe(201);
    }
  });

  it("refuses malformed subscriptions", async () => {
    const { server, bob, bobBrowser, endpoint } = await world();
    const bad = [
      {},
      { endpoint: "not a url", keys: bobBrowser.keys },
      { endpoint: "ftp://example.com/x", keys: bobBrowser.keys },
      { endpoint: endpoint.url("/x"), keys: { p256dh: "short", auth: bobBrowser.keys.auth } },
      { endpoint: endpoint.url("/x"), keys: { p256dh: bobBrowser.keys.p256dh, auth: "AAAA" } },
      // 65 bytes in the uncompressed form, but no point of P-256: RFC 8291's ECDH cannot use it.
      { endpoint: endpoint.url("/x"), keys: { p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString("base64url"), auth: bobBrowser.keys.auth } },
      // A point on the curve, in the compressed form (33 bytes) the contract's browsers never send.
      { endpoint: endpoint.url("/x"), keys: { p256dh: bobBrowser.ecdh.getPublicKey(undefined, "compressed").toString("base64url"), auth: bobBrowser.keys.auth } },
      // The right length, the wrong first byte (0x04 marks the uncompressed form).
      { endpoint: endpoint.url("/x"), keys: { p256dh: Buffer.concat([Buffer.from([3]), bobBrowser.ecdh.getPublicKey().subarray(1)]).toString("base64url"), auth: bobBrowser.keys.auth } },
    ];
    for (const body of bad) expect((await api(server, "/api/push/subscriptions", { cookie: bob, body })).status).toBe(400);
    expect((await api(server, "/api/push/subscriptions", { body: { endpoint: endpoint.url("/y"), keys: bobBrowser.keys } })).status).toBe(401);
  });

  it("removes a stored subscription whose key the encryption refuses, after one try, and keeps sending to the others", async () => {
    const { server, endpoint, bob, bobBrowser, dm, say } = await world();
    // Stored as a server before subscriptions were checked for it would have: a p256dh off the curve.
    const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString("base64url");
    const [{ id: bobId }] = await server.db.query<{ id: string }>("select id::text as id from users where name = 'bob'");
    await server.db.query("insert into push_subscriptions (user_id, endpoint, p256dh, auth) values ($1, $2, $3, $4)", [bobId, endpoint.url("/push/broken"), offCurve, bobBrowser.keys.auth]);
    await say(dm, "one for each browser");
    await until(async () => (await server.db.query("select 1 from push_subscriptions where endpoint like '%/push/broken'")).length === 0, 10_000, "the broken subscription to go");
    await until(async () => (await pendingPushes(server.db)) === 0, 10_000, "the queue to drain");
    expect(endpoint.received.map((r) => [r.path, bobBrowser.decrypt(r.body).message])).toEqual([["/push/bob", "one for each browser"]]);
    expect((await api(server, "/api/push/test", { method: "POST", cookie: bob, body: {} })).status).toBe(202);
    await until(() => endpoint.received.length === 2, 10_000, "the test push to the working browser");
  });

  it("sends other people's pushes while endpoints that never answer are waited for, and gives those up", async () => {
    // A push service stand-in that takes requests and never answers them.
    const open = new Set<import("node:http").ServerResponse>();
    let closed = 0;
    const silent = createServer((_req, res) => {
      open.add(res);
      res.on("close", () => {
        open.delete(res);
        closed++;
      });
    });
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    const silentPort = (silent.address() as AddressInfo).port;
    endpoints.push({ close: () => new Promise((r) => (silent.closeAllConnections(), silent.close(r))) });
    const { server, endpoint, alice, bobBrowser, aliceSocket, dm, say } = await world({ alsoAllow: [`127.0.0.1:${silentPort}`] });
    const carol = await joinAs(server, alice, "carol");
    for (let i = 0; i < 10; i++) {
      const keys = browserKeys().keys;
      expect((await api(server, "/api/push/subscriptions", { cookie: carol, body: { endpoint: `http://127.0.0.1:${silentPort}/hang/${i}`, keys } })).status).toBe(201);
    }
    const carolDm = (await call(aliceSocket, "open-dm", { name: "carol" })).room.name as string;
    await say(carolDm, "to ten silent browsers");
    await until(() => open.size === 10, 10_000, "ten requests waiting on the silent endpoint");
    await say(dm, "meanwhile, for bob");
    await until(() => endpoint.received.length === 1, 10_000, "bob's push");
    // Bob's push went out while all ten were still waiting: none of them had been given up yet.
    expect(closed).toBe(0);
    expect(bobBrowser.decrypt(endpoint.received[0].body).message).toBe("meanwhile, for bob");
    // Each silent request is abandoned at its deadline (and retried later, as a timeout is).
    await until(() => closed >= 10, 20_000, "the silent requests to be given up");
  }, 40_000);

  it("sends a test push on request, even while the person is online, and forgets an unsubscribed browser", async () => {
    const { server, endpoint, bob, bobBrowser } = await world();
    await connect(server.url, {}, { extraHeaders: { cookie: bob, origin: server.url } });
    expect((await api(server, "/api/push/test", { method: "POST", cookie: bob, body: {} })).status).toBe(202);
    await until(() => endpoint.received.length === 1, 10_000, "the test push");
    expect(bobBrowser.decrypt(endpoint.received[0].body)).toMatchObject({ type: "test", url: "/rooms" });
    const gone = await api(server, "/api/push/subscriptions", { method: "DELETE", cookie: bob, body: { endpoint: endpoint.url("/push/bob") } });
    expect(gone.status).toBe(204);
    expect((await api(server, "/api/push/test", { method: "POST", cookie: bob, body: {} })).status).toBe(404);
  });

  it("pushes the first 200 characters of a long announcement (the whole text stays for the page)", async () => {
    const { server, endpoint, alice, bob, bobBrowser } = await world();
    // 2,000 characters of Japanese are 6,000 bytes: more than a push may carry (about 4 KB).
    const text = "停電のお知らせ。".repeat(250);
    expect((await api(server, "/api/admin/announcements", { body: { message: text }, cookie: alice })).status).toBe(202);
    await until(() => endpoint.received.length === 1, 10_000, "the announcement's push");
    // 199 characters and an ellipsis (truncateChars).
    expect(bobBrowser.decrypt(endpoint.received[0].body)).toMatchObject({ type: "system", from: "alice", message: `${text.slice(0, 199)}…` });
    const listed = (await api(server, "/api/announcements", { cookie: bob })).body.announcements;
    expect(listed.map((a: { message: string }) => a.message)).toEqual([text]);
  });

  it("notifies the whole room for @room from an admin, but not from others in rooms above ROOM_MENTION_MAX_MEMBERS", async () => {
    const { server, endpoint, alice, bob, bobBrowser, say } = await world({ overrides: { roomMentionMaxMembers: 2 } });
    const bobSocket = await connect(server.url, {}, { extraHeaders: { cookie: bob, origin: server.url } });
    await call(bobSocket, "join-room", "general");
    bobSocket.disconnect();
    // alice is the admin: her @room reaches bob, whose level for general is the default (mentions).
    await say("general", "@room standup in 5");
    await until(() => endpoint.received.length === 1, 10_000, "the @room push");
    expect(bobBrowser.decrypt(endpoint.received[0].body)).toMatchObject({ type: "mention", message: "@room standup in 5", from: "alice" });

    // carol is not an admin, and general now has three members (> 2): her @room and @here notify no one …
    const carol = await joinAs(server, alice, "carol");
    const carolSocket = await connect(server.url, {}, { extraHeaders: { cookie: carol, origin: server.url } });
    await call(carolSocket, "join-room", "general");
    await call(carolSocket, "send-message-to-room", { room: "general", message: "@room free pizza" });
    await call(carolSocket, "send-message-to-room", { room: "general", message: "@here anyone?" });
    // … while her @bob does (the positive control, sent last).
    await call(carolSocket, "send-message-to-room", { room: "general", message: "@bob hi" });
    await until(() => endpoint.received.length >= 2, 10_000, "the @bob push");
    await until(async () => (await pendingPushes(server.db)) === 0, 10_000, "the queue to drain");
    expect(endpoint.received.map((r) => bobBrowser.decrypt(r.body).message)).toEqual(["@room standup in 5", "@bob hi"]);
  });
});

describe("Web Push across instances", () => {
  it("two instances on one database share the VAPID keys and never send the same push twice", async () => {
    const databaseUrl = await freshPostgresUrl();
    if (!databaseUrl) {
      process.stdout.write("skipping the two-instance push test: DATABASE_URL is not set\n");
      return;
    }
    const endpoint = await pushEndpoint();
    endpoints.push(endpoint);
    const a = await startTestServer({ databaseUrl, outboundAllow: [endpoint.hostPort], rateLimitMessages: 0 });
    servers.push(a);
    const b = await startTestServer({ databaseUrl, outboundAllow: [endpoint.hostPort], rateLimitMessages: 0 });
    servers.push(b);
    expect((await api(a, "/api/push/key")).body).toEqual((await api(b, "/api/push/key")).body);
    const alice = await setupAdmin(a, "alice");
    const bob = await joinAs(a, alice, "bob");
    const bobBrowser = browserKeys();
    await api(b, "/api/push/subscriptions", { cookie: bob, body: { endpoint: endpoint.url("/push/bob"), keys: bobBrowser.keys } });
    const onA = await connect(a.url, {}, { extraHeaders: { cookie: alice, origin: a.url } });
    const onB = await connect(b.url, {}, { extraHeaders: { cookie: alice, origin: b.url } });
    const dm = (await call(onA, "open-dm", { name: "bob" })).room.name as string;
    const sent: string[] = [];
    for (let i = 0; i < 20; i++) {
      const text = `message ${i}`;
      sent.push(text);
      await call(i % 2 ? onB : onA, "send-message-to-room", { room: dm, message: text });
    }
    await until(() => endpoint.received.length >= 20, 20_000, "twenty pushes");
    await until(async () => (await pendingPushes(a.db)) === 0, 10_000, "the queue to drain");
    const got = endpoint.received.map((r) => bobBrowser.decrypt(r.body).message as string);
    expect(got.sort()).toEqual([...sent].sort());
  }, 60_000);
});
