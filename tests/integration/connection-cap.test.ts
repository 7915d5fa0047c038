/**
 * MAX_CONNECTIONS_PER_ADDRESS: one client address holds at most so many open connections, whatever they
 * are (slow request bodies, idle keep-alives, WebSockets); a proxy TRUST_PROXY names is not counted. An
 * outside trial held 19,800 connections from one address, each sending a request body slowly.
 */
import { connect as netConnect, type Socket } from "node:net";
import { Writable } from "node:stream";
import { createLogger } from "../../lib/log";
import { connect, startTestServer, until, type TestServer } from "../helpers/server";

jest.setTimeout(60_000);

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

/** A TCP connection to `server` that starts a sign-in and sends its body slowly (a byte now and then). */
function slowSender(server: TestServer): Promise<Socket & { closedByServer: boolean }> {
  const { port, host } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(port), "127.0.0.1", () => {
      socket.write(`POST /api/session HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
      resolve(s);
    }) as Socket & { closedByServer: boolean };
    const s = socket;
    s.closedByServer = false;
    s.on("end", () => (s.closedByServer = true));
    s.on("close", () => (s.closedByServer = true));
    s.on("error", reject);
    sockets.push(s);
  });
}

/** Whether a whole request on a new connection is answered (the connection was let in). */
async function answered(server: TestServer): Promise<boolean> {
  try {
    return (await fetch(`${server.url}/healthz`, { headers: { connection: "close" } })).status === 200;
  } catch {
    return false;
  }
}

describe("connections per client address", () => {
  it("refuses connection max + 1 from one address as it opens, and lets one in again when another closes; a WebSocket counts as one", async () => {
    let logged = "";
    const log = createLogger({ level: "warn", destination: new Writable({ write: (chunk, _e, cb) => ((logged += String(chunk)), cb()) }) });
    // Loopback is not a proxy here: 127.0.0.1 is a client address like any other.
    const server = await startTestServer({ trustProxy: false, maxConnectionsPerAddress: 5, guestAccess: true }, { log });
    try {
      const held = [];
      for (let i = 0; i < 4; i++) held.push(await slowSender(server));
      const ws = await connect(server.url, { name: "visitor" });
      // The address holds 5: the next is closed before it is read.
      const refused = await slowSender(server);
      await until(() => refused.closedByServer, 5000, "the sixth connection closed by the server");
      expect(await answered(server)).toBe(false);
      expect(held.every((s) => !s.closedByServer)).toBe(true);
      expect(ws.connected).toBe(true);
      expect(logged).toMatch(/"level":40.*connection refused: this address holds MAX_CONNECTIONS_PER_ADDRESS connections/);
      expect(logged.match(/connection refused/g)).toHaveLength(1); // once a minute per address, not per connection
      // One closes: a new one is let in.
      held[0].destroy();
      await until(() => answered(server), 5000, "a request answered once a connection closed");
    } finally {
      for (const s of sockets.splice(0)) s.destroy();
      await server.close();
    }
  });

  it("does not count a proxy TRUST_PROXY names (loopback by default): its clients are many", async () => {
    const server = await startTestServer({ maxConnectionsPerAddress: 3 });
    try {
      const held = [];
      for (let i = 0; i < 6; i++) held.push(await slowSender(server));
      expect(await answered(server)).toBe(true);
      expect(held.every((s) => !s.closedByServer)).toBe(true);
    } finally {
      for (const s of sockets.splice(0)) s.destroy();
      await server.close();
    }
  });
});
