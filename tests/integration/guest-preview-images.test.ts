/**
 * A link preview's image for a guest: while guest access is on, a guest sees the cards of public rooms,
 * and reads their files over HTTP without a credential (a guest has none: see httpReader); the card's
 * image answered such a request 401, so guests saw every card without its picture (an outside trial).
 * Now it is served as the room's files are: public rooms' cards to anyone while guest access is on,
 * nothing of a private room's, and nothing at all once guest access is off or with a bad token.
 */
import type { Message } from "../../lib/chat/types";
import { api, setupAdmin } from "../helpers/http";
import { site, stopSite, type Site } from "../helpers/site";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";

/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const PAGE = `<!doctype html><html><head><meta property="og:title" content="Release notes"><meta property="og:image" content="/cover.png"></head></html>`;

let linked: Site;
let server: TestServer;
let admin: string;
beforeAll(async () => {
  linked = await site((req, res) => {
    if ((req.url ?? "").startsWith("/page")) return res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    if (req.url === "/cover.png") return res.writeHead(200, { "content-type": "image/png" }).end(PNG);
    res.writeHead(404).end();
  });
  server = await startTestServer({ guestAccess: true, outboundAllow: [`127.0.0.1:${linked.port}`] });
  admin = await setupAdmin(server);
});
afterAll(async () => {
  await server.close();
  await stopSite(linked);
});

/** The path of the preview image of a message posted by the admin in `room` (made `private` if asked). */
async function cardImage(room: string, isPrivate = false): Promise<string> {
  const socket = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
  if (isPrivate) await call(socket, "create-room", { name: room, private: true });
  else await call(socket, "join-room", room);
  const { message } = await call(socket, "send-message-to-room", { room, message: `${linked.origin}/page/${room}` });
  let imageUrl: string | undefined;
  await until(async () => {
    imageUrl = ((await call(socket, "history", { room })).messages as Message[]).find((m) => m.id === message.id)?.preview?.imageUrl;
    return !!imageUrl;
  }, 5000, "the card");
  socket.disconnect();
  return imageUrl!;
}

describe("a link preview's image without an account", () => {
  it("is served for a public room while guest access is on, as the room's files are", async () => {
    const path = await cardImage("news");
    // What a guest's page asks: the room's messages carry the card to a guest too.
    const guest = await connect(server.url, { name: "visitor" });
    const seen = ((await call(guest, "join-room", "news")).messages as Message[]).find((m) => m.preview)?.preview;
    expect(seen?.imageUrl).toBe(path);
    const res = await fetch(server.url + path);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    guest.disconnect();
  });

  it("is not served for a private room (404, as for anyone who may not read it), nor with a bad token (401)", async () => {
    const secret = await cardImage("vault", true);
    expect((await api(server, secret)).status).toBe(404);
    expect((await fetch(server.url + secret, { headers: { cookie: admin } })).status).toBe(200);
    const open = await cardImage("open");
    expect((await api(server, open, { headers: { authorization: "Bearer not-a-token" } })).status).toBe(401);
  });

  it("is not served once guest access is off", async () => {
    const path = await cardImage("later");
    expect((await fetch(server.url + path)).status).toBe(200);
    expect((await api(server, "/api/admin/settings", { method: "PUT", cookie: admin, body: { guestAccess: false }, headers: { origin: server.url } })).status).toBe(200);
    try {
      expect((await api(server, path)).status).toBe(401);
      // Positive control: an account still gets it.
      expect((await fetch(server.url + path, { headers: { cookie: admin } })).status).toBe(200);
    } finally {
      await api(server, "/api/admin/settings", { method: "PUT", cookie: admin, body: { guestAccess: true }, headers: { origin: server.url } });
    }
  });
});
