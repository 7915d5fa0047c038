import net from "node:net";

/**
 * A TCP relay to Redis that a test can cut (its listener closed, every link through it destroyed: a
 * network partition) and restore on the same port. `url` is the Redis URL through it.
 */
export async function cuttableRelay(redisUrl = process.env.REDIS_URL!) {
  const target = new URL(redisUrl);
  const links = new Set<net.Socket>();
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
  const open = () =>
    new Promise<net.Server>((resolve) => {
      const relay = net.createServer((c) => {
        const r = net.connect(Number(target.port || 6379), target.hostname);
        for (const s of [c, r]) {
          links.add(s);
          s.on("error", () => undefined);
          s.on("close", () => (c.destroy(), r.destroy(), links.delete(s)));
        }
        c.pipe(r).pipe(c);
      });
      relay.listen(port, "127.0.0.1", () => resolve(relay));
    });
  let server: net.Server | undefined = await open();
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      server?.close();
      server = undefined;
      for (const s of links) s.destroy();
    },
    async restore() {
      server ??= await open();
    },
  };
}
