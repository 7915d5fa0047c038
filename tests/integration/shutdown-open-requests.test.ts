/**
 * A graceful shutdown does not wait for HTTP requests that never finish arriving (a stalled upload, a
 * client that sent half its headers): it answers what it is answering and ends the rest, well within
 * SHUTDOWN_TIMEOUT_MS (it waited for them until the deadline, then exited with "shutdown took too long").
 */
import net from "node:net";
import { startTestServer } from "../helpers/server";

it("closes with a request half sent, and a body announced but never sent, open", async () => {
  const server = await startTestServer({});
  const open: net.Socket[] = [];
  for (const raw of ["GET /api/session HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n", "POST /api/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"]) {
    const sock = net.connect(server.port, "127.0.0.1");
    sock.on("error", () => undefined);
    await new Promise<void>((r) => sock.once("connect", () => r()));
    sock.write(raw);
    open.push(sock);
  }
  const started = Date.now();
  await server.close();
  // A grace of a quarter of SHUTDOWN_TIMEOUT_MS (10 s here), at most 2 s, for requests under way.
  expect(Date.now() - started).toBeLessThan(4000);
  for (const s of open) s.destroy();
}, 30_000);
