import net from "node:net";

/**
 * A TCP relay to `target` (`host:port` of a URL; `defaultPort` when it names none) that a test can cut,
 * as a service restart or a network partition would: every link through it destroyed, new ones refused
 * (accepted and closed at once) until `restore()`. `blackHole()` is the silent kind of partition: every
 * link stays open but nothing goes through it either way, and new connections are accepted and never
 * answered, until `restore()` (which then closes those links, as a partition that heals after TCP gave
 * up). `port` is where it listens on 127.0.0.1; `close()` ends it for good.
 */
export async function cuttableRelay(target: URL, defaultPort: number) {
  const links = new Set<net.Socket>();
  let cut = false;
  let silent = false;
  const held = new Set<net.Socket>();
  const relay = net.createServer((c) => {
    if (cut) return void c.destroy();
    if (silent) {
      held.add(c);
      c.on("error", () => undefined);
      c.on("close", () => held.delete(c));
      return;
    }
    const r = net.connect(Number(target.port || defaultPort), target.hostname);
    for (const s of [c, r]) {
      links.add(s);
      s.on("error", () => undefined);
      s.on("close", () => (c.destroy(), r.destroy(), links.delete(s)));
    }
    c.pipe(r).pipe(c);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", () => resolve()));
  return {
    port: (relay.address() as net.AddressInfo).port,
    cut() {
      cut = true;
      for (const s of links) s.destroy();
    },
    blackHole() {
      silent = true;
      for (const s of links) {
        s.unpipe();
        s.pause();
        held.add(s);
      }
    },
    restore() {
      cut = false;
      if (silent) for (const s of held) s.destroy();
      silent = false;
    },
    close: () => new Promise<void>((resolve) => (relay.close(() => resolve()), [...links].forEach((s) => s.destroy()))),
  };
}

/** cuttableRelay to the Redis of REDIS_URL, with `url`, the Redis URL through it. */
export async function cuttableRedisRelay() {
  const relay = await cuttableRelay(new URL(process.env.REDIS_URL!), 6379);
  return { ...relay, url: `redis://127.0.0.1:${relay.port}` };
}
