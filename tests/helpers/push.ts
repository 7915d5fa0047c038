/**
 * Web Push as the receiving side sees it: a push service stand-in on loopback, and the browser's half
 * of a subscription (its P-256 key pair and auth secret) that decrypts RFC 8291 aes128gcm bodies.
 */
import { saveSubscription } from "../../lib/push/subscriptions";
import { createECDH, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { api, joinAs, setupAdmin } from "./http";
import { call, connect, startTestServer, type TestServer } from "./server";
// http_ece is web-push's own RFC 8188 implementation; here it plays the receiving browser.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ece = require("http_ece") as { decrypt(buffer: Buffer, params: Record<string, unknown>): Buffer };

export type Received = { path: string; headers: IncomingMessage["headers"]; body: Buffer };

/** A push service stand-in on 127.0.0.1:0: records every request and answers with `status(path)`. */
export async function pushEndpoint(status: (path: string, n: number) => { code: number; headers?: Record<string, string> } = () => ({ code: 201 })) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
      const answer = status(req.url ?? "", received.filter((r) => r.path === req.url).length);
      res.writeHead(answer.code, answer.headers).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return { received, hostPort: `127.0.0.1:${port}`, url: (path: string) => `http://127.0.0.1:${port}${path}`, close: () => new Promise((r) => server.close(r)) };
}

/** The browser's half of a subscription: what PushSubscription.toJSON() would give, and the keys to read it. */
export function browserKeys() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") },
    decrypt: (body: Buffer) => JSON.parse(ece.decrypt(body, { version: "aes128gcm", privateKey: ecdh, authSecret: auth }).toString("utf8")),
  };
}

/**
 * The Web Push suites' world: alice (admin, connected) and bob (one subscribed browser, no connection
 * yet) on a fresh server whose outbound guard allows the test's push endpoint (`allow: false`: not);
 * `alsoAllow`: more allowed host:port; `second`: another instance with the same settings. What it starts goes into `track`, for cleanup.
 */
export async function pushWorld(
  track: { servers: TestServer[]; endpoints: { close(): Promise<unknown> }[] },
  opts: {
    allow?: boolean;
    /** More host:port the outbound guard allows besides the push endpoint's. */
    alsoAllow?: string[];
    status?: Parameters<typeof pushEndpoint>[0];
    overrides?: Parameters<typeof startTestServer>[0];
    second?: boolean;
  } = {},
) {
  const endpoint = await pushEndpoint(opts.status);
  track.endpoints.push(endpoint);
  const settings = { outboundAllow: opts.allow === false ? [] : [endpoint.hostPort, ...(opts.alsoAllow ?? [])], rateLimitMessages: 0, ...opts.overrides };
  const server = await startTestServer(settings);
  track.servers.push(server);
  const other = opts.second ? await startTestServer(settings) : server;
  if (other !== server) track.servers.push(other);
  const alice = await setupAdmin(server, "alice");
  const bob = await joinAs(server, alice, "bob");
  const bobBrowser = browserKeys();
  const sub = await api(server, "/api/push/subscriptions", { cookie: bob, body: { endpoint: endpoint.url("/push/bob"), keys: bobBrowser.keys } });
  if (opts.allow === false) {
    // Refused as it is subscribed (a loopback endpoint the guard never sends to); stored anyway, as one
    // stored before that check or while OUTBOUND_ALLOW listed it, to test the guard at each push.
    if (sub.status !== 400 || sub.body.error?.reason !== "push_endpoint_refused") throw new Error(`subscribing bob's browser answered ${sub.status}`);
    const [row] = await server.db.query<{ id: string }>("select id::text as id from users where name = 'bob'");
    await saveSubscription(server.db, row.id, null, { endpoint: endpoint.url("/push/bob"), keys: bobBrowser.keys });
  } else if (sub.status !== 201) throw new Error(`subscribing bob's browser answered ${sub.status}`);
  const aliceSocket = await connect(server.url, {}, { extraHeaders: { cookie: alice, origin: server.url } });
  const dm = (await call(aliceSocket, "open-dm", { name: "bob" })).room.name as string;
  const say = (room: string, message: string) => call(aliceSocket, "send-message-to-room", { room, message });
  return { server, other, endpoint, alice, bob, bobBrowser, aliceSocket, dm, say };
}

/**
 * pushWorld whose push service refuses every request (429, retry in 2 s) until `accept()`, so pushes wait
 * in the queue for a retry; `texts()` decrypts what bob's browser was sent so far, oldest first. Servers
 * and endpoints go into `track` for the caller to close.
 */
export async function refusingPushWorld(track: { servers: TestServer[]; endpoints: { close(): Promise<unknown> }[] }) {
  let refusing = true;
  const w = await pushWorld(track, { status: () => (refusing ? { code: 429, headers: { "retry-after": "2" } } : { code: 201 }) });
  const texts = () => w.endpoint.received.map((r) => w.bobBrowser.decrypt(r.body).message as string);
  return { ...w, texts, accept: () => void (refusing = false) };
}

/** Per-test tracking of pushWorld's servers and endpoints, closed after each test of the calling `describe`. */
export function trackPushWorlds() {
  const track = { servers: [] as TestServer[], endpoints: [] as { close(): Promise<unknown> }[] };
  afterEach(async () => {
    for (const s of track.servers.splice(0)) await s.close();
    for (const e of track.endpoints.splice(0)) await e.close();
  });
  return track;
}
