import type { Socket } from "socket.io";
import type { z } from "zod";
import type { Ack } from "../chat/types";
import { isAppError } from "../errors";
import type { Logger } from "../log";
import { describeZodError } from "./schemas";

type AnySocket = Socket<any, any, any, any>;

/**
 * Registers one client→server event: takes the ack callback off the end (if any), validates the payload,
 * runs `fn`, and answers the ack exactly once. Without an ack a bad payload is dropped and logged at warn.
 * Nothing thrown here can reach the process: unknown errors are logged and answered as `internal`.
 */
export function handle<S extends z.ZodType, R>(
  socket: AnySocket,
  log: Logger,
  event: string,
  schema: S,
  fn: (payload: z.infer<S>) => Promise<R>,
): void {
  socket.on(event, (...args: unknown[]) => {
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
    fn(parsed.data).then(
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
  });
}
