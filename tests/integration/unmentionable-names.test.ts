import { api, joinAs } from "../helpers/http";
import { call, connect, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";
import { mentionToken } from "../../lib/notifications/mentions";
import { nameKey, nameSkeleton } from "../../lib/text/skeleton";
import { nameSuite } from "../helpers/name-ways";

/**
 * Every new name is one an `@` mention reaches, and the mention the suggestions write for it
 * (mentionToken) notifies exactly that person. An outside trial found `Aiko\` written `@"Aiko\"`, which
 * Markdown reads as `@"Aiko"` (an escaped quote): Aiko was notified instead; `**Aiko**` and a name with
 * a tag were notified nobody; and names with `"` or a leading `@` could not be mentioned at all. Now
 * Markdown's marks in a name are escaped in its mention, and a new name with a quote mark, `,`, `@` or
 * the start of a web address is refused as `name_unmentionable` on every way a name comes in.
 */
const { world, join, rename, bot, guestRefusal, rowsNamed } = nameSuite();
let server: TestServer;
let admin: string;
let bob: string;
beforeAll(() => ({ server, admin, bob } = world));

it.each(['Aiko"', "\u201cAiko\u201d", "Tanaka, Aiko", "@Bob", "\uFF20Bob", "bob@example.com", "www.bob.com", "see https://x.io", "HTTP://x"])(
  "refuses %j as name_unmentionable for accounts, renames, bots and guests, and stores nothing",
  async (name) => {
    for (const res of [await join(name), await rename(name), await bot(name)]) {
      expect([name, res.status, res.body.error]).toEqual([name, 400, expect.objectContaining({ code: "bad_request", reason: "name_unmentionable", field: "name" })]);
    }
    expect(await guestRefusal(name)).toMatchObject({ code: "bad_request", reason: "name_unmentionable" });
    expect(await rowsNamed(name)).toBe(0);
  },
);

// From a second outside trial: renaming to a look-alike of one's own name skipped the rule.
it.each([["a''b", 'a"b'], ["a\u201ab", "a,b"], ["http\u2236\u2215\u2215x", "http://x"]])("refuses a rename from %j to its look-alike %j", async (first, then) => {
  const cookie = await joinAs(server, admin, first);
  const res = await api(server, "/api/account/name", { method: "PUT", body: { name: then }, cookie });
  expect([res.status, res.body.error]).toEqual([400, expect.objectContaining({ reason: "name_unmentionable" })]);
  expect(await rowsNamed(then)).toBe(0);
});

it("notifies exactly the person a suggested mention names, Markdown's marks in the name and all", async () => {
  const names = ["Aiko", "Aiko\\", "**Aiko**", "_aiko_", "x<b>y", "a&amp;b"];
  const cookies: Record<string, string> = {};
  for (const name of names) cookies[name] = await joinAs(server, admin, name);
  const streams = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await openStream(`${server.url}/api/notifications/stream`, { cookie: cookies[n] })] as const)));
  try {
    for (const s of Object.values(streams)) await until(() => s.events.length >= 1, 5000, "connected");
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    await call(a, "join-room", "general");
    // Each in turn, then one message naming everyone: what a stream heard before that is its own mention only.
    for (const name of names.slice(1)) await call(a, "send-message-to-room", { room: "general", message: `ping ${mentionToken(name)} please` });
    await call(a, "send-message-to-room", { room: "general", message: `all: ${names.map((n) => mentionToken(n)).join(" ")}` });
    for (const [name, s] of Object.entries(streams)) {
      await until(() => s.events.some((e) => String((e.data as { message?: string })?.message).startsWith("all:")), 5000, `${name}'s last mention`);
      const before = s.events.slice(1).filter((e) => (e.data as { type?: string }).type === "mention").map((e) => (e.data as { message: string }).message);
      expect([name, before.length]).toEqual([name, name === "Aiko" ? 1 : 2]);
    }
    a.disconnect();
  } finally {
    for (const s of Object.values(streams)) s.close();
  }
});

it("admits a guest whose name was stored before the rule, under that name, though no mention reaches it", async () => {
  const legacy = "@legacy";
  await server.db.query("insert into users (name, name_key, name_skeleton, kind) values ($1, $2, $3, 'guest') on conflict do nothing", [legacy, nameKey(legacy), nameSkeleton(legacy)]);
  const guest = await connect(server.url, { name: legacy });
  expect((await call(guest, "join-room", "general")).room.name).toBe("general");
  guest.disconnect();
  expect(await rowsNamed(legacy)).toBe(1);
  expect(mentionToken(legacy)).toBeNull();
});
