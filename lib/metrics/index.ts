import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Every metric name starts with this (Prometheus naming: one prefix per application). */
export const PREFIX = "hibiki_";

/** Where the gauges read on scrape get their values (nothing is counted on the hot path for them). */
export type GaugeSources = {
  /** Live, authenticated Socket.IO connections on this instance. */
  connections: () => number;
  /** Chat rooms with a connection on this instance, and the connections' room memberships summed. */
  rooms: () => { active: number; memberships: number };
  /** Open Server-Sent Event streams on this instance. */
  sseStreams: () => number;
  /** The connect throttle: handshakes doing their database work now, and handshakes waiting for a turn. */
  handshakes: () => { inFlight: number; waiting: number };
  /** Rows in the push queue (shared by every instance). Rejects when the database does not answer. */
  pushQueueDepth: () => Promise<number>;
};

/**
 * One server instance's metrics, in a registry of its own (never prom-client's global one: tests run
 * several servers in one process, and a cluster member reports only itself). Names follow Prometheus'
 * conventions (https://prometheus.io/docs/practices/naming/): the `hibiki_` prefix, base units
 * (seconds, bytes), `_total` on counters. No label takes a room, user or other unbounded value.
 */
export type Metrics = ReturnType<typeof createMetrics>;

/** Buckets for latencies around a millisecond (database statements, acks), in seconds. */
const FAST_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Batch sizes of the message writer (its largest batch is 512). */
const BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/**
 * Creates the registry, the instruments that the hot paths update, and prom-client's default process
 * metrics (CPU, memory, heap, GC, and event-loop lag as `hibiki_nodejs_eventloop_lag_seconds` with
 * percentiles). Call `watch` once the sources of the scrape-time gauges exist.
 */
export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const metrics = {
    registry,
    messagesPosted: new Counter({
      name: `${PREFIX}messages_posted_total`,
      help: "Messages stored by posts handled on this instance (Socket.IO, HTTP, thread replies); retries of a stored clientId are not counted again.",
      registers,
    }),
    messagesDelivered: new Counter({
      name: `${PREFIX}messages_delivered_total`,
      help:
        "Recipients of new messages posted on this instance, counted per broadcast as the room's connections on this instance at that moment " +
        "(not per socket write: a slow or closing connection still counts; in a cluster, recipients on other instances are not counted anywhere).",
      registers,
    }),
    ackSeconds: new Histogram({
      name: `${PREFIX}message_ack_seconds`,
      help: "Time from handling send-message-to-room (after a new connection's catch-up) to its ack, refusals included, in seconds.",
      buckets: FAST_SECONDS,
      registers,
    }),
    writeBatchSize: new Histogram({
      name: `${PREFIX}message_write_batch_size`,
      help: "Posts stored together by one group commit of the message writer.",
      buckets: BATCH_SIZES,
      registers,
    }),
    reactionBatchSize: new Histogram({
      name: `${PREFIX}reaction_write_batch_size`,
      help: "Reaction toggles stored together by one group commit of the reaction writer.",
      buckets: BATCH_SIZES,
      registers,
    }),
    joinReadBatchSize: new Histogram({
      name: `${PREFIX}join_read_batch_size`,
      help: "Joins (join-room) read together by one statement of the join reader (at most 100).",
      buckets: BATCH_SIZES.filter((b) => b <= 128),
      registers,
    }),
    dbQuerySeconds: new Histogram({
      name: `${PREFIX}db_query_seconds`,
      help: "Time a caller waited for one database statement (queueing for PGlite or a pool connection included), in seconds; scrapes' own queries are not counted.",
      buckets: FAST_SECONDS,
      registers,
    }),
    handshakesRefused: new Counter({
      name: `${PREFIX}socketio_handshakes_refused_total`,
      help: "Socket.IO handshakes the connect throttle refused at once (rate_limited with retryAfter) because its queue was full (CONNECT_QUEUE_MAX, or a wait near the connect timeout).",
      registers,
    }),
    uploadBytes: new Counter({
      name: `${PREFIX}upload_bytes_total`,
      help: "Bytes of uploaded files accepted on this instance, as received (before image metadata is stripped).",
      registers,
    }),
    /** Registers the gauges read on scrape from `sources`. Call once. */
    watch(sources: GaugeSources, onError: (err: unknown) => void) {
      new Gauge({
        name: `${PREFIX}socketio_connections`,
        help: "Live, authenticated Socket.IO connections on this instance.",
        registers,
        collect() {
          this.set(sources.connections());
        },
      });
      // One walk over this instance's adapter rooms per gauge: O(rooms), only on scrape.
      new Gauge({
        name: `${PREFIX}rooms_active`,
        help: "Chat rooms that at least one connection on this instance has joined.",
        registers,
        collect() {
          this.set(sources.rooms().active);
        },
      });
      new Gauge({
        name: `${PREFIX}room_memberships`,
        help: "Chat rooms joined, summed over the connections on this instance (one connection in three rooms counts three).",
        registers,
        collect() {
          this.set(sources.rooms().memberships);
        },
      });
      new Gauge({
        name: `${PREFIX}socketio_handshakes_in_flight`,
        help: "New Socket.IO connections doing their connect work (identity lookup, catch-up) now; at most CONNECT_CONCURRENCY.",
        registers,
        collect() {
          this.set(sources.handshakes().inFlight);
        },
      });
      new Gauge({
        name: `${PREFIX}socketio_handshakes_waiting`,
        help: "Socket.IO handshakes waiting for a turn in the connect throttle (CONNECT_CONCURRENCY).",
        registers,
        collect() {
          this.set(sources.handshakes().waiting);
        },
      });
      new Gauge({
        name: `${PREFIX}sse_streams`,
        help: "Open Server-Sent Event streams (notifications, admin log) on this instance.",
        registers,
        collect() {
          this.set(sources.sseStreams());
        },
      });
      new Gauge({
        name: `${PREFIX}push_queue_depth`,
        help: "Web Push deliveries waiting in the queue shared by all instances (NaN when the database did not answer the scrape).",
        registers,
        async collect() {
          try {
            this.set(await sources.pushQueueDepth());
          } catch (err) {
            onError(err);
            this.set(Number.NaN);
          }
        },
      });
    },
  };
  return metrics;
}
