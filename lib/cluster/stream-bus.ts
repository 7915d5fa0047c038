import type { Redis } from "ioredis";
import type { BusEvent, EventBus, Listener } from "../events/bus";
import { LocalBus } from "../events/bus";

/** Entries the bus's stream keeps (XADD MAXLEN ~): hours of sign-outs, bans and notifications; about 3 MB. */
export const BUS_STREAM_MAX_LEN = 10_000;
/** How long (ms) one XREAD waits for entries before asking again (the reader's connection is its own). */
const BLOCK_MS = 5_000;

/** The value of field `name` in a stream entry's `[field, value, …]` list. */
function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/**
 * The event bus across instances, on a Redis stream (`<prefix>:bus`), as the Socket.IO Redis streams adapter
 * carries broadcasts: every instance appends its events (XADD, capped at BUS_STREAM_MAX_LEN entries) and
 * reads everyone's from its last offset (XREAD BLOCK on a connection of its own). An instance cut off from
 * Redis for a while reads what it missed once it is back, in order: a sign-out, a ban, a removal or a
 * notification published meanwhile still closes that session's sockets and streams there, or reaches its
 * SSE streams (the adapter's inter-server events, which carried the bus before, are pub/sub and were lost
 * then). An event published while this instance's own link is down waits in the client's offline queue.
 * Local listeners get every event at once; an instance skips its own entries when it reads them back.
 *
 * `client`: the commands' connection (offline queue on); its duplicate is the reader. `onError` hears a
 * listener's throw, an entry that does not parse, and a failed append (the event then reached this
 * instance only).
 */
export class StreamBus implements EventBus {
  private local: LocalBus;
  private reader: Redis;
  private closed = false;
  private reading: Promise<void>;

  constructor(
    private client: Redis,
    private stream: string,
    private instanceId: string,
    private onError: (err: unknown) => void,
  ) {
    this.local = new LocalBus(onError);
    this.reader = client.duplicate();
    this.reader.on("error", () => undefined); // reported once through `client`
    this.reading = this.read();
  }

  /** Reads the stream from the newest entry when it started, for as long as the bus is open. */
  private async read() {
    // The offset starts at the stream's last entry now: what was published before this instance started is not its business.
    let last = "$";
    try {
      const [newest] = await this.reader.xrevrange(this.stream, "+", "-", "COUNT", 1);
      last = newest?.[0] ?? "0-0";
    } catch (err) {
      if (this.closed) return;
      this.onError(err);
    }
    while (!this.closed) {
      let batches: [string, [string, string[]][]][] | null;
      try {
        batches = (await this.reader.xread("COUNT", 100, "BLOCK", BLOCK_MS, "STREAMS", this.stream, last)) as typeof batches;
      } catch (err) {
        if (this.closed) return;
        // The reader's connection dropped mid-read: ioredis reconnects, and the next XREAD waits for it.
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      for (const [, entries] of batches ?? []) {
        for (const [id, fields] of entries) {
          last = id;
          const from = fieldOf(fields, "from");
          const raw = fieldOf(fields, "event");
          if (from === this.instanceId || raw === undefined) continue;
          let event: BusEvent;
          try {
            event = JSON.parse(raw) as BusEvent;
          } catch (err) {
            this.onError(err);
            continue;
          }
          this.local.deliver(event);
        }
      }
    }
  }

  /** Delivers `event` here at once and appends it for the others; never waits for Redis (an outage would hold a caller's answer). */
  async publish(event: BusEvent) {
    this.local.deliver(event);
    void this.client
      .xadd(this.stream, "MAXLEN", "~", BUS_STREAM_MAX_LEN, "*", "from", this.instanceId, "event", JSON.stringify(event))
      .catch((err: unknown) => this.onError(err));
  }

  subscribe(listener: Listener) {
    return this.local.subscribe(listener);
  }

  listenerCount() {
    return this.local.listenerCount();
  }

  async close() {
    this.closed = true;
    this.reader.disconnect();
    await this.reading;
    await this.local.close();
  }
}
