import type { Socket } from "socket.io";
import type { z } from "zod";
import type { Ack } from "../chat/types";
import { isAppError } from "../errors";
import { contextOf, type ConnectionContext } from "./context";
import { describeZodError } from "./schemas";

type AnySocket = Socket<any, any, any, any>;

/** A client→server event and its listener. One listener function serves every connection. */
export type Route = readonly [event: string, listener: (this: AnySocket, ...args: unknown[]) => void];

/**
 * Declares one client→server event: takes the ack callback off the end (if any), validates the payload,
 * runs `fn` with the connection's context, and answers the ack exactly once. Without an ack a bad payload
 * is dropped and logged at warn. Nothing thrown here can reach the process: unknown errors are logged and
 * answered as `internal`. Events that arrive before the connection caught up wait for it, in order.
 *
 * The listener is created once, not per connection (Socket.IO calls it with `this` = the socket), so an
 * idle connection costs no closures for its handlers.
 */
export function route<S extends z.ZodType, R>(
  event: string,
  schema: S,
  fn: (ctx: ConnectionContext, payload: z.infer<S>) => Promise<R>,
): Route {
  function run(ctx: ConnectionContext, args: unknown[]) {
    const { log, socket } = ctx;
    const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (r: Ack<R>) => void) : undefined;
    const reply = (r: Ack<R>) => {
      try {
        ack?.(r);
      } catch (err) {
        log.warn({ err, event }, "ack failed");
      }
    };
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) {
      const message = describeZodError(parsed.error);
      if (!ack) log.warn({ event, socketId: socket.id, user: socket.data.name, reason: message }, "dropped malformed event");
      return reply({ ok: false, error: { code: "bad_request", message } });
    }
    fn(ctx, parsed.data).then(
      (data) => reply({ ok: true, data }),
      (err: unknown) => {
        if (isAppError(err)) {
          if (err.code === "internal") log.error({ err, event }, "event failed");
          else log.debug({ event, code: err.code, reason: err.message }, "event refused");
          return reply({ ok: false, error: { code: err.code, message: err.message } });
        }
        log.error({ err, event, socketId: socket.id, user: socket.data.name }, "event failed");
        reply({ ok: false, error: { code: "internal", message: "internal error" } });
      },
    );
  }
  function listener(this: AnySocket, ...args: unknown[]) {
    const ctx = contextOf(this);
    if (!ctx) return;
    if (ctx.ready) void ctx.ready.then(() => run(ctx, args));
    else run(ctx, args);
  }
  return [event, listener];
}
