import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A local HTTP server playing a third-party website: what it was asked (`hits`) and which responses closed. */
export type Site = { server: Server; port: number; hits: string[]; closed: string[]; origin: string };

/** Starts a site on 127.0.0.1, port 0, answering with `routes`. */
export async function site(routes: (req: IncomingMessage, res: ServerResponse) => void): Promise<Site> {
  const hits: string[] = [];
  const closed: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    res.on("close", () => closed.push(req.url ?? ""));
    routes(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { server, port, hits, closed, origin: `http://127.0.0.1:${port}` };
}

/** Stops a site, cutting open connections (a page that never ends, a held answer). */
export function stopSite(s: Site): Promise<unknown> {
  s.server.closeAllConnections();
  return new Promise((r) => s.server.close(r));
}
