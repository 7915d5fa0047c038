import net from "node:net";
import type { Server } from "node:http";

/** The listening address could not be bound; `message` is one line for the operator, naming HOST and PORT. */
export class ListenError extends Error {
  constructor(
    readonly code: string | undefined,
    readonly host: string,
    readonly port: number,
    cause: unknown,
  ) {
    super(listenProblem(code, host, port, cause), { cause });
    this.name = "ListenError";
  }
}

function listenProblem(code: string | undefined, host: string, port: number, cause: unknown): string {
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  if (code === "EADDRINUSE") return `cannot listen on ${where} (HOST:PORT): the port is already in use by another process; stop it or set PORT to a free port`;
  if (code === "EACCES") return `cannot listen on ${where} (HOST:PORT): permission denied (ports below 1024 need privileges); set PORT to 1024 or above`;
  if (code === "EADDRNOTAVAIL") return `cannot listen on ${where} (HOST:PORT): HOST is not an address of this machine`;
  return `cannot listen on ${where} (HOST:PORT): ${(cause as Error)?.message ?? String(cause)}`;
}

/**
 * Binds `server` to `host`:`port`; a failure rejects with a ListenError. The error listener stays until
 * the bind is settled, so no second `error` event of the attempt goes unhandled (and crashes the process
 * with a stack after the failure was reported).
 */
export function listen(server: Server | net.Server, opts: { host: string; port: number; backlog?: number }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      server.off("listening", listening);
      reject(new ListenError(err.code, opts.host, opts.port, err));
    };
    const listening = () => {
      server.off("error", failed);
      resolve();
    };
    server.on("error", failed);
    server.once("listening", listening);
    server.listen({ port: opts.port, host: opts.host, backlog: opts.backlog });
  });
}

/**
 * Fails fast with the ListenError a bind of `host`:`port` would give, before the slow part of a start
 * (the database): binds a throwaway server there and closes it. A fixed port only (0 is always free).
 * It cannot reserve the port: another process taking it in between still fails the real bind.
 */
export async function checkCanListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  await listen(probe, { host, port });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
