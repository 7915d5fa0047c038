import type { BusEvent, EventBus, Listener } from "../events/bus";
import { LocalBus } from "../events/bus";

/** The part of a Socket.IO server the bus needs (inter-server events through the adapter). */
type ServerSide = {
  serverSideEmit(ev: "bus", event: BusEvent): boolean;
  on(ev: "bus", listener: (event: BusEvent) => void): unknown;
};

/**
 * The event bus across instances, carried by the Socket.IO adapter's inter-server events. The Redis
 * streams adapter sends those over pub/sub, so an event published while Redis is unreachable can miss
 * other instances; what matters is durable elsewhere (sessions in PostgreSQL, notifications stored and
 * replayed by Last-Event-ID). Local listeners get every event at once.
 */
export class AdapterBus implements EventBus {
  private local: LocalBus;
  private io?: ServerSide;
  constructor(onError: (err: unknown) => void) {
    this.local = new LocalBus(onError);
  }

  attach(io: ServerSide) {
    this.io = io;
    io.on("bus", (event) => this.local.deliver(event));
  }

  async publish(event: BusEvent) {
    this.local.deliver(event);
    this.io?.serverSideEmit("bus", event);
  }

  subscribe(listener: Listener) {
    return this.local.subscribe(listener);
  }

  listenerCount() {
    return this.local.listenerCount();
  }

  close() {
    return this.local.close();
  }
}
