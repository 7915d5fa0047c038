/**
 * A push waiting in the queue (for a retry after the push service's 429) is not sent once its message
 * was deleted: the deleted text never reaches a lock screen later.
 */
import { pushWorld } from "../helpers/push";
import { call, until, type TestServer } from "../helpers/server";
import { pendingPushes } from "../../lib/push/queue";

const servers: TestServer[] = [];
const endpoints: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const e of endpoints.splice(0)) await e.close();
});

it.each([
  ["a direct message", "dm"],
  ["a mention", "general"],
])("drops the pushes of %s deleted while they wait for a retry, and sends the next message's", async (_, where) => {
  // The service answers the first request 429 (retry in 2 s), then accepts.
  const w = await pushWorld({ servers, endpoints }, { status: (_p, n) => (n === 1 ? { code: 429, headers: { "retry-after": "2" } } : { code: 201 }) });
  const room = where === "dm" ? w.dm : "general";
  if (where !== "dm") await call(w.aliceSocket, "join-room", room);
  const text = where === "dm" ? "the secret plan" : "@bob the secret plan";
  const { message } = await w.say(room, text);
  await until(() => w.endpoint.received.length === 1, 10_000, "the first attempt");
  expect(w.bobBrowser.decrypt(w.endpoint.received[0].body).message).toBe(text);
  await until(async () => (await pendingPushes(w.server.db)) === 1, 5000, "the push to wait for its retry");

  await call(w.aliceSocket, "delete-message", { room, id: message.id });
  await until(async () => (await pendingPushes(w.server.db)) === 0, 10_000, "the waiting push to go");
  // A later message is pushed as usual, and is the only thing received after the first attempt.
  await w.say(room, where === "dm" ? "hello again" : "@bob hello again");
  await until(() => w.endpoint.received.length === 2, 10_000, "the next push");
  expect(w.endpoint.received.map((r) => w.bobBrowser.decrypt(r.body).message)).toEqual([text, where === "dm" ? "hello again" : "@bob hello again"]);
});
