/**
 * Typing notices and join/leave announcements each reach everyone in a room (`typing`, `user-joined` /
 * `user-left`): one client must not be able to flood a room with them. Both are rows of the limiter
 * table; joins and leaves themselves are never refused (a person may flick through rooms).
 */
import { parseLimitOverrides } from "../../lib/limits";
import { call, collect, connect, request, startTestServer, until, type TestServer } from "../helpers/server";

let server: TestServer;
let addresses = 0;
/**
 * A guest at an address of its own: guests count per client address (a name is anyone's to give), so
 * each gets a distinct X-Forwarded-For, which the test server takes from loopback (TRUST_PROXY default).
 */
const guest = (name: string) => connect(server.url, { name }, { extraHeaders: { "x-forwarded-for": `198.51.100.${++addresses}` } });
beforeAll(async () => {
  server = await startTestServer({ guestAccess: true, rateLimits: parseLimitOverrides("typing=5/60,join-announcements=6/60,read-marks=4/60") });
}, 60_000);
afterAll(() => server.close());

describe("read markers are rate limited", () => {
  it("answers mark-read rate_limited past the read-marks row, whether the marker moves or not", async () => {
    const reader = await guest("marker");
    const writer = await guest("marker-writer");
    await call(reader, "join-room", "marks-room");
    await call(writer, "join-room", "marks-room");
    for (let i = 0; i < 3; i++) await call(writer, "send-message-to-room", { room: "marks-room", message: `m${i}` });
    // Moving, standing still, past the newest, behind it: each a statement, each counted.
    for (const seq of [1, 1, 99, 0]) expect(await request(reader, "mark-read", { room: "marks-room", seq })).toMatchObject({ ok: true });
    for (const seq of [2, 0, 3]) {
      const over = await request(reader, "mark-read", { room: "marks-room", seq });
      expect([seq, over]).toMatchObject([seq, { ok: false, error: { code: "rate_limited" } }]);
      expect((over as { error: { retryAfter: number } }).error.retryAfter).toBeGreaterThan(0);
    }
    // Another user's markers are their own (positive control).
    expect(await request(writer, "mark-read", { room: "marks-room", seq: 3 })).toMatchObject({ ok: true });
  });
});

describe("typing and join/leave churn are rate limited", () => {
  it("stops relaying typing notices past the typing row, with retryAfter", async () => {
    const typist = await guest("typist");
    const reader = await guest("reader");
    await call(typist, "join-room", "typing-room");
    await call(reader, "join-room", "typing-room");
    const seen = collect(reader, "typing");
    for (let i = 0; i < 5; i++) await call(typist, "typing", { room: "typing-room" });
    const over = await request(typist, "typing", { room: "typing-room" });
    expect(over).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    expect((over as { error: { retryAfter: number } }).error.retryAfter).toBeGreaterThan(0);
    // Each accepted notice arrived, and nothing more (volatile, but on loopback none is dropped); a
    // message sent after them arrives after them, so once it is here they all are.
    const got = collect(reader, "receive-message");
    await call(typist, "send-message-to-room", { room: "typing-room", message: "done typing" });
    await until(() => got.length === 1, 5000, "the message after the typing notices");
    expect(seen).toHaveLength(5);
    // Another user's notices are their own (positive control).
    await call(reader, "typing", { room: "typing-room" });
  });

  it("announces joins and leaves up to the join-announcements row, then joins and leaves unannounced", async () => {
    const churner = await guest("churner");
    const watcher = await guest("watcher");
    await call(watcher, "join-room", "churn-room");
    const joined = collect<string>(watcher, "user-joined");
    const left = collect<string>(watcher, "user-left");
    // Six points: three cycles announce a join and a leave each; ten more cycles are not refused.
    for (let i = 0; i < 13; i++) {
      expect((await call(churner, "join-room", "churn-room")).room.name).toBe("churn-room");
      await call(churner, "leave-room", "churn-room");
    }
    // The watcher's own message comes after every announcement the churner caused.
    const mine = collect(watcher, "receive-message");
    await call(watcher, "send-message-to-room", { room: "churn-room", message: "marker" });
    await until(() => mine.length === 1, 5000, "the marker");
    expect(joined.filter((t) => t.startsWith("churner"))).toHaveLength(3);
    expect(left.filter((t) => t.startsWith("churner"))).toHaveLength(3);
    // Unannounced, the churner is still in the room when it joins: its messages arrive.
    await call(churner, "join-room", "churn-room");
    await call(churner, "send-message-to-room", { room: "churn-room", message: "still here" });
    await until(() => mine.length === 2, 5000, "the churner's message");
    // Someone else's joins are announced (positive control: the row counts per user).
    const other = await guest("other");
    await call(other, "join-room", "churn-room");
    await until(() => joined.some((t) => t.startsWith("other")), 5000, "the other user's announcement");
  });
});
