/**
 * Member lists say who is a bot (`Member.bot`): no mention notifies a bot, so a client offers none after
 * `@`, and it learns who is one from the lists it holds — a join's `members` (a private room's roster,
 * a public room's presence), `presence`, `user-joined` and `add-member`'s answer. On PGlite and on
 * PostgreSQL (a private room's roster comes from enter_room(), migration 48).
 */
import type { Socket } from "socket.io-client";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

type Member = { name: string; online: boolean; bot?: true };
type Presence = { room: string; online: number; members: Member[] };

describe.each(["PGlite", "PostgreSQL"] as const)("bots in member lists on %s", (kind) => {
  let server: TestServer | undefined;
  afterEach(() => server?.close());

  async function start(): Promise<TestServer | undefined> {
    const databaseUrl = kind === "PostgreSQL" ? await freshPostgresUrl() : undefined;
    if (kind === "PostgreSQL" && !databaseUrl) {
      process.stdout.write("skipping the PostgreSQL bot member tests: DATABASE_URL is not set\n");
      return undefined;
    }
    return (server = await startTestServer(databaseUrl ? { databaseUrl } : {}));
  }

  /** The admin, alice (an account) and deploybot (a bot), each connected. */
  async function people(s: TestServer): Promise<{ alice: Socket; bot: Socket }> {
    const admin = await setupAdmin(s);
    const cookie = await joinAs(s, admin, "alice");
    const { token } = (await api(s, "/api/admin/bots", { cookie: admin, body: { name: "deploybot" } })).body;
    const alice = await connect(s.url, {}, { extraHeaders: { cookie } });
    const bot = await connect(s.url, { token });
    return { alice, bot };
  }

  it("marks a bot in a private room's members, in add-member's answer, the join's list and presence", async () => {
    const s = await start();
    if (!s) return;
    const { alice, bot } = await people(s);
    await call(alice, "create-room", { name: "den", private: true });
    expect(await call(alice, "add-member", { room: "den", name: "deploybot" })).toEqual({ bot: true });
    // Added already: the same answer, nothing changed.
    expect(await call(alice, "add-member", { room: "den", name: "deploybot" })).toEqual({ bot: true });
    const joined = await call<{ members: Member[] }>(alice, "join-room", "den");
    expect(joined.members).toEqual([
      { name: "alice", online: true },
      { name: "deploybot", online: false, bot: true },
    ]);
    const presence = collect<Presence>(alice, "presence");
    await call(bot, "join-room", "den");
    await until(() => presence.some((p) => p.room === "den" && p.online === 2), 5000, "presence with the bot in den");
    expect(presence.find((p) => p.online === 2)!.members).toEqual([
      { name: "alice", online: true },
      { name: "deploybot", online: true, bot: true },
    ]);
  });

  it("marks a bot among a public room's people: user-joined, presence and a later join's list", async () => {
    const s = await start();
    if (!s) return;
    const { alice, bot } = await people(s);
    await call(alice, "join-room", "square");
    // user-joined's second argument: { room, name, bot? }.
    const joinedInfo: { room: string; name: string; bot?: true }[] = [];
    alice.on("user-joined", (_text: string, info: { room: string; name: string; bot?: true }) => joinedInfo.push(info));
    const presence = collect<Presence>(alice, "presence");
    await call(bot, "join-room", "square");
    await until(() => joinedInfo.some((i) => i.name === "deploybot"), 5000, "user-joined of the bot");
    expect(joinedInfo.find((i) => i.name === "deploybot")).toEqual({ room: "square", name: "deploybot", bot: true });
    await until(() => presence.some((p) => p.room === "square" && p.online === 2), 5000, "presence with the bot in square");
    const members = presence.find((p) => p.online === 2)!.members;
    expect(members.find((m) => m.name === "deploybot")).toEqual({ name: "deploybot", online: true, bot: true });
    expect(members.find((m) => m.name === "alice")).toEqual({ name: "alice", online: true });
    const again = await call<{ members: Member[] }>(alice, "join-room", "square");
    expect(again.members.find((m) => m.name === "deploybot")).toEqual({ name: "deploybot", online: true, bot: true });
  });
});
