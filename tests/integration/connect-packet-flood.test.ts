/**
 * A transport that sends more than MAX_CONNECT_PACKETS Socket.IO CONNECT packets in a window is closed:
 * Socket.IO runs every CONNECT through the middlewares (the connect throttle queued each one), and
 * answers those to a namespace that does not exist one by one. A security trial: 50 transports with no
 * credentials sent 840,000 CONNECTs in 20 s; nobody could connect for 40 s and a connected user's
 * `history` waited 30 s. Real clients send one CONNECT per connection.
 */
import WebSocket from "ws";
import { MAX_CONNECT_PACKETS } from "../../lib/realtime/server";
import { recordingLogger } from "../helpers/log-records";
import { call, connect, request, startTestServer, until, type TestServer } from "../helpers/server";

let server: TestServer;
const { log, records } = recordingLogger<{ msg: string }>("warn");
const capped = () => records.filter((r) => r.msg === "closed a transport that sent too many CONNECT packets").length;
beforeAll(async () => {
  server = await startTestServer({ guestAccess: true }, { log });
});
afterAll(() => server.close());

/** A raw WebSocket transport past Engine.IO's handshake; `frames` counts what the server sent after. */
async function transport() {
  const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`);
  const state = { open: false, closed: false, frames: 0, ws };
  ws.on("message", (data) => {
    if (String(data).startsWith("0{")) state.open = true; // Engine.IO's open packet
    else state.frames++;
    if (String(data) === "2") ws.send("3");
  });
  ws.on("close", () => (state.closed = true));
  await until(() => state.open, 5000, "the Engine.IO open packet");
  return state;
}

it.each([
  ["to the main namespace, with no credentials", "40"],
  ["with a guest's name", '40{"name":"flood"}'],
  ["to a namespace that does not exist", "40/nope,"],
  // A second trial: the parser reads the type with Number(firstChar), so white space is type 0 as well;
  // a count of frames starting with "0" let these through (nobody could connect for 45 s).
  ["written with a space for the type", "4 "],
  ["written with a tab and a body", "4\t{}"],
  ["written with a no-break space to a namespace", "4\u00a0/x,"],
])("closes a transport that floods CONNECT packets %s, and the others go on", async (_, frame) => {
  const bystander = await connect(server.url, { name: "bystander" });
  await call(bystander, "join-room", "general");
  const floods = await Promise.all([transport(), transport()]);
  const logged = capped();
  for (const f of floods) for (let i = 0; i < 2000 && f.ws.readyState === WebSocket.OPEN; i++) f.ws.send(frame);
  await until(() => floods.every((f) => f.closed), 5000, "the server to close the flooding transports");
  // The operator is told, once per transport closed, not once per packet.
  await until(() => capped() >= logged + 2, 2000, "a warning for each closed transport");
  expect(capped()).toBe(logged + 2);
  // Answered a few at most, never one each.
  for (const f of floods) expect(f.frames).toBeLessThanOrEqual(MAX_CONNECT_PACKETS + 1);
  expect((await request(bystander, "history", { room: "general", limit: 1 })).ok).toBe(true);
  // Someone new still gets in.
  const newcomer = await connect(server.url, { name: `newcomer-${frame.length}` });
  expect(newcomer.connected).toBe(true);
});

it("keeps a transport that sent no more CONNECTs than the limit (a client connecting again after a disconnect)", async () => {
  const t = await transport();
  const logged = capped();
  for (let i = 0; i < MAX_CONNECT_PACKETS; i++) t.ws.send("40/nope,");
  await until(() => t.frames >= MAX_CONNECT_PACKETS, 5000, "the answers");
  expect(t.closed).toBe(false);
  expect(capped()).toBe(logged);
  t.ws.close();
});
