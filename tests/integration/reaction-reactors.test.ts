/**
 * A reaction belongs to the person who made it, not to the name they had: renamed (even to another
 * spelling of the same name), they take it back with one toggle and cannot add a second; someone who
 * takes a name given up adds their own instead of taking the earlier holder's away. Reactions stored
 * before reactors' ids were kept still toggle by name.
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let admin: string;
let messageId: string;
const THUMBS = "\u{1F44D}";

beforeAll(async () => {
  // A name given up passes to another account at once (no hold, NAME_HOLD_SECONDS=0), as once a hold runs out.
  server = await startTestServer({ rateLimitMessages: 0, linkPreviews: false, nameHoldSeconds: 0 });
  admin = await setupAdmin(server, "admin");
}, 120_000);
afterAll(() => server.close());

/** A fresh message of the admin's in #general to react to. */
beforeEach(async () => {
  const a = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
  messageId = (await call(a, "send-message-to-room", { room: "general", message: `react to me ${Date.now()}` })).message.id;
});

const rename = async (cookie: string, name: string) => {
  const res = await api(server, "/api/account/name", { method: "PUT", cookie, body: { name } });
  expect(res.status).toBe(200);
  expect(res.body.changed).toBe(true);
};

/** Toggles 👍 as the account with `cookie` (a new connection: a rename closes the old ones). */
const react = async (cookie: string) => {
  const socket = await connect(server.url, {}, { extraHeaders: { cookie } });
  const done = await call(socket, "react", { room: "general", id: messageId, emoji: THUMBS });
  socket.disconnect();
  return done as { reactions: { emoji: string; count: number; users: string[] }[]; toggle: { added: boolean; count: number; user: string } };
};

describe("reactions and renames", () => {
  it("are taken back by their reactor after a rename to another spelling of the name, never counted twice", async () => {
    const dana = await joinAs(server, admin, "dana");
    expect((await react(dana)).toggle).toMatchObject({ added: true, count: 1, user: "dana" });
    await rename(dana, "Dana");
    // The same person: the toggle takes hers away instead of adding "Dana" beside "dana".
    const back = await react(dana);
    expect(back.toggle).toMatchObject({ added: false, count: 0 });
    expect(back.reactions).toEqual([]);
    expect((await react(dana)).reactions).toEqual([{ emoji: THUMBS, count: 1, users: ["Dana"] }]);
    await rename(dana, "DANA");
    await rename(dana, "dana-k");
    expect((await react(dana)).toggle).toMatchObject({ added: false, count: 0 });
  });

  it("are not taken away by someone who takes a name given up", async () => {
    const erin = await joinAs(server, admin, "erin");
    await react(erin);
    await rename(erin, "erin-old");
    const newErin = await joinAs(server, admin, "erin");
    const both = await react(newErin);
    expect(both.toggle).toMatchObject({ added: true, count: 2 });
    expect(both.reactions).toEqual([{ emoji: THUMBS, count: 2, users: ["erin", "erin"] }]);
    // Each takes back only their own.
    expect((await react(erin)).toggle).toMatchObject({ added: false, count: 1 });
    expect((await react(newErin)).reactions).toEqual([]);
  });

  it("stored by name only (before ids were kept) still toggle by name, and keep their order when others react", async () => {
    await joinAs(server, admin, "fumi");
    const gen = await joinAs(server, admin, "gen");
    // As a reaction was stored before: names, no ids.
    await server.db.query(
      `update messages set extra = coalesce(extra, '{}'::jsonb) || jsonb_build_object('reactions', jsonb_build_array(jsonb_build_object('emoji', $2::text, 'count', 1, 'users', jsonb_build_array('fumi'))))
        where id = $1::bigint`,
      [messageId, THUMBS],
    );
    const added = await react(gen);
    expect(added.reactions).toEqual([{ emoji: THUMBS, count: 2, users: ["fumi", "gen"] }]);
    // Clients never see the stored ids.
    expect(Object.keys(added.reactions[0]).sort()).toEqual(["count", "emoji", "users"]);
    const fumi = (await api(server, "/api/session", { body: { name: "fumi", password: "password-fumi" } })).cookie!;
    expect((await react(fumi)).reactions).toEqual([{ emoji: THUMBS, count: 1, users: ["gen"] }]);
    expect((await react(gen)).reactions).toEqual([]);
  });
});
