/**
 * A stand-in for the browser's EventSource: records every instance, lets a test play server events
 * (named or not) and connection failures, and tracks close().
 */
type Listener = (event: Event) => void;

export class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];

  readyState = FakeEventSource.CONNECTING;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly close = jest.fn(() => {
    this.readyState = FakeEventSource.CLOSED;
  });
  private listeners = new Map<string, Set<Listener>>();

  constructor(readonly url: string, readonly init?: EventSourceInit) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, fn: Listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(fn);
  }

  removeEventListener(type: string, fn: Listener) {
    this.listeners.get(type)?.delete(fn);
  }

  // ---- test controls -------------------------------------------------------------------------------

  /** The server's greeting, as the real streams send it (unnamed), with `extra` fields (the log stream's `level`). */
  connect(extra: Record<string, unknown> = {}) {
    this.readyState = FakeEventSource.OPEN;
    this.dispatch("open", new Event("open"));
    this.send({ type: "connected", ...extra });
  }

  /** One event; `event` names it (like `event: warn`), otherwise it is an unnamed message. */
  send(data: unknown, { event = "message", id }: { event?: string; id?: string } = {}) {
    this.dispatch(event, new MessageEvent(event, { data: JSON.stringify(data), lastEventId: id ?? "" }));
  }

  /** A connection failure: `closed` means the browser gave up (e.g. an HTTP 401/502). */
  fail(closed: boolean) {
    this.readyState = closed ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.dispatch("error", new Event("error"));
  }

  private dispatch(type: string, event: Event) {
    if (type === "message") this.onmessage?.(event as MessageEvent);
    if (type === "open") this.onopen?.(event);
    if (type === "error") this.onerror?.(event);
    for (const fn of this.listeners.get(type) ?? []) fn(event);
  }
}

export function installFakeEventSource() {
  FakeEventSource.instances = [];
  (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
  return {
    all: () => FakeEventSource.instances,
    latest: () => {
      const all = FakeEventSource.instances;
      if (!all.length) throw new Error("no EventSource was created");
      return all[all.length - 1];
    },
  };
}
