/**
 * Preview images are fetched once for many readers: the real server, real Socket.IO clients, and a local
 * HTTP server (listed in OUTBOUND_ALLOW) playing the linked site, which counts what it is asked.
 * `/card/<name>` is a page whose og:image is `/img/<name>.png`; each image's bytes end with its name, so
 * a test can tell which image it got.
 */
import { get, type ServerResponse } from "node:http";
import type { Message } from "../../lib/chat/types";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { site, stopSite, type Site } from "../helpers/site";

/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const imageOf = (name: string) => Buffer.concat([PNG, Buffer.from(name)]);
const page = (name: string) =>
  `<!doctype html><html><head><meta property="og:title" content="Card ${name}"><meta property="og:image" content="/img/${name}.png"></head></html>`;

/** Starts the site; answers to `/img/held-*` wait in `held` until the test ends them. */
async function startSite(held: Map<string, ServerResponse>): Promise<Site> {
  return site((req, res) => {
    const url = new URL(req.url ?? "/", "http://site");
    const card = /^\/card\/([\w-]+)$/.exec(url.pathname);
    if (card) return res.writeHead(200, { "content-type": "text/html" }).end(page(card[1]));
    const img = /^\/img\/([\w-]+)\.png$/.exec(url.pathname);
    if (img && img[1].startsWith("broken")) return res.writeHead(500).end();
    if (img && img[1].startsWith("held")) return void held.set(img[1], res);
    if (img) return res.writeHead(200, { "content-type": "image/png" }).end(imageOf(img[1]));
    res.writeHead(404).end();
  });
}

const answer = (res: ServerResponse, name: string) => res.writeHead(200, { "content-type": "image/png" }).end(imageOf(name));

describe("preview images", () => {
  const held = new Map<string, ServerResponse>();
  let target: Site;
  let server: TestServer;
  let admin: string;
  let n = 0;

  beforeAll(async () => {
    target = await startSite(held);
    server = await startTestServer({ outboundAllow: [`127.0.0.1:${target.port}`] });
    admin = await setupAdmin(server);
  });
  afterAll(async () => {
    await server.close();
    await stopSite(target);
  });

  const hitsOf = (name: string) => target.hits.filter((h) => h === `/img/${name}.png`).length;

  /** A fresh account in its own room (private when asked). */
  async function member(opts: { private?: boolean } = {}) {
    const name = `reader${++n}`;
    const cookie = await joinAs(server, admin, name);
    const socket = await connect(server.url, {}, { extraHeaders: { cookie } });
    const room = `images-${n}`;
    if (opts.private) await call(socket, "create-room", { name: room, private: true });
    await call(socket, "join-room", room);
    const latest = new Map<string, Message>();
    socket.on("message-updated", (m: Message) => latest.set(m.id, m));
    /** Posts `text` and waits for its card; returns the message as it is then. */
    const postWithCard = async (text: string): Promise<Message> => {
      const { message } = await call(socket, "send-message-to-room", { room, message: text });
      await until(() => !!latest.get(message.id)?.preview, 5000, `card of ${text}`);
      return latest.get(message.id)!;
    };
    return { name, cookie, socket, room, latest, postWithCard };
  }

  const getImage = (path: string, cookie: string) => fetch(server.url + path, { headers: { cookie } });
  const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());
  /**
   * A browser's revalidation of its copy: If-None-Match alone. (fetch() adds `Cache-Control: no-cache` to
   * a conditional request, as the Fetch standard says, which asks for the whole image again.)
   */
  const revalidate = (path: string, cookie: string, etag: string) =>
    new Promise<{ status: number; length: number }>((resolve, reject) => {
      get(server.url + path, { headers: { cookie, "if-none-match": etag } }, (res) => {
        let length = 0;
        res.on("data", (chunk: Buffer) => (length += chunk.length));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, length }));
      }).on("error", reject);
    });

  it("fetches an image once for every request and every message that shows it, and lets the browser revalidate it", async () => {
    const m = await member();
    const first = await m.postWithCard(`${target.origin}/card/shared`);
    const path = first.preview!.imageUrl!;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await getImage(path, m.cookie));
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("private, no-cache");
      expect((await bytes(res)).equals(imageOf("shared"))).toBe(true);
    }
    const etag = answers[0].headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);

    // Another page with the same image, in another message: the same download serves it.
    const second = await m.postWithCard(`${target.origin}/card/shared?again`);
    const other = await getImage(second.preview!.imageUrl!, m.cookie);
    expect(other.status).toBe(200);
    expect((await bytes(other)).equals(imageOf("shared"))).toBe(true);

    // The browser's copy is confirmed without a body.
    expect(await revalidate(path, m.cookie, etag)).toEqual({ status: 304, length: 0 });
    expect(await revalidate(path, m.cookie, '"another"')).toEqual({ status: 200, length: imageOf("shared").length });
    expect(hitsOf("shared")).toBe(1);
  });

  it("shares one download among readers who ask while it is under way", async () => {
    const m = await member();
    const control = await m.postWithCard(`${target.origin}/card/control`);
    expect((await getImage(control.preview!.imageUrl!, m.cookie)).status).toBe(200);
    const slow = await m.postWithCard(`${target.origin}/card/held-1`);
    const path = slow.preview!.imageUrl!;

    const early = Array.from({ length: 10 }, () => getImage(path, m.cookie));
    await until(() => held.has("held-1"), 5000, "the site asked for the image");
    // Asked after the download started and before it ends: it must join it. The control (already in
    // memory) answers after the late request has been looked up, since the database answers in order.
    const late = getImage(path, m.cookie);
    expect((await getImage(control.preview!.imageUrl!, m.cookie)).status).toBe(200);
    answer(held.get("held-1")!, "held-1");

    for (const res of await Promise.all([...early, late])) {
      expect(res.status).toBe(200);
      expect((await bytes(res)).equals(imageOf("held-1"))).toBe(true);
    }
    expect(hitsOf("held-1")).toBe(1);
  });

  it("never serves an image held in memory to someone who cannot read the message", async () => {
    const owner = await member({ private: true });
    const card = await owner.postWithCard(`${target.origin}/card/secret`);
    const path = card.preview!.imageUrl!;
    expect((await getImage(path, owner.cookie)).status).toBe(200);
    const outsider = await joinAs(server, admin, `outsider${n}`);
    const refused = await getImage(path, outsider);
    expect(refused.status).toBe(404);
    expect((await bytes(refused)).includes(Buffer.from("secret"))).toBe(false);
    expect((await api(server, path)).status).toBe(401);
    // Positive control: the reader still gets it, from memory.
    expect((await getImage(path, owner.cookie)).status).toBe(200);
    expect(hitsOf("secret")).toBe(1);
  });

  it("stops serving the old image once an edit changes or removes the link, or the message is deleted", async () => {
    const m = await member();
    const card = await m.postWithCard(`${target.origin}/card/before-edit`);
    const path = card.preview!.imageUrl!;
    expect((await bytes(await getImage(path, m.cookie))).equals(imageOf("before-edit"))).toBe(true);

    // A new link: the old card goes with the edit, the new link's card follows.
    await call(m.socket, "edit-message", { room: m.room, id: card.id, message: `now ${target.origin}/card/after-edit` });
    await until(() => m.latest.get(card.id)?.preview?.title === "Card after-edit", 5000, "the new card");
    expect((await bytes(await getImage(path, m.cookie))).equals(imageOf("after-edit"))).toBe(true);

    // No link: no card, no image.
    const { message: edited } = await call(m.socket, "edit-message", { room: m.room, id: card.id, message: "no link any more" });
    expect(edited.preview).toBeUndefined();
    expect((await getImage(path, m.cookie)).status).toBe(404);
    expect(hitsOf("before-edit")).toBe(1);

    const deleted = await m.postWithCard(`${target.origin}/card/deleted`);
    expect((await getImage(deleted.preview!.imageUrl!, m.cookie)).status).toBe(200);
    await call(m.socket, "delete-message", { room: m.room, id: deleted.id });
    expect((await getImage(deleted.preview!.imageUrl!, m.cookie)).status).toBe(404);
  });

  it("keeps a card whose link an edit leaves as it was", async () => {
    const m = await member();
    const card = await m.postWithCard(`${target.origin}/card/kept`);
    const { message } = await call(m.socket, "edit-message", { room: m.room, id: card.id, message: `still ${target.origin}/card/kept, reworded` });
    expect(message.preview).toEqual(card.preview);
    expect((await getImage(card.preview!.imageUrl!, m.cookie)).status).toBe(200);
  });

  it("remembers for a while that a site gave no image", async () => {
    const m = await member();
    const card = await m.postWithCard(`${target.origin}/card/broken-1`);
    for (let i = 0; i < 3; i++) expect((await getImage(card.preview!.imageUrl!, m.cookie)).status).toBe(404);
    expect(hitsOf("broken-1")).toBe(1);
  });
});

describe("preview image downloads per reader", () => {
  it("answers 429 with retryAfter to a reader who causes more downloads than the limit, while images in memory stay served", async () => {
    const target = await startSite(new Map());
    const server = await startTestServer({ outboundAllow: [`127.0.0.1:${target.port}`], rateLimits: { "preview-image": { points: 2, duration: 60 } } });
    try {
      const admin = await setupAdmin(server);
      const socket = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
      await call(socket, "join-room", "general");
      const paths: string[] = [];
      for (const name of ["a", "b", "c"]) {
        const { message } = await call(socket, "send-message-to-room", { room: "general", message: `${target.origin}/card/${name}` });
        await until(async () => !!(await call(socket, "history", { room: "general" })).messages.find((h: Message) => h.id === message.id)?.preview, 5000, `card ${name}`);
        paths.push(`/api/previews/${message.id}/image`);
      }
      const getImage = (path: string, cookie: string) => fetch(server.url + path, { headers: { cookie } }).then((r) => r.status);
      expect(await getImage(paths[0], admin)).toBe(200);
      expect(await getImage(paths[1], admin)).toBe(200);
      const refused = await api(server, paths[2], { cookie: admin });
      expect(refused.status).toBe(429);
      expect(refused.body.error).toMatchObject({ code: "rate_limited", retryAfter: expect.any(Number) });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(target.hits).not.toContain("/img/c.png");
      // What is in memory costs nothing; another reader has a budget of their own.
      expect(await getImage(paths[0], admin)).toBe(200);
      const other = await joinAs(server, admin, "other");
      expect(await getImage(paths[2], other)).toBe(200);
    } finally {
      await server.close();
      await stopSite(target);
    }
  });
});
