import type { Socket } from "socket.io";

/** A broadcast this instance delivered while some connection was being restored. */
type Entry = { offset: unknown; rooms: Set<string>; except: Set<string>; deliver: (socket: Socket) => void };
/** One restore in progress: where in the log it began, and the offsets its missed packets carried. */
type Capture = { start: number; missed?: Set<unknown>; timer?: NodeJS.Timeout };

type BroadcastOpts = { rooms: Set<string>; except?: Set<string>; flags?: { volatile?: boolean } };
type AdapterInternals = {
  apply(opts: BroadcastOpts, callback: (socket: Socket) => void): void;
  _encode(packet: { id?: number; data?: unknown[] }, opts: unknown): unknown;
  restoreSession(pid: string, offset: string): Promise<{ missedPackets: unknown[][] } | null> | null;
};

/**
 * Closes the gap of connection-state recovery: Socket.IO restores a session (reads the packets the
 * client missed) before the handshake middlewares run, but a broadcast reaches only connected sockets,
 * so what was broadcast between that read and the end of the middlewares (the identity lookup, the
 * connect throttle's queue, the access checks of guardRecovery) never reached the restored connection,
 * though it came back "recovered". While a restore is under way this keeps the broadcasts delivered
 * here in one log; `release(socket)`, called when the connection is established, sends it those it
 * would have got (by its rooms now) that were not among its missed packets (by their offset), oldest
 * first. Volatile broadcasts are not kept. Costs nothing while no connection is being restored.
 *
 * `adapter` is the namespace's adapter (in-memory or cluster); call this before anything else wraps
 * its `restoreSession`. `maxWaitMs`: how long a restore may wait for its connection (the connect timeout).
 */
export function closeRecoveryGap(adapter: unknown, maxWaitMs: number) {
  const internals = adapter as AdapterInternals;
  const log: Entry[] = [];
  let base = 0; // the index of log[0] since the start
  const captures = new Map<string, Capture>();
  let broadcasting: { id?: number; data?: unknown[] } | undefined;

  const trim = () => {
    if (captures.size === 0) {
      base += log.length;
      log.length = 0;
      return;
    }
    const oldest = Math.min(...[...captures.values()].map((c) => c.start));
    if (oldest > base) {
      log.splice(0, oldest - base);
      base = oldest;
    }
  };
  const end = (pid: string) => {
    const capture = captures.get(pid);
    if (!capture) return undefined;
    clearTimeout(capture.timer);
    captures.delete(pid);
    trim();
    return capture;
  };

  const encode = internals._encode;
  internals._encode = function (packet, opts) {
    broadcasting = packet;
    return encode.call(this, packet, opts);
  };
  const apply = internals.apply;
  internals.apply = function (opts, callback) {
    const packet = broadcasting;
    broadcasting = undefined;
    apply.call(this, opts, callback);
    // Not a broadcast (joins, leaves, fetchSockets), nothing being restored, or one that is not kept
    // for recovery either: volatile, or waiting for acknowledgements.
    if (!packet || captures.size === 0 || opts.flags?.volatile || packet.id !== undefined) return;
    log.push({ offset: packet.data?.at(-1), rooms: new Set(opts.rooms), except: new Set(opts.except ?? []), deliver: callback });
  };
  const restore = internals.restoreSession.bind(internals);
  internals.restoreSession = async (pid, offset) => {
    end(pid);
    const capture: Capture = { start: base + log.length };
    captures.set(pid, capture);
    try {
      const session = await restore(pid, offset);
      if (!session) end(pid);
      else {
        capture.missed = new Set(session.missedPackets.map((data) => data.at(-1)));
        capture.timer = setTimeout(() => end(pid), maxWaitMs);
        capture.timer.unref();
      }
      return session;
    } catch (err) {
      end(pid);
      throw err;
    }
  };

  return {
    /**
     * Sends a connection that was just established (`connection`, before anything else is sent to it)
     * what was broadcast to its rooms while it was being restored; nothing for any other connection.
     */
    release(socket: Socket) {
      const pid = (socket as unknown as { pid?: string }).pid;
      if (!socket.recovered || !pid) return;
      const from = captures.get(pid)?.start;
      const missed = captures.get(pid)?.missed;
      const entries = from === undefined ? [] : log.slice(from - base);
      end(pid);
      const rooms = socket.rooms;
      for (const e of entries) {
        if (missed?.has(e.offset)) continue;
        if ([...e.except].some((r) => rooms.has(r))) continue;
        if (e.rooms.size > 0 && ![...e.rooms].some((r) => rooms.has(r))) continue;
        e.deliver(socket);
      }
    },
    /** Restores under way (tests). */
    get pending() {
      return captures.size;
    },
  };
}
