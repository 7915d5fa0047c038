import type { Redis } from "ioredis";
import type { BusEvent, EventBus, Listener } from "../events/bus";
import { LocalBus } from "../events/bus";

/**
 * Entries the bus's stream keeps (XADD MAXLEN ~). An entry is one event: a sign-out or a ban is under
 * 100 bytes, a notification carries its message's text (an announcement's up to 2,000 characters, once per
 * recipient), so the stream holds between a few hundred KB and, after an announcement to thousands of
 * people, tens of MB.
 */
export const BUS_STREAM_MAX_LEN = 10_000;
/** Largest entry read (UTF-16 code units of its event's JSON): a bigger one is reported and skipped. */
export const BUS_ENTRY_MAX_CHARS = 256 * 1024;
/** How long (ms) one XREAD waits for entries before asking again (the reader's connection is its own). */
const BLOCK_MS = 5_000;

/** The value of field `name` in a stream entry's `[field, value, …]` list. */
function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** Whether stream entry id `a` (`<ms>-<seq>`) comes before `b`. */
function before(a: string, b: string): boolean {
  const [am, as] = a.split("-").map(BigInt);
  const [bm, bs] = b.split("-").map(BigInt);
  return am < bm || (am === bm && as < bs);
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
 * Back from a cut, the reader looks at the stream before reading on: gone or holding only entries older
 * than its offset (Redis restarted empty, its clock behind), it reads the new stream from its start;
 * trimmed past its offset (a cut longer than about BUS_STREAM_MAX_LEN events), it says so (`onGap`), as
 * events may have been lost.
 *
 * `client`: the commands' connection (offline queue on); its duplicate is the reader. `onError` hears a
 * listener's throw, an entry that does not parse or is not an event, and a failed append (the event then
 * reached this instance only).
 */
export class StreamBus implements EventBus {
  private local: LocalBus;
  private reader: Redis;
  private closed = false;
  /** Set when the reader's connection is ready again after a drop: the stream is looked at before the next read. */
  private reconnected = false;

  constructor(
    private client: Redis,
    private stream: string,
    private instanceId: string,
    private onError: (err: unknown) => void,
    private onGap: (missedAfter: string, firstKept: string) => void = () => undefined,
  ) {
    this.local = new LocalBus(onError);
    this.reader = client.duplicate();
    this.reader.on("error", () => undefined); // reported once through `client`
    let ready = false;
    this.reader.on("ready", () => {
      if (ready) this.reconnected = true;
      ready = true;
    });
    void this.read();
  }

  /** Reads the stream from the newest entry when it started, for as long as the bus is open. */
  private async read() {
    // A dropped connection does not fail a read (ioredis sends it again once reconnected); an error does
    // (the key made something else than a stream, an ACL refusing XREAD): said once, tried again each second.
    let failing = false;
    // The offset starts at the stream's last entry now: what was published before this instance started is
    // not its business. No stream yet, or none readable: from its start, whenever there is one.
    let last = "0-0";
    try {
      const [newest] = await this.reader.xrevrange(this.stream, "+", "-", "COUNT", 1);
      if (newest) last = newest[0];
    } catch (err) {
      if (this.closed) return;
      this.onError(err);
      failing = true;
    }
    while (!this.closed) {
      let batches: [string, [string, string[]][]][] | null;
      try {
        const from = last;
        batches = (await this.reader.xread("COUNT", 100, "BLOCK", BLOCK_MS, "STREAMS", this.stream, from)) as typeof batches;
        failing = false;
        // Back from a cut (ioredis sent this read again once reconnected): the stream is looked at first.
        if (this.reconnected && !this.closed) {
          this.reconnected = false;
          last = await this.offsetAfterCut(from);
          if (last !== from) continue;
        }
      } catch (err) {
        if (this.closed) return;
        if (!failing) this.onError(err);
        failing = true;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (this.closed) return;
      for (const [, entries] of batches ?? []) {
        for (const [id, fields] of entries) {
          last = id;
          const from = fieldOf(fields, "from");
          const raw = fieldOf(fields, "event");
          if (from === this.instanceId || raw === undefined) continue;
          const event = this.parse(id, raw);
          if (event) this.local.deliver(event);
        }
      }
    }
  }

  /** The offset to read on from after a cut (see the class's comment), `last` being the one before it. */
  private async offsetAfterCut(last: string): Promise<string> {
    const [[first], [newest]] = await Promise.all([this.reader.xrange(this.stream, "-", "+", "COUNT", 1), this.reader.xrevrange(this.stream, "+", "-", "COUNT", 1)]);
    if (!newest || before(newest[0], last)) return "0-0";
    // Trimmed past the last entry read: those after it may have gone too.
    if (first && last !== "0-0" && before(last, first[0])) this.onGap(last, first[0]);
    return last;
  }

  /** The event of entry `id`, or undefined (reported) when it is too big, not JSON or not an event. */
  private parse(id: string, raw: string): BusEvent | undefined {
    if (raw.length > BUS_ENTRY_MAX_CHARS) {
      this.onError(new Error(`bus entry ${id} skipped: ${raw.length} characters, more than ${BUS_ENTRY_MAX_CHARS}`));
      return undefined;
    }
    try {
      const event = JSON.parse(raw) as unknown;
      if (typeof event === "object" && event !== null && typeof (event as { type?: unknown }).type === "string") return event as BusEvent;
      this.onError(new Error(`bus entry ${id} skipped: not an event`));
    } catch (err) {
      this.onError(err);
    }
    return undefined;
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

  /** Stops reading (a read in flight is dropped, not waited for: Redis may be unreachable) and forgets the listeners. */
  async close() {
    this.closed = true;
    this.reader.disconnect();
    await this.local.close();
  }
}
