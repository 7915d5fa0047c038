/**
 * What a link preview's failures leave in the log (which admins read live on /admin): the reason, never
 * where the link went. An outside trial read, from the admin's live log, the host of a link two members
 * sent each other in a DM ("getaddrinfo ENOTFOUND <host>", "<host> resolves to a refused address") and
 * the whole og:image URL of a card, query string and all (such URLs can carry capability tokens).
 */
import { Writable } from "node:stream";
import type { Message } from "../../lib/chat/types";
import { createLogger } from "../../lib/log";
import { joinAs, setupAdmin } from "../helpers/http";
import { site, stopSite, type Site } from "../helpers/site";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";

jest.setTimeout(60_000);

describe("link preview failures in the log", () => {
  let allowed: Site;
  let hidden: Site; // not in OUTBOUND_ALLOW: a "private" service
  let server: TestServer;
  let logged = "";

  beforeAll(async () => {
    hidden = await site((_req, res) => res.writeHead(200, { "content-type": "image/png" }).end("x"));
    allowed = await site((req, res) => {
      const image = `http://127.0.0.1:${hidden.port}/q4064-private-photo.png?token=s3cr3t-capability`;
      if ((req.url ?? "").startsWith("/page")) {
        return res.writeHead(200, { "content-type": "text/html" }).end(`<meta property="og:title" content="A page"><meta property="og:image" content="${image}">`);
      }
      res.writeHead(404).end();
    });
    const log = createLogger({ level: "debug", destination: new Writable({ write: (chunk, _e, cb) => ((logged += String(chunk)), cb()) }) });
    server = await startTestServer({ outboundAllow: [`127.0.0.1:${allowed.port}`] }, { log });
  });
  afterAll(async () => {
    await server.close();
    await stopSite(allowed);
    await stopSite(hidden);
  });

  it("names the reason a DM's link got no card, or its image was not fetched, never the host or the image's URL", async () => {
    const admin = await setupAdmin(server);
    const bob = await joinAs(server, admin, "bob");
    await joinAs(server, admin, "carol");
    const socket = await connect(server.url, {}, { extraHeaders: { cookie: bob } });
    const dm = (await call(socket, "open-dm", { name: "carol" })).room.name as string;
    await call(socket, "join-room", dm);
    const send = async (text: string): Promise<Message> => (await call(socket, "send-message-to-room", { room: dm, message: text })).message;

    // A name that does not resolve, a loopback address nobody allowed (by name and as a literal).
    const unresolved = await send("see https://q4064-acme-takeover.invalid/plan");
    const refused = await send(`and http://localhost:${hidden.port}/q4064-internal-admin`);
    const literal = await send(`and http://127.0.0.1:${hidden.port}/q4064-literal`);
    for (const m of [unresolved, refused, literal]) {
      await until(() => logged.includes(`"messageId":"${m.id}"`), 10_000, `the log record of message ${m.id}'s preview`);
    }
    // A card whose image is at a refused address: the card comes, the image is not fetched.
    const carded = await send(`${allowed.origin}/page/dm`);
    let imageUrl: string | undefined;
    await until(async () => {
      const found = (await call(socket, "history", { room: dm })).messages.find((m: Message) => m.id === carded.id) as Message | undefined;
      imageUrl = found?.preview?.imageUrl;
      return !!imageUrl;
    }, 10_000, "the card with an image");
    const res = await fetch(server.url + imageUrl!, { headers: { cookie: bob, origin: server.url } });
    expect(res.status).toBe(404);
    await until(() => logged.includes("preview image fetch failed"), 5000, "the image's log record");

    const records = logged.trim().split("\n").map((line) => JSON.parse(line) as { msg: string; reason?: string });
    const previews = records.filter((r) => r.msg === "no link preview" || r.msg === "preview image fetch failed");
    expect(previews.length).toBeGreaterThanOrEqual(4);
    for (const r of previews) expect(["network", "blocked", "timeout", "bad_url", "too_many_redirects"]).toContain(r.reason);
    expect(logged).not.toMatch(/q4064|s3cr3t|acme-takeover/);
    expect(logged).not.toContain(`localhost:${hidden.port}`);
  });
});
