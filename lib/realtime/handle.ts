import { performance } from "node:perf_hooks";
import type { z } from "zod";
import type { Ack } from "../chat/types";
import { errorBody, isAppError } from "../errors";
import type { LimitName } from "../limits";
import type { ConnectionContext } from "./context";
import type { AckFn, ClientToServerEvents } from "./events";
import { describeZodError } from "../validation";

/** A client→server event and what handles it (`args`: the event's arguments, the ack callback last). */
export type Route = { readonly event: string; readonly run: (ctx: ConnectionContext, args: unknown[]) => void };

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
 * for the user, and is answered `rate_limited` with `retryAfter` (seconds) when there is none left.
 * With `opts.timed`, the time from the start of handling to the ack goes to the connection's probes.
 *
 * Routes are created once, not per connection: one router per connection looks them up (see
 * `createRouter`), so an idle connection costs no closures or listeners for its handlers.
 */
export function route<E extends keyof ClientToServerEvents, S extends z.ZodType<PayloadOf<E>>>(
  event: E,
  schema: S,
  fn: (ctx: ConnectionContext, payload: z.infer<S>) => Promise<AckDataOf<E>>,
  opts: { limit?: LimitName; timed?: boolean } = {},
): Route {
  type R = AckDataOf<E>;
  const { limit, timed } = opts;
  function run(ctx: ConnectionContext, args: unknown[]) {
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
    const allowed = limit ? ctx.limits.take(limit, ctx.user.id) : Promise.resolve();
    allowed.then(() => fn(ctx, parsed.data)).then(
      (data) => reply({ ok: true, data }),
      (err: unknown) => {
        if (isAppError(err)) {
          if (err.code === "internal") log.error({ err, event }, "event failed");
          else log.debug({ event, code: err.code, reason: err.message }, "event refused");
          return reply({ ok: false, error: errorBody(err) });
        }
        log.error({ err, event, socketId: socket.id, user: socket.data.name }, "event failed");
        reply({ ok: false, error: { code: "internal", message: "internal error" } });
      },
    );
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
 * Makes the Socket.IO middleware that dispatches every incoming event of a connection through the route
 * table (built once), and answers an unknown event with `bad_request`. Events never reach Socket.IO's emitter (the
 * middleware does not call `next`), so there is one listener per connection instead of one per event.
 * Events that arrive before the connection caught up wait for it, in order.
 */
export function createRouter(routes: readonly Route[]) {
  const table = new Map(routes.map((r) => [r.event, r.run]));
  return (ctx: ConnectionContext) => (packet: unknown[], _next: (err?: Error) => void) => {
    const [event, ...args] = packet;
    const run = typeof event === "string" ? table.get(event) : undefined;
    const handle = run ? () => run(ctx, args) : () => unknownEvent(ctx, event, args);
    if (ctx.ready) void ctx.ready.then(handle);
    else handle();
  };
}

function unknownEvent(ctx: ConnectionContext, event: unknown, args: unknown[]) {
  const shown = String(event).slice(0, 64);
  ctx.log.warn({ socketId: ctx.socket.id, user: ctx.user.name, event: shown }, "unknown event");
  const ack = args[args.length - 1];
  if (typeof ack === "function") ack({ ok: false, error: { code: "bad_request", message: `unknown event "${shown}"` } });
}
