/**
 * The request log line (pino-http in lib/http/app.ts): method, path, status and time, no headers. The
 * default response serializer logged every response header, a page's whole Content-Security-Policy
 * included: lines of 600-1,300 characters (from a new-user trial).
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { createHttpApp } from "@/lib/http/app";

it("logs a request's method, path and status without its headers", async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const log = pino({ level: "info" }, sink);
  const app = createHttpApp({ log, ready: async () => undefined, maxPayloadBytes: 1024, trustProxy: false });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    // (Not a probe: /healthz and /readyz are not logged as requests.)
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/nothing-here?q=not-logged`, { headers: { cookie: "hibiki_session=secret" } });
    expect(res.status).toBe(404);
    const waitFor = async () => {
      for (let i = 0; i < 100 && !lines.some((l) => l.includes("request completed")); i++) await new Promise((r) => setImmediate(r));
    };
    await waitFor();
    const record = JSON.parse(lines.find((l) => l.includes("request completed"))!);
    expect(record).toMatchObject({ module: "http", req: { method: "GET", path: "/api/nothing-here" }, res: { statusCode: 404 } });
    expect(record.res).toEqual({ statusCode: 404 });
    expect(record.req.headers).toBeUndefined();
    const line = lines.find((l) => l.includes("request completed"))!;
    expect(line).not.toMatch(/x-content-type-options|x-request-id|secret|not-logged/i);
    expect(line.length).toBeLessThan(400);
  } finally {
    server.close();
  }
});
