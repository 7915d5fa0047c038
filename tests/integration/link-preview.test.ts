/**
 * Link previews end to end: real server, real Socket.IO clients, and local HTTP servers started here
 * (port 0) playing the linked websites. Loopback is refused unless OUTBOUND_ALLOW names the host:port,
 * so the same local servers serve both as forbidden targets and, when allowed, as "the internet".
 */
import type { Message } from "../../lib/chat/types";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { randomUUID } from "node:crypto";
import { site, stopSite as stop, type Site } from "../helpers/site";
import { call, collect, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<title>Fallback title</title>
<meta property="og:title" content="響きの記事 — Release notes">
<meta property="og:description" content="Everything new in this release.">
<meta property="og:site_name" content="Example News">
<meta property="og:image" content="/cover.png">
</head><body><p>hello</p></body></html>`;

describe("link previews", () => {
  let allowed: Site; // listed in OUTBOUND_ALLOW
  let forbidden: Site; // not listed
  let server: TestServer;
  let admin: string;
  let n = 0;

  beforeAll(async () => {
    forbidden = await site((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(PAGE));
    allowed = await site((req, res) => {
      const url = req.url ?? "";
      if (url.startsWith("/page")) return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
      if (url === "/sjis") {
        // Declared only in the page, as many Japanese sites do.
        const head = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"><meta property="og:title" content="';
        const title = Buffer.from([0x83, 0x56, 0x83, 0x74, 0x83, 0x67]); // "シフト" in Shift_JIS
        return res.writeHead(200, { "content-type": "text/html" }).end(Buffer.concat([Buffer.from(head), title, Buffer.from('"></head></html>')]));
      }
      if (url === "/controls") {
        // Texts a terminal would obey (ESC, BEL), bidi controls that reorder, line breaks and padding.
        const meta = (p: string, v: string) => `<meta property="og:${p}" content="${v}">`;
        const page = meta("title", "Bank &#x1b;[31mlogin\u0007 \u202Egnp.exe") + meta("description", "line one\n\n\tline two\u0085   three\u2066!\u2069") + meta("site_name", "\u200F\u061C\u200B");
        return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
      }
      if (url === "/cover.png") return res.writeHead(200, { "content-type": "image/png" }).end(PNG);
      // A page whose card has an image of its own (`/own/<id>` → `/own-image/<id>.png`).
      if (url.startsWith("/own/")) return res.writeHead(200, { "content-type": "text/html" }).end(PAGE.replace("/cover.png", `/own-image/${url.slice(5)}.png`));
      if (url.startsWith("/own-image/")) return res.writeHead(200, { "content-type": "image/png" }).end(PNG);
      // Markup with meta tags, served as something else: it is not a page, so it gets no card.
      if (url === "/json") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ html: PAGE }));
      if (url === "/text") return res.writeHead(200, { "content-type": "text/plain" }).end(PAGE);
      if (url === "/picture.png") return res.writeHead(200, { "content-type": "image/png" }).end(PNG);
      if (url === "/to-forbidden") return res.writeHead(302, { location: `${forbidden.origin}/page` }).end();
      if (url === "/hang") return; // never answers
      // Its card first, then 40,000 nested elements: the scraper's HTML parser is quadratic in the depth.
      if (url === "/deep") return res.writeHead(200, { "content-type": "text/html" }).end(PAGE.replace("<p>hello</p>", "<div>".repeat(40_000)));
      if (url === "/huge") {
        // Meta tags first, then far more than 1 MiB that never ends: only the size cap can finish this.
        res.writeHead(200, { "content-type": "text/html" });
        res.write(PAGE.replace("</head>", "").replace("Release notes", "Huge page"));
        const chunk = `<!-- ${"x".repeat(64 * 1024)} -->`;
        const pump = () => {
          while (res.write(chunk));
        };
        res.on("drain", pump);
        return pump();
      }
      res.writeHead(404).end();
    });
    server = await startTestServer({ outboundAllow: [`127.0.0.1:${allowed.port}`] });
    admin = await setupAdmin(server);
  });
  afterAll(async () => {
    await server.close();
    await stop(allowed);
    await stop(forbidden);
  });

  /** A fresh account (own rate-limit budget) in its own room, collecting what the room receives. */
  async function member() {
    const name = `poster${++n}`;
    const cookie = await joinAs(server, admin, name);
    const socket = await connect(server.url, {}, { extraHeaders: { cookie } });
    const room = `links-${n}`;
    await call(socket, "join-room", room);
    const events: { event: string; message: Message }[] = [];
    socket.on("receive-message", (message: Message) => events.push({ event: "receive-message", message }));
    socket.on("message-updated", (message: Message) => events.push({ event: "message-updated", message }));
    const send = async (text: string): Promise<Message> => (await call(socket, "send-message-to-room", { room, message: text })).message;
    const updated = (id: string) => events.find((e) => e.event === "message-updated" && e.message.id === id)?.message;
    const history = async (): Promise<Message[]> => (await call(socket, "history", { room })).messages;
    return { name, cookie, socket, room, events, send, updated, history };
  }

  it("adds the card after the message: delivered as message-updated, kept in history, image proxied", async () => {
    const m = await member();
    const sent = await m.send(`Read **this**: ${allowed.origin}/page?from=chat.`);
    expect(sent.preview).toBeUndefined(); // the ack never waits for the preview
    await until(() => !!m.updated(sent.id), 5000, "message-updated");
    const card = m.updated(sent.id)!;
    expect(card).toMatchObject({ id: sent.id, seq: sent.seq, text: sent.text, author: m.name });
    expect(card.preview).toEqual({
      url: `${allowed.origin}/page?from=chat`,
      title: "響きの記事 — Release notes",
      description: "Everything new in this release.",
      siteName: "Example News",
      imageUrl: `/api/previews/${sent.id}/image`,
    });
    // The room got the message first, then its update.
    expect(m.events.filter((e) => e.message.id === sent.id).map((e) => e.event)).toEqual(["receive-message", "message-updated"]);
    expect((await m.history()).find((h) => h.id === sent.id)?.preview).toEqual(card.preview);

    // The image comes from this server, fetched by it; the reader's browser never contacts the site.
    const hitsBefore = allowed.hits.filter((h) => h === "/cover.png").length;
    const res = await fetch(server.url + card.preview!.imageUrl!, { headers: { cookie: m.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toMatch(/sandbox/);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    expect(allowed.hits.filter((h) => h === "/cover.png").length).toBe(hitsBefore + 1);
  });

  it("cleans a card's texts as file names are: no control or bidi characters, whitespace as one space", async () => {
    const m = await member();
    const sent = await m.send(`${allowed.origin}/controls`);
    await until(() => !!m.updated(sent.id), 5000, "message-updated");
    // The site name had nothing visible left: the host name stands in for it, as for a page without one.
    expect(m.updated(sent.id)!.preview).toEqual({
      url: `${allowed.origin}/controls`,
      title: "Bank [31mlogin gnp.exe",
      description: "line one line two three!",
      siteName: "127.0.0.1",
    });
  });

  it("shows a preview image only to readers of the room", async () => {
    const owner = await member();
    await call(owner.socket, "create-room", { name: `vault-${n}`, private: true });
    const { message } = await call(owner.socket, "send-message-to-room", { room: `vault-${n}`, message: `${allowed.origin}/page/vault` });
    await until(async () => !!(await call(owner.socket, "history", { room: `vault-${n}` })).messages[0].preview, 5000, "preview stored");
    const outsider = await joinAs(server, admin, `outsider${n}`);
    const path = `/api/previews/${message.id}/image`;
    expect((await api(server, path, { cookie: outsider })).status).toBe(404);
    expect((await api(server, path)).status).toBe(401);
    expect((await api(server, `/api/previews/9999999/image`, { cookie: owner.cookie })).status).toBe(404);
    // Positive control: the owner gets it.
    expect((await fetch(server.url + path, { headers: { cookie: owner.cookie } })).status).toBe(200);
  });

  it("keeps a private room's fetched cards to it: the same URL posted elsewhere is fetched anew, so nobody learns it was shared there", async () => {
    const owner = await member();
    const room = `plans-${n}`;
    await call(owner.socket, "create-room", { name: room, private: true });
    const hits = (path: string) => allowed.hits.filter((h) => h === path).length;
    const postIn = async (socket: typeof owner.socket, where: string, text: string) => (await call(socket, "send-message-to-room", { room: where, message: text })).message as Message;
    const previewOf = async (socket: typeof owner.socket, where: string, id: string) => (await call(socket, "history", { room: where })).messages.find((m: Message) => m.id === id)?.preview;
    const secret = `${allowed.origin}/page/deal-${randomUUID()}`;
    const first = await postIn(owner.socket, room, secret);
    await until(async () => !!(await previewOf(owner.socket, room, first.id)), 5000, "the private card");
    expect(hits(new URL(secret).pathname)).toBe(1);
    // Someone not in the room posts it in a public room: fetched for them (its cost and time are theirs).
    const outsider = await member();
    const theirs = await outsider.send(secret);
    await until(() => !!outsider.updated(theirs.id), 5000, "the public card");
    expect(hits(new URL(secret).pathname)).toBe(2);
    // Positive controls: within a scope the cache still answers (another public post; the private room
    // again, which also reads the public rooms' cards); the private card's image is served to its members.
    const again = await member();
    const third = await again.send(secret);
    const repeat = await postIn(owner.socket, room, `again ${secret}`);
    const publicFirst = `${allowed.origin}/page/public-${randomUUID()}`;
    const pub = await again.send(publicFirst);
    await until(() => !!(again.updated(third.id) && again.updated(pub.id)), 5000, "public cards");
    const fromPublic = await postIn(owner.socket, room, publicFirst);
    await until(async () => !!(await previewOf(owner.socket, room, repeat.id)) && !!(await previewOf(owner.socket, room, fromPublic.id)), 5000, "private cards");
    expect([hits(new URL(secret).pathname), hits(new URL(publicFirst).pathname)]).toEqual([2, 1]);
    expect((await fetch(`${server.url}/api/previews/${first.id}/image`, { headers: { cookie: owner.cookie } })).status).toBe(200);
    expect((await fetch(`${server.url}/api/previews/${fromPublic.id}/image`, { headers: { cookie: owner.cookie } })).status).toBe(200);

    // The card's image too: one the private room's members viewed is fetched anew for someone else.
    const own = `${allowed.origin}/own/${randomUUID()}`;
    const imagePath = `/own-image/${own.split("/").pop()}.png`;
    const inRoom = await postIn(owner.socket, room, own);
    await until(async () => !!(await previewOf(owner.socket, room, inRoom.id)), 5000, "the private card with its image");
    expect((await fetch(`${server.url}/api/previews/${inRoom.id}/image`, { headers: { cookie: owner.cookie } })).status).toBe(200);
    expect(hits(imagePath)).toBe(1);
    const outside = await outsider.send(own);
    await until(() => !!outsider.updated(outside.id), 5000, "the public card with its image");
    expect((await fetch(`${server.url}/api/previews/${outside.id}/image`, { headers: { cookie: outsider.cookie } })).status).toBe(200);
    expect(hits(imagePath)).toBe(2);
    // Positive control: within the public rooms it is served from memory.
    const again2 = await again.send(own);
    await until(() => !!again.updated(again2.id), 5000, "another public card");
    expect((await fetch(`${server.url}/api/previews/${again2.id}/image`, { headers: { cookie: again.cookie } })).status).toBe(200);
    expect(hits(imagePath)).toBe(2);
  });

  it("never fetches a loopback address that OUTBOUND_ALLOW does not list, in any spelling or by name", async () => {
    const m = await member();
    const refused = [
      await m.send(`${forbidden.origin}/page`),
      await m.send(`see http://2130706433:${forbidden.port}/page`),
      await m.send(`http://0x7f.1:${forbidden.port}/page`),
      await m.send(`http://[::ffff:127.0.0.1]:${forbidden.port}/page`),
      // A name resolving to 127.0.0.1: the allowed port, but only 127.0.0.1:port is listed, not localhost.
      await m.send(`http://localhost:${allowed.port}/page/by-name`),
    ];
    // Positive control: a listed URL sent afterwards gets its card.
    const control = await m.send(`${allowed.origin}/page/control`);
    await until(() => !!m.updated(control.id), 5000, "control preview");
    expect(forbidden.hits).toEqual([]);
    expect(allowed.hits).not.toContain("/page/by-name");
    for (const r of refused) expect(m.updated(r.id)).toBeUndefined();
    expect((await m.history()).filter((h) => h.preview).map((h) => h.id)).toEqual([control.id]);
  });

  it("refuses a redirect from an allowed host to one that is not allowed", async () => {
    const m = await member();
    const sent = await m.send(`${allowed.origin}/to-forbidden`);
    await until(() => allowed.hits.includes("/to-forbidden"), 5000, "first hop");
    const control = await m.send(`${allowed.origin}/page/after-redirect`);
    await until(() => !!m.updated(control.id), 5000, "control preview");
    expect(forbidden.hits).toEqual([]);
    expect(m.updated(sent.id)).toBeUndefined();
  });

  it("ignores what is not HTML", async () => {
    const m = await member();
    const json = await m.send(`${allowed.origin}/json`);
    const png = await m.send(`${allowed.origin}/picture.png`);
    const text = await m.send(`${allowed.origin}/text`);
    await until(() => ["/json", "/picture.png", "/text"].every((p) => allowed.hits.includes(p)), 5000, "fetches");
    const control = await m.send(`${allowed.origin}/page/after-json`);
    await until(() => !!m.updated(control.id), 5000, "control preview");
    expect(m.updated(json.id)).toBeUndefined();
    expect(m.updated(png.id)).toBeUndefined();
    expect(m.updated(text.id)).toBeUndefined();
  });

  it("decodes a page in the charset its <meta> declares", async () => {
    const m = await member();
    const sent = await m.send(`${allowed.origin}/sjis`);
    await until(() => !!m.updated(sent.id), 5000, "preview of the Shift_JIS page");
    expect(m.updated(sent.id)!.preview?.title).toBe("シフト");
  });

  it("reads at most 1 MiB of a page: a never-ending page still gives its card", async () => {
    const m = await member();
    const sent = await m.send(`${allowed.origin}/huge`);
    await until(() => !!m.updated(sent.id), 5000, "preview of the huge page");
    expect(m.updated(sent.id)!.preview?.title).toBe("響きの記事 — Huge page");
    await until(() => allowed.closed.includes("/huge"), 5000, "connection dropped at the cap");
  });

  it("reads no card from a page nested too deeply to parse, and stays responsive", async () => {
    const m = await member();
    const deep = await m.send(`${allowed.origin}/deep`);
    await until(() => allowed.hits.includes("/deep"), 5000, "fetch of the deep page");
    const control = await m.send(`${allowed.origin}/page/after-deep`);
    await until(() => !!m.updated(control.id), 5000, "control preview");
    expect((await api(server, "/healthz")).status).toBe(200);
    expect(m.updated(deep.id)).toBeUndefined();
  });

  it("gives up on a page that does not answer within 5 s", async () => {
    const m = await member();
    const sent = await m.send(`${allowed.origin}/hang`);
    await until(() => allowed.closed.includes("/hang"), 8000, "request abandoned");
    const control = await m.send(`${allowed.origin}/page/after-hang`);
    await until(() => !!m.updated(control.id), 5000, "control preview");
    expect(m.updated(sent.id)).toBeUndefined();
  }, 15_000);

  it("fetches one URL once for many messages, and previews only the first link, outside code", async () => {
    const m = await member();
    const before = allowed.hits.filter((h) => h === "/page/shared").length;
    const a = await m.send(`${allowed.origin}/page/shared`);
    const b = await m.send(`again: <${allowed.origin}/page/shared>`);
    const code = await m.send(`\`${allowed.origin}/page/in-code\` and [the docs](${allowed.origin}/page/shared)`);
    await until(() => !!(m.updated(a.id) && m.updated(b.id) && m.updated(code.id)), 5000, "three previews");
    expect(allowed.hits.filter((h) => h === "/page/shared").length).toBe(before + 1);
    expect(allowed.hits).not.toContain("/page/in-code");
    expect(m.updated(code.id)!.preview?.url).toBe(`${allowed.origin}/page/shared`);
  });

  // From an outside trial: a label naming a genuine page over a link to another got the genuine page's
  // card (and, without a space before `](`, a fetch of the label and the target run together).
  it.each([
    ["a URL as the label", (genuine: string, target: string) => `Payroll moved: [${genuine} ](${target})`],
    ["a URL as the label, no space", (genuine: string, target: string) => `[${genuine}](${target})`],
    ["a reference link", (genuine: string, target: string) => `[${genuine}][hr]\n\n[hr]: ${target}`],
  ])("makes the card for where a link goes, never for what its label says: %s", async (_label, text) => {
    const m = await member();
    const genuine = `${allowed.origin}/page/genuine-${m.room}`;
    const target = `${allowed.origin}/page/target-${m.room}`;
    const sent = await m.send(text(genuine, target));
    await until(() => !!m.updated(sent.id), 5000, "the card");
    expect(m.updated(sent.id)!.preview?.url).toBe(target);
    expect(allowed.hits.filter((h) => h.includes("genuine"))).toEqual([]);
    expect(allowed.hits).toContain(`/page/target-${m.room}`);
  });

  it("keeps a card through an edit only while the first link stays where it goes; a new target gets its own", async () => {
    const m = await member();
    const first = `${allowed.origin}/page/first-${m.room}`;
    const other = `${allowed.origin}/page/other-${m.room}`;
    const sent = await m.send(`[the notes](${first})`);
    await until(() => m.updated(sent.id)?.preview?.url === first, 5000, "the first card");
    // The label changes, the link does not: the card stays.
    const relabelled = (await call(m.socket, "edit-message", { room: m.room, id: sent.id, message: `[${other}](${first})` })).message as Message;
    expect(relabelled.preview?.url).toBe(first);
    // The link changes, the label does not: the card goes, and one for the new target comes.
    const retargeted = (await call(m.socket, "edit-message", { room: m.room, id: sent.id, message: `[${other}](${other}?v=2)` })).message as Message;
    expect(retargeted.preview).toBeUndefined();
    await until(async () => (await m.history()).find((h) => h.id === sent.id)?.preview?.url === `${other}?v=2`, 5000, "the new target's card");
  });
});

describe("link previews: the author's fetch budget", () => {
  it("fetches at most the `preview` row's pages for one author; past it a message is stored without a card, others' still get theirs", async () => {
    const target = await site((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(PAGE));
    const server = await startTestServer({ outboundAllow: [`127.0.0.1:${target.port}`], rateLimits: { preview: { points: 2, duration: 60 } } });
    try {
      const admin = await setupAdmin(server);
      const as = async (name: string) => {
        const socket = await connect(server.url, {}, { extraHeaders: { cookie: await joinAs(server, admin, name) } });
        await call(socket, "join-room", "budget");
        return socket;
      };
      const [ann, ben] = [await as("ann"), await as("ben")];
      const updates = collect<Message>(ann, "message-updated");
      const say = async (socket: typeof ann, text: string): Promise<Message> => (await call(socket, "send-message-to-room", { room: "budget", message: text })).message;
      const first = await say(ann, `${target.origin}/page/1`);
      const second = await say(ann, `${target.origin}/page/2`);
      const third = await say(ann, `${target.origin}/page/3`);
      // Positive control, sent after it: another author's link still gets its card.
      const other = await say(ben, `${target.origin}/page/4`);
      await until(() => [first, second, other].every((m) => updates.some((u) => u.id === m.id)), 5000, "three cards");
      expect(target.hits).not.toContain("/page/3");
      expect(updates.map((u) => u.id)).not.toContain(third.id);
      expect((await call(ann, "history", { room: "budget" })).messages.find((h: Message) => h.id === third.id).preview).toBeUndefined();
    } finally {
      await server.close();
      await stop(target);
    }
  });
});

describe("link previews switched off", () => {
  it("fetches nothing when LINK_PREVIEWS=false", async () => {
    const target = await site((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(PAGE));
    const server = await startTestServer({ outboundAllow: [`127.0.0.1:${target.port}`], linkPreviews: false });
    try {
      const socket = await connect(server.url);
      await call(socket, "join-room", "quiet");
      const updates = collect(socket, "message-updated");
      const { message } = await call(socket, "send-message-to-room", { room: "quiet", message: `${target.origin}/page` });
      // Positive control: a message posted after it arrives, and the server has had its turn.
      const got = collect<Message>(socket, "receive-message");
      await call(socket, "send-message-to-room", { room: "quiet", message: "after" });
      await until(() => got.some((g) => g.text === "after"), 5000, "later message");
      expect(target.hits).toEqual([]);
      expect(updates).toEqual([]);
      expect((await call(socket, "history", { room: "quiet" })).messages.find((h: Message) => h.id === message.id).preview).toBeUndefined();
      socket.disconnect();
    } finally {
      await server.close();
      await stop(target);
    }
  });
});


const clusterReady = Boolean(process.env.REDIS_URL && process.env.DATABASE_URL);
if (!clusterReady) process.stdout.write("skipping the multi-instance link preview test: REDIS_URL and DATABASE_URL must both be set\n");

(clusterReady ? describe : describe.skip)("link previews on several instances", () => {
  it("reaches readers on the other instance as message-updated, and its image is served there too", async () => {
    const target = await site((req, res) => {
      if (req.url === "/cover.png") return res.writeHead(200, { "content-type": "image/png" }).end(PNG);
      res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    });
    const common = {
      databaseUrl: await freshPostgresUrl(),
      redisUrl: process.env.REDIS_URL,
      redisPrefix: `t${randomUUID().slice(0, 8)}`,
      outboundAllow: [`127.0.0.1:${target.port}`],
    };
    const a = await startTestServer(common);
    const b = await startTestServer(common);
    try {
      const admin = await setupAdmin(a);
      const alice = await joinAs(a, admin, "alice");
      const bob = await joinAs(b, admin, "bob");
      const onA = await connect(a.url, {}, { extraHeaders: { cookie: alice } });
      const onB = await connect(b.url, {}, { extraHeaders: { cookie: bob } });
      await call(onA, "join-room", "general");
      await call(onB, "join-room", "general");
      const updates = collect<Message>(onB, "message-updated");
      const { message } = await call(onA, "send-message-to-room", { room: "general", message: `${target.origin}/page` });
      await until(() => updates.some((u) => u.id === message.id), 5000, "message-updated on B");
      const card = updates.find((u) => u.id === message.id)!.preview!;
      expect(card.title).toBe("響きの記事 — Release notes");
      const res = await fetch(b.url + card.imageUrl, { headers: { cookie: bob } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
    } finally {
      await a.close();
      await b.close();
      await stop(target);
    }
  });
});
