/**
 * The server's Markdown parsing for plain text (notification previews, search snippets) draws on one
 * allowance of parsing time per process (lib/text/parse-allowance.ts): once it is spent, the texts are
 * given as written rather than parsed, so that text written to be slow to parse cannot keep the event
 * loop busy by being sent, edited and searched for over and over.
 */
import { joinAs, setupAdmin, api } from "../helpers/http";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";
import { PARSE_MS_PER_USER, PARSE_MS_PER_WINDOW, processParseAllowance, processUserParseAllowance } from "../../lib/text/parse-allowance";

describe("the process's Markdown parsing allowance", () => {
  let server: TestServer;
  let admin: string;
  let bob: string;
  beforeAll(async () => {
    server = await startTestServer({ linkPreviews: false, rateLimitMessages: 0 });
    admin = await setupAdmin(server, "admin");
    bob = await joinAs(server, admin, "bob");
  }, 120_000);
  afterAll(() => server.close());
  const idOf = async (name: string) => (await server.db.query<{ id: string }>("select id::text as id from users where name = $1", [name]))[0].id;
  afterEach(async () => {
    await processParseAllowance.delete("all");
    for (const name of ["admin", "bob"]) await processUserParseAllowance.delete(await idOf(name));
  });

  const spend = () => processParseAllowance.penalty("all", PARSE_MS_PER_WINDOW);

  it("previews a notification as written once it is spent, and parsed again once there is time", async () => {
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
    const room = (await call(a, "open-dm", { name: "bob" })).room.name;
    await call(a, "join-room", room);
    const live = await openStream(`${server.url}/api/notifications/stream`, { cookie: bob });
    const said = async (text: string) => {
      const { message } = await call(a, "send-message-to-room", { room, message: text });
      await until(() => live.events.some((e) => e.data?.messageId === message.id), 5000, "the notification");
      return live.events.find((e) => e.data?.messageId === message.id)!.data.message;
    };
    try {
      await until(() => live.events.some((e) => e.data?.type === "connected"), 5000, "connected");
      expect(await said("**first** in _bold_")).toBe("first in bold");
      await spend();
      expect(await said("**second** in _bold_")).toBe("**second** in _bold_");
      const long = `- ${"x".repeat(300)}`;
      expect(await said(long)).toBe(`${long.slice(0, 199)}…`);
      await processParseAllowance.delete("all");
      expect(await said("**third** in _bold_")).toBe("third in bold");
    } finally {
      live.close();
    }
  });

  // From an outside trial: one member's eight syntax-dense messages spent the process's allowance, and
  // nobody's link previews or formatted snippets were made until it came back.
  it("keeps parsing everyone else's texts once one member spent their own share of it", async () => {
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
    const b = await connect(server.url, {}, { extraHeaders: { cookie: bob, origin: server.url } });
    // Neither has the DM open (one who is looking at it is not notified): each posts without joining it.
    const room = (await call(a, "open-dm", { name: "bob" })).room.name;
    const toBob = await openStream(`${server.url}/api/notifications/stream`, { cookie: bob });
    const toAdmin = await openStream(`${server.url}/api/notifications/stream`, { cookie: admin });
    const said = async (from: typeof a, to: typeof toBob, text: string) => {
      const { message } = await call(from, "send-message-to-room", { room, message: text });
      await until(() => to.events.some((e) => e.data?.messageId === message.id), 5000, "the notification");
      return to.events.find((e) => e.data?.messageId === message.id)!.data.message;
    };
    try {
      await until(() => toBob.events.some((e) => e.data?.type === "connected") && toAdmin.events.some((e) => e.data?.type === "connected"), 5000, "connected");
      expect(await said(a, toBob, "**one** in _bold_")).toBe("one in bold");
      await processUserParseAllowance.penalty(await idOf("admin"), PARSE_MS_PER_USER);
      // The member who spent their share: as written. Everyone else: parsed, as before.
      expect(await said(a, toBob, "**two** in _bold_")).toBe("**two** in _bold_");
      expect(await said(b, toAdmin, "**three** in _bold_")).toBe("three in bold");
    } finally {
      toBob.close();
      toAdmin.close();
    }
  });

  it("gives search snippets as written once it is spent", async () => {
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
    await call(a, "join-room", "general");
    await call(a, "send-message-to-room", { room: "general", message: "**quokka** one" });
    await call(a, "send-message-to-room", { room: "general", message: "**wombat** two" });
    const snippet = async (q: string) => {
      let res!: Awaited<ReturnType<typeof api>>;
      await until(async () => (res = await api(server, `/api/search?q=${q}`, { cookie: bob })).body.results?.length === 1, 5000, "indexed");
      return res.body.results[0].snippet.text;
    };
    expect(await snippet("quokka")).toBe("quokka one");
    await spend();
    expect(await snippet("wombat")).toBe("**wombat** two");
  });
});
