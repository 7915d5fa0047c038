import { performance } from "node:perf_hooks";
import { RateLimiterRes } from "rate-limiter-flexible";
import { limitKeyOf, rateLimited, takeFor } from "../limits";
import type { z } from "zod";
import type { Ack } from "../chat/types";
import { errorBody, isAppError, unavailableAnswer } from "../errors";
import type { LimitName } from "../limits";
import type { ConnectionContext } from "./context";
import type { AckFn, ClientToServerEvents } from "./events";
import { describeZodError } from "../validation";

/** A client→server event and what handles it (`args`: the event's arguments, the ack callback last). */
export type Route = { readonly event: string; readonly run: (ctx: ConnectionContext, args: unknown[]) => Promise<void> | void };

/** The payload of client→server event `E` (`undefined` for an event that takes only the ack). */
export type PayloadOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]> extends [infer P, AckFn<any>] ? P : undefined;
/** What the ack of client→server event `E` carries on success. */
export type AckDataOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]> extends [...unknown[], AckFn<infer T>] ? T : never;

/**
 * Declares one client→server event: takes the ack callback off the end (if any), validates the payload,
 * runs `fn` with the connection's context, and answers the ack exactly once. Without an ack a bad payload
 * is dropped and logged at warn. Nothing thrown here can reach the process: unknown errors are logged and
 * answered as `internal`.
 *
 * With `opts.limit`, a valid event first takes a point of that row of the limiter table (lib/limits.ts)
 * for the user (takeFor), and is answered `rate_limited` with `retryAfter` (seconds) when there is none left.
 * With `opts.timed`, the time from the start of handling to the ack goes to the connection's probes.
 * With `opts.heavy` (the answer is a page of messages), at most MAX_PENDING_PAGES run at once per
 * connection; past them the request is answered `rate_limited` (`retryAfter` 1) without running.
 *
 * Routes are created once, not per connection: one router per connection looks them up (see
 * `createRouter`), so an idle connection costs no closures or listeners for its handlers.
 */
export function route<E extends keyof ClientToServerEvents, S extends z.ZodType<PayloadOf<E>>>(
  event: E,
  schema: S,
  fn: (ctx: ConnectionContext, payload: z.infer<S>) => Promise<AckDataOf<E>>,
  opts: { limit?: LimitName; timed?: boolean; heavy?: boolean } = {},
): Route {
  type R = AckDataOf<E>;
  const { limit, timed, heavy } = opts;
  function run(ctx: ConnectionContext, args: unknown[]): Promise<void> | void {
    const { log, socket } = ctx;
    const started = timed && ctx.probes ? performance.now() : 0;
    const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (r: Ack<R>) => void) : undefined;
    const reply = (r: Ack<R>) => {
      if (started && ack) ctx.probes!.acked((performance.now() - started) / 1000);
      try {
        ack?.(r);
      } catch (err) {
        log.warn({ err, event }, "ack failed");
      }
    };
    if (args.some((a) => containsBinary(a, 0))) {
      if (!ack) log.warn({ event, socketId: socket.id, user: socket.data.name }, "dropped an event carrying binary data");
      return reply({ ok: false, error: { code: "bad_request", message: BINARY_REFUSED } });
    }
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) {
      const message = describeZodError(parsed.error);
      if (!ack) log.warn({ event, socketId: socket.id, user: socket.data.name, reason: message }, "dropped malformed event");
      return reply({ ok: false, error: { code: "bad_request", message } });
    }
    if (heavy) {
      if (ctx.pendingPages >= MAX_PENDING_PAGES) return reply({ ok: false, error: busy(MAX_PENDING_PAGES) });
      ctx.pendingPages++;
    }
    const allowed = limit ? takeFor(ctx.limits, limit, ctx.user) : Promise.resolve();
    const answered = allowed.then(() => fn(ctx, parsed.data)).then(
      (data) => reply({ ok: true, data }),
      (thrown: unknown) => {
        // A backing service not answering (the database, Redis) is "try again shortly", not a fault.
        const err = unavailableAnswer(thrown) ?? thrown;
        if (isAppError(err)) {
          if (err.code === "internal") log.error({ err, event }, "event failed");
          else if (err.code === "unavailable") log.error({ err: err.cause ?? err, event }, `event failed: ${err.message}`);
          else log.debug({ event, code: err.code, reason: err.message }, "event refused");
          return reply({ ok: false, error: errorBody(err) });
        }
        log.error({ err, event, socketId: socket.id, user: socket.data.name }, "event failed");
        reply({ ok: false, error: { code: "internal", message: "internal error" } });
      },
    );
    return heavy ? answered.finally(() => void ctx.pendingPages--) : answered;
  }
  return { event, run };
}

/** Files go over HTTP, where they are streamed, sniffed and limited; never in a Socket.IO event. */
export const BINARY_REFUSED = "binary data is not accepted over Socket.IO: upload files with POST /api/rooms/:room/uploads and send their ids as attachments";

/** Whether a decoded event argument holds binary data (Socket.IO decodes binary attachments to Buffers). */
function containsBinary(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== "object" || depth > 8) return false;
  if (Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.some((v) => containsBinary(v, depth + 1));
}

/**
 * Events one connection may have in progress at once (taken in, not yet answered). Past it an event is
 * answered `rate_limited` at once, without running: Socket.IO has no flow control of its own, and a
 * client that sent `history` requests faster than they were answered (or never read the answers) held
 * every one of them, and then its answer, in the server's memory: 1,430 pages of 1.6 MB in 15 s took the
 * process past 2 GB. Sends may be pipelined (the bench's senders keep 64 unacked; each holds one text);
 * of the requests whose answer is a page of messages (`heavy` routes) at most MAX_PENDING_PAGES.
 */
export const MAX_PENDING_EVENTS = 128;
/** Requests answered with a page of up to 100 messages (history, thread pages, changes, a join) one connection may have in progress. */
export const MAX_PENDING_PAGES = 8;

/**
 * How many bytes of answers and events may wait to be written to one connection before the next event
 * it sends closes it: a client that does not read what it is sent would otherwise make the server hold
 * everything it asks for. Socket.IO's heartbeat does not catch it (the client may still answer pings).
 */
export const MAX_UNREAD_BYTES = 8 * 1024 * 1024;

/** The ws WebSocket under `socket` (engine.io's websocket transport), or undefined while it long-polls. */
const webSocketOf = (socket: ConnectionContext["socket"]) =>
  (socket.conn as unknown as { transport?: { socket?: { bufferedAmount?: number; terminate?: () => void } } }).transport?.socket;

/**
 * Bytes waiting to go out to `socket`: what its WebSocket has buffered (ws `bufferedAmount`: Node's
 * write queue and ws's own) plus the packets engine.io holds for the next write or long-poll, counted
 * until `cap` is passed.
 */
export function unreadBytes(socket: ConnectionContext["socket"], cap = MAX_UNREAD_BYTES): number {
  let bytes = webSocketOf(socket)?.bufferedAmount ?? 0;
  for (const packet of (socket.conn as unknown as { writeBuffer?: { data?: unknown }[] }).writeBuffer ?? []) {
    if (bytes > cap) break;
    const data = packet.data;
    bytes += typeof data === "string" ? data.length : data instanceof Uint8Array ? data.byteLength : 16;
  }
  return bytes;
}

/**
 * Makes the Socket.IO middleware that dispatches every incoming event of a connection through the route
 * table (built once), and answers an unknown event with `bad_request`. Events never reach Socket.IO's emitter (the
 * middleware does not call `next`), so there is one listener per connection instead of one per event.
 * Events that arrive before the connection caught up wait for it, in order. Flow control: a connection
 * with more than MAX_UNREAD_BYTES waiting to be written to it is closed when it sends its next event;
 * past MAX_PENDING_EVENTS events in progress, an event is answered `rate_limited` without running; an
 * event whose connection closed while it waited for the catch-up is dropped (and see MAX_PENDING_PAGES).
 */
export function createRouter(routes: readonly Route[]) {
  const table = new Map(routes.map((r) => [r.event, r.run]));
  return (ctx: ConnectionContext) => (packet: unknown[], _next: (err?: Error) => void) => {
    const [event, ...args] = packet;
    const { socket } = ctx;
    if (unreadBytes(socket) > MAX_UNREAD_BYTES) {
      ctx.log.warn({ socketId: socket.id, user: ctx.user.name }, "closed a connection that does not read what it is sent");
      // At once: a WebSocket's close handshake would wait (30 s) behind the very bytes it does not read.
      const ws = webSocketOf(socket);
      socket.disconnect(true);
      ws?.terminate?.();
      return;
    }
    if (ctx.pending >= MAX_PENDING_EVENTS) return refuseBusy(args);
    ctx.pending++;
    const done = () => void ctx.pending--;
    const run = typeof event === "string" ? table.get(event) : undefined;
    const handle = () => {
      if (!socket.connected) return done();
      let result: Promise<void> | void;
      try {
        result = run ? run(ctx, args) : unknownEvent(ctx, event, args);
      } catch (err) {
        done();
        ctx.log.error({ err, event: String(event).slice(0, 64), socketId: socket.id }, "event failed");
        return;
      }
      void Promise.resolve(result).then(done, done);
    };
    const go = () => (ctx.ready ? void ctx.ready.then(handle) : void handle());
    // The user's `socket-events` budget (a memory limiter: it answers in order, so events stay in order).
    const budget = ctx.limits.limiter("socket-events");
    if (!budget) return go();
    budget.consume(limitKeyOf(ctx.user)).then(go, (res: unknown) => {
      done();
      overBudget(ctx, res, args);
    });
  };
}

/**
 * An event past the user's `socket-events` row: answered `rate_limited`; a connection that sent it with
 * twice the row's points taken in the window is closed instead (logged once per connection), so a
 * client that ignores the refusals stops costing the event loop its every frame.
 */
function overBudget(ctx: ConnectionContext, res: unknown, args: unknown[]) {
  if (!(res instanceof RateLimiterRes)) return ctx.log.error({ err: res }, "socket-events limiter failed");
  const { points } = ctx.limits.rule("socket-events");
  if (res.consumedPoints > 2 * points) {
    if (!ctx.socket.connected) return;
    ctx.log.warn({ socketId: ctx.socket.id, user: ctx.user.name }, "closed a connection that sends events past its rate limit");
    ctx.socket.disconnect(true);
    return;
  }
  const ack = args[args.length - 1];
  if (typeof ack === "function") ack({ ok: false, error: errorBody(rateLimited("events", res.msBeforeNext)) });
}

/** The refusal of a request past one of the in-progress caps (`max` of them). */
const busy = (max: number) => ({ code: "rate_limited" as const, message: `too many requests at once on this connection (at most ${max} of this kind); wait for the answers`, retryAfter: 1 });

function refuseBusy(args: unknown[]) {
  const ack = args[args.length - 1];
  if (typeof ack === "function") ack({ ok: false, error: busy(MAX_PENDING_EVENTS) });
}

/**
 * Answers an unknown event `bad_request`. The first of a connection is logged, then every 1,000th with the
 * count: one connection's flood of them wrote 10,000 lines a second (1.9 MB/s) and pushed everything else
 * out of the admin's live log (a security trial).
 */
function unknownEvent(ctx: ConnectionContext, event: unknown, args: unknown[]) {
  const shown = String(event).slice(0, 64);
  const count = (ctx.unknownEvents = (ctx.unknownEvents ?? 0) + 1);
  if (count === 1 || count % 1000 === 0) ctx.log.warn({ socketId: ctx.socket.id, user: ctx.user.name, event: shown, count }, "unknown event");
  const ack = args[args.length - 1];
  if (typeof ack === "function") ack({ ok: false, error: { code: "bad_request", message: `unknown event "${shown}"` } });
}
