import type { Socket } from "socket.io-client";
import { recordingLogger } from "../helpers/log-records";
import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, request, startTestServer, until, type TestServer } from "../helpers/server";

/**
 * The `socket-events` row: every Socket.IO event one user sends to the instance, over all their
 * connections, takes a point; past it an event is answered `rate_limited` without running, and a
 * connection that goes on to twice the points in the window is closed. A security trial flooded one
 * server from one account's 20 connections (unknown events, `typing`, `history`: about 10,000 a second,
 * nearly all refused) and another user's one-message `history` took 200-900 ms; the unknown events also
 * wrote a warning line each (1.9 MB of log a second). The row is lowered here to 40 in 60 s so the test
 * sends few events.
 */
type LogRecord = { level: number; msg: string; count?: number; user?: string };
const POINTS = 40;
let server: TestServer;
let records: LogRecord[];
let bob: string;
let carol: string;

beforeAll(async () => {
  const recording = recordingLogger<LogRecord>();
  records = recording.records;
  const log = recording.log;
  server = await startTestServer({ linkPreviews: false, rateLimits: { "socket-events": { points: POINTS, duration: 60 } } }, { log });
  const admin = await setupAdmin(server, "admin");
  bob = await joinAs(server, admin, "bob");
  carol = await joinAs(server, admin, "carol");
}, 120_000);
afterAll(() => server.close());

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie } });
const closed = (socket: Socket) => new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));

it("answers a user's events past the row rate_limited over all their connections, closes a connection that keeps on, and leaves others alone", async () => {
  const tabs = [await as(bob), await as(bob)];
  const carolSocket = await as(carol);
  await call(carolSocket, "join-room", "general");
  // Known and unknown events alike take a point, from both of bob's connections.
  const answers = [];
  for (let i = 0; i < POINTS + 5; i++) {
    const tab = tabs[i % 2];
    answers.push(await (i % 3 === 0 ? request(tab, "list-rooms") : request(tab, `no-such-event-${i}`)));
  }
  const codes = answers.map((a) => (a.ok ? "ok" : a.error.code));
  expect(codes.slice(0, POINTS).every((c) => c === "ok" || c === "bad_request")).toBe(true);
  expect(codes.slice(POINTS)).toEqual(Array(5).fill("rate_limited"));
  const refused = answers[POINTS];
  expect(refused.ok).toBe(false);
  if (!refused.ok) expect(refused.error.retryAfter).toBeGreaterThan(0);

  // Carol has a budget of her own.
  expect((await request(carolSocket, "history", { room: "general", limit: 1 })).ok).toBe(true);

  // Bob's connection that goes on past twice the row is closed by the server; his other one is answered,
  // refused, until it goes past too.
  const gone = closed(tabs[0]);
  for (let i = 0; i < POINTS; i++) tabs[0].emit("typing", { room: "general" });
  expect(await gone).toBe("io server disconnect");
  expect(tabs[1].connected).toBe(true);
  expect(records.filter((r) => r.msg === "closed a connection that sends events past its rate limit" && r.user === "bob")).toHaveLength(1);
  expect((await request(carolSocket, "list-rooms")).ok).toBe(true);
});

it("logs a connection's unknown events once, with a count every thousandth, not a line each", async () => {
  // Carol's row has room for these (her few events above, and these ten).
  const before = records.filter((r) => r.msg === "unknown event").length;
  const socket = await as(carol);
  for (let i = 0; i < 10; i++) {
    const answer = await request(socket, `made-up-${i}`);
    expect(answer.ok ? "ok" : answer.error.code).toBe("bad_request");
  }
  await until(() => records.filter((r) => r.msg === "unknown event").length > before, 5000, "the first unknown event's log line");
  const lines = records.filter((r) => r.msg === "unknown event").slice(before);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ user: "carol", count: 1 });
});
