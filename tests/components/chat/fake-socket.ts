/**
 * A stand-in for socket.io-client's Socket that records what the client emits and lets a test answer
 * acknowledgements and play server events. Only the surface ChatClient uses is implemented.
 */
import { io } from "socket.io-client";

type Handler = (...args: unknown[]) => void;

export type Emitted = {
  event: string;
  args: unknown[];
  /** Answers the acknowledgement as the server would. */
  reply(ack: unknown): void;
  /** Fails the acknowledgement as a timeout or a disconnect would. */
  fail(): void;
};

export class FakeSocket {
  connected = false;
  active = false;
  emitted: Emitted[] = [];
  private handlers = new Map<string, Handler[]>();
  private managerHandlers = new Map<string, Handler[]>();

  constructor(readonly options: { auth?: (cb: (auth: unknown) => void) => void }) {}

  io = {
    on: (event: string, fn: Handler) => this.add(this.managerHandlers, event, fn),
    removeAllListeners: () => this.managerHandlers.clear(),
  };

  on(event: string, fn: Handler) {
    this.add(this.handlers, event, fn);
    return this;
  }

  removeAllListeners() {
    this.handlers.clear();
    return this;
  }

  connect = jest.fn(() => {
    this.active = true;
    return this;
  });

  disconnect = jest.fn(() => {
    this.active = false;
    this.connected = false;
    return this;
  });

  emit(event: string, ...args: unknown[]) {
    const last = args[args.length - 1];
    const ack = typeof last === "function" ? (last as Handler) : undefined;
    this.record(event, ack ? args.slice(0, -1) : args, (a) => ack?.(a), () => {});
    return this;
  }

  timeout() {
    return {
      emit: (event: string, ...args: unknown[]) => {
        const ack = args.pop() as Handler;
        this.record(event, args, (a) => ack(null, a), () => ack(new Error("operation has timed out")));
      },
      emitWithAck: (event: string, ...args: unknown[]) =>
        new Promise((resolve, reject) => this.record(event, args, resolve, () => reject(new Error("timeout")))),
    };
  }

  // ---- test controls -------------------------------------------------------------------------------

  /** Plays a server event to the client. */
  serve(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }

  open() {
    this.connected = true;
    this.active = true;
    this.serve("connect");
  }

  drop(reason = "transport close") {
    this.connected = false;
    this.serve("disconnect", reason);
  }

  sent(event: string): Emitted[] {
    return this.emitted.filter((e) => e.event === event);
  }

  lastSent(event: string): Emitted {
    const all = this.sent(event);
    if (!all.length) throw new Error(`nothing was emitted as ${event}`);
    return all[all.length - 1];
  }

  auth(): unknown {
    let value: unknown;
    this.options.auth?.((a) => (value = a));
    return value;
  }

  private record(event: string, args: unknown[], reply: (a: unknown) => void, fail: () => void) {
    this.emitted.push({ event, args, reply, fail });
  }

  private add(map: Map<string, Handler[]>, event: string, fn: Handler) {
    map.set(event, [...(map.get(event) ?? []), fn]);
  }
}

/**
 * Makes the (jest-mocked) socket.io-client `io()` hand out FakeSockets; returns the list they are added
 * to, newest last. The test file must `jest.mock("socket.io-client", () => ({ io: jest.fn() }))`.
 */
export function fakeIo(): FakeSocket[] {
  const sockets: FakeSocket[] = [];
  jest.mocked(io).mockImplementation(((options: ConstructorParameters<typeof FakeSocket>[0]) => {
    const socket = new FakeSocket(options);
    sockets.push(socket);
    return socket;
  }) as unknown as typeof io);
  return sockets;
}
