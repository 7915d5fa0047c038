/**
 * A client that opens a transport (Engine.IO's handshake) and never asks to connect (no Socket.IO
 * CONNECT packet) is closed at CONNECT_PACKET_TIMEOUT_MS, not held for the two minutes a handshake may
 * spend waiting in the connect throttle: otherwise one address could keep thousands of silent
 * connections, and their memory, open. Real clients, which send CONNECT at once, are not affected.
 */
import WebSocket from "ws";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ guestAccess: true }, { connectPacketTimeoutMs: 400 });
});
afterAll(() => server.close());

/** A raw WebSocket transport that completes Engine.IO's handshake and then says nothing. */
async function silentTransport() {
  const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`);
  const state = { open: false, closed: false };
  ws.on("message", (data) => {
    if (String(data).startsWith("0{")) state.open = true; // Engine.IO's open packet
    if (String(data) === "2") ws.send("3"); // answer pings, as a live client does
  });
  ws.on("close", () => (state.closed = true));
  await until(() => state.open, 5000, "the Engine.IO open packet");
  return state;
}

it("closes a transport that never sends its CONNECT packet, and keeps the clients that did", async () => {
  const silent = await Promise.all([silentTransport(), silentTransport()]);
  const client = await connect(server.url, { name: "talker" });
  await until(() => silent.every((s) => s.closed), 5000, "the server to close the silent transports");
  expect(client.connected).toBe(true);
  // Still fully usable after the deadline passed.
  expect(await call(client, "join-room", "general")).toMatchObject({ room: { name: "general" } });
  expect(client.connected).toBe(true);
});
