/**
 * Where a notification stream starts. A stream without Last-Event-ID sends what is stored after its
 * position, the newest notification id when it opened. That position used to be read after the response's
 * headers went out, so a notification stored between the two counted as older than the stream: the
 * client, already connected, never got it (and a page that had read its missed announcements just before
 * showed it only on the next visit). The position is now fixed before the response starts.
 */
import type { Database, Queryable } from "../../lib/db";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

type Hold = { armed: boolean; reached: boolean; fail?: boolean; release?: () => void };

/**
 * The next read of a stream's position (the user's newest notification id) once `hold.armed`: fails it
 * when `hold.fail`, or else holds it until `hold.release()`; `hold.reached` says it came.
 */
function holdingDatabase(hold: Hold) {
  const LATEST = /select max\(id\)::text as id from notifications/;
  return (db: Database): Database => {
    const held = (q: Queryable): Queryable => ({
      query: async (sql, params) => {
        if (hold.armed && LATEST.test(sql)) {
          hold.armed = false;
          if (hold.fail) {
            hold.reached = true;
            throw new Error("the database is unreachable (test)");
          }
          await new Promise<void>((resolve) => {
            hold.release = resolve;
            hold.reached = true;
          });
        }
        return q.query(sql, params);
      },
      exec: (sql) => q.exec(sql),
    });
    return { ...held(db), kind: db.kind, transaction: (fn) => db.transaction(fn), ping: () => db.ping(), close: () => db.close() };
  };
}

describe("a notification stream's position", () => {
  let server: TestServer;
  let admin: string;
  let alice: string;
  const hold: Hold = { armed: false, reached: false };

  beforeAll(async () => {
    server = await startTestServer({}, { wrapDatabase: holdingDatabase(hold) });
    admin = await setupAdmin(server, "admin", "admin-password");
    alice = await joinAs(server, admin, "alice");
  });
  afterAll(() => server.close());

  const announce = async (message: string) => expect((await api(server, "/api/admin/announcements", { body: { message }, cookie: admin })).status).toBe(202);
  const missed = async () => (await api(server, "/api/announcements", { cookie: alice })).body.announcements.map((n: { message: string }) => n.message);

  it("is fixed before the response starts: what is stored after the headers arrive is streamed, what came before is listed", async () => {
    hold.armed = true;
    let headersArrived = false;
    const opening = openStream(`${server.url}/api/notifications/stream`, { cookie: alice }).then((s) => ((headersArrived = true), s));
    await until(() => hold.reached, 5000, "the stream reading its position");
    // Stored while the position is being read: before the response started, so not the stream's.
    await announce("stored while the stream opened");
    expect(headersArrived).toBe(false);
    hold.release!();
    const stream = await opening;
    try {
      expect(stream.status).toBe(200);
      await until(() => stream.events.some((e) => e.data?.type === "connected"), 5000, "connected");
      // Stored after the headers arrived: streamed.
      await announce("stored after the headers");
      await until(() => stream.events.some((e) => e.data?.message === "stored after the headers"), 5000, "the later announcement streamed");
      // The earlier one is not lost: the list a page reads once its stream is connected holds it.
      expect(await missed()).toEqual(expect.arrayContaining(["stored while the stream opened", "stored after the headers"]));
      const streamed = stream.events.filter((e) => e.data?.type === "system").map((e) => e.data.message);
      expect(streamed).toEqual(["stored after the headers"]);
    } finally {
      stream.close();
    }
  });

  it("answers 503 when the position cannot be read, and the next try opens", async () => {
    Object.assign(hold, { armed: true, reached: false, fail: true });
    try {
      const refused = await openStream(`${server.url}/api/notifications/stream`, { cookie: alice });
      expect(hold.reached).toBe(true);
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe("internal");
      // The next try opens as usual.
      const next = await openStream(`${server.url}/api/notifications/stream`, { cookie: alice });
      try {
        expect(next.status).toBe(200);
        await until(() => next.events.some((e) => e.data?.type === "connected"), 5000, "connected");
      } finally {
        next.close();
      }
    } finally {
      Object.assign(hold, { armed: false, fail: false });
    }
  });

  it("is the Last-Event-ID when one is sent: no read, and what follows it is replayed", async () => {
    Object.assign(hold, { armed: true, reached: false });
    try {
      const resumed = await openStream(`${server.url}/api/notifications/stream`, { cookie: alice, "last-event-id": "0" });
      try {
        expect(resumed.status).toBe(200);
        await until(() => resumed.events.some((e) => e.data?.message === "stored after the headers"), 5000, "replay from id 0");
        expect(resumed.events.filter((e) => e.data?.type === "system").map((e) => e.data.message)).toEqual(["stored while the stream opened", "stored after the headers"]);
        expect(hold.reached).toBe(false);
      } finally {
        resumed.close();
      }
    } finally {
      hold.armed = false;
    }
  });
});
