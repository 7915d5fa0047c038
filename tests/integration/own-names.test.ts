/**
 * The signed-in user's own name history (`names`, lib/chat/users.ts nameHistory), which the web client
 * decides its own messages by (components/chat/own-messages.ts): on GET /api/session (and the page's
 * session), with the span each name was held, so a renamed account keeps its old messages and whoever
 * takes the freed name later does not get them. Not on the `session` event: no handshake pays for it.
 */
import type { NameSpan } from "../../lib/chat/types";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeEach(async () => {
  // A name given up passes to another account at once (no hold, NAME_HOLD_SECONDS=0), as once a hold runs out.
  server = await startTestServer({ nameHoldSeconds: 0 });
});
afterEach(() => server.close());

const namesOf = async (cookie: string): Promise<NameSpan[]> => (await api(server, "/api/session", { cookie })).body.user.names;
const rename = (cookie: string, name: string) => api(server, "/api/account/name", { method: "PUT", cookie, body: { name } });

/** Whether `at` (ISO-8601) is within `span`, bounds included, as the client decides. */
const within = (at: string, span: NameSpan) => Date.parse(at) >= Date.parse(span.since) && (span.until === undefined || Date.parse(at) <= Date.parse(span.until));

describe("the user's own names", () => {
  it("dates each name an account had: a rename keeps the old one with its span, and whoever takes it later has only their own", async () => {
    const admin = await setupAdmin(server, "root");
    const dave = await joinAs(server, admin, "dave");
    const before = await namesOf(dave);
    expect(before).toEqual([{ name: "dave", since: expect.any(String) }]);

    const live = await connect(server.url, {}, { extraHeaders: { cookie: dave } });
    const { message: old } = await call(live, "send-message-to-room", { room: "general", message: "written as dave" });
    live.disconnect();
    expect(within(old.createdAt, before[0])).toBe(true);

    expect((await rename(dave, "david")).status).toBe(200);
    const after = await namesOf(dave);
    expect(after).toEqual([
      { name: "dave", since: before[0].since, until: expect.any(String) },
      { name: "david", since: after[0].until },
    ]);
    // The message written as dave is within dave's span; the account's next one is david's.
    expect(within(old.createdAt, after[0])).toBe(true);
    const again = await connect(server.url, {}, { extraHeaders: { cookie: dave } });
    const { message: renamed } = await call(again, "send-message-to-room", { room: "general", message: "written as david" });
    again.disconnect();
    expect(renamed.author).toBe("david");
    expect(within(renamed.createdAt, after[1])).toBe(true);

    // Someone new takes the freed name: their span starts when their account was made, after dave's message.
    const newDave = await joinAs(server, admin, "dave", "another-password");
    const theirs = await namesOf(newDave);
    expect(theirs).toEqual([{ name: "dave", since: expect.any(String) }]);
    expect(Date.parse(theirs[0].since)).toBeGreaterThan(Date.parse(old.createdAt));
    expect(within(old.createdAt, theirs[0])).toBe(false);
  });

  it("keeps a recasing as a name of its own, so messages written as \"david\" stay the account's once it is \"David\"", async () => {
    const admin = await setupAdmin(server, "root");
    const dave = await joinAs(server, admin, "david");
    const [first] = await namesOf(dave);
    expect((await rename(dave, "David")).status).toBe(200);
    const names = await namesOf(dave);
    expect(names).toEqual([
      { name: "david", since: first.since, until: expect.any(String) },
      { name: "David", since: names[0].until },
    ]);
  });
});
