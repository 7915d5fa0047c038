import type { Request, Response } from "express";

export type SseEvent = { id?: string; event?: string; data: unknown };

export type SseStream = {
  send(e: SseEvent): void;
  close(): void;
  readonly closed: boolean;
  onClose(fn: () => void): void;
};

/** A slow reader may fall this far behind before its stream is dropped (it reconnects with Last-Event-ID). */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * Turns a response into a Server-Sent Events stream: the headers proxies need to pass it through
 * unbuffered, a `:` heartbeat comment every `heartbeatMs`, no socket timeout, and every listener and
 * timer removed when either side closes.
 */
export function openSse(req: Request, res: Response, opts: { heartbeatMs: number }): SseStream {
  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",
    Connection: "keep-alive",
  });
  res.flushHeaders();
  req.socket.setTimeout(0);
  req.socket.setNoDelay(true);
  req.socket.setKeepAlive(true);

  let closed = false;
  const closers: (() => void)[] = [];
  const write = (chunk: string) => {
    if (closed) return;
    res.write(chunk);
    if (res.writableLength > MAX_BUFFERED_BYTES) stream.close();
  };
  const heartbeat = setInterval(() => write(":\n\n"), opts.heartbeatMs);

  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    req.off("close", finish);
    res.off("close", finish);
    for (const fn of closers.splice(0)) fn();
  };
  req.on("close", finish);
  res.on("close", finish);

  const stream: SseStream = {
    send(e) {
      let out = "";
      if (e.event) out += `event: ${e.event}\n`;
      if (e.id !== undefined) out += `id: ${e.id}\n`;
      out += `data: ${JSON.stringify(e.data)}\n\n`;
      write(out);
    },
    close() {
      if (closed) return;
      finish();
      res.end();
    },
    get closed() {
      return closed;
    },
    onClose(fn) {
      if (closed) fn();
      else closers.push(fn);
    },
  };
  return stream;
}

/** The Last-Event-ID a reconnecting client sent, if it is a plain event id. */
export function lastEventId(req: Request): string | undefined {
  const v = req.headers["last-event-id"];
  return typeof v === "string" && /^\d{1,18}$/.test(v) ? v : undefined;
}
