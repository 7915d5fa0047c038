/**
 * The outbound-request guard: which addresses it refuses, that it judges the address actually
 * connected to (names, literals in every IPv4 spelling, redirects), and its size and time limits.
 * Every refusal is checked against a local server that must see no request, with an allowed request
 * to the same server as the positive control.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { lookup as dnsLookup } from "node:dns";
import { isBlockedAddress, parseAllowList } from "../../lib/net/address-policy";
import { createOutboundFetch, OutboundError } from "../../lib/net/outbound";

describe("address rules", () => {
  it.each([
    "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.0.1", "127.0.0.1", "127.8.9.10",
    "169.254.169.254", "169.254.0.1", "0.0.0.0", "100.64.0.1", "100.127.255.254", "224.0.0.1", "255.255.255.255",
    "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "fe80::1%eth0", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
    "::ffff:169.254.169.254", "[::1]", "64:ff9b::7f00:1", "ff02::1", "not-an-ip",
    // IPv4-compatible IPv6 (::/96, deprecated): reaches the IPv4 address it carries where routed.
    "::127.0.0.1", "[::127.0.0.1]", "::7f00:1", "::10.0.0.1", "::8.8.8.8", "::169.254.169.254",
    // Other blocks outside global unicast 2000::/3.
    "100::1", "4000::1", "fec0::1",
  ])("refuses %s", (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001::200e", "::ffff:8.8.8.8"])(
    "lets %s through",
    (ip) => {
      expect(isBlockedAddress(ip)).toBe(false);
    },
  );

  it("reads OUTBOUND_ALLOW entries as host:port and refuses anything else", () => {
    expect([...parseAllowList(["127.0.0.1:8080", " Intranet.Example:443 ", "[::1]:3000"])]).toEqual([
      "127.0.0.1:8080",
      "intranet.example:443",
      "[::1]:3000",
    ]);
    expect(() => parseAllowList(["127.0.0.1"])).toThrow(/host:port/);
    expect(() => parseAllowList(["127.0.0.1:80/x"])).toThrow(/host:port/);
  });
});

describe("outboundFetch", () => {
  let server: Server;
  let port: number;
  let hits: string[];
  let handler: (req: IncomingMessage, res: ServerResponse) => void;

  beforeEach(async () => {
    hits = [];
    handler = (_req, res) => res.end("hello");
    server = createServer((req, res) => {
      hits.push(req.url ?? "");
      handler(req, res);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const refused = async (p: Promise<unknown>, code = "blocked") => {
    await expect(p).rejects.toBeInstanceOf(OutboundError);
    await expect(p).rejects.toMatchObject({ code });
  };

  it("refuses loopback in every IPv4 spelling, and reaches it once the host:port is allowed", async () => {
    const guard = createOutboundFetch();
    for (const host of ["127.0.0.1", "2130706433", "0x7f.1", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]", "[::1]", "0.0.0.0", "[::127.0.0.1]", "[::7f00:1]", "[0:0:0:0:0:0:7f00:1]"]) {
      await refused(guard(`http://${host}:${port}/${encodeURIComponent(host)}`));
    }
    expect(hits).toEqual([]);
    const allowed = createOutboundFetch({ allow: [`127.0.0.1:${port}`] });
    const res = await allowed(`http://2130706433:${port}/control`);
    expect(res.body.toString()).toBe("hello");
    expect(hits).toEqual(["/control"]);
  });

  it("refuses a name that resolves to a refused address, judged on the address it connects to", async () => {
    await refused(createOutboundFetch()(`http://localhost:${port}/by-name`));
    // A name whose DNS answer is chosen by the test: loopback is refused, even with a public address beside it.
    const resolve = ((host: string, opts: object, cb: (e: null, a: { address: string; family: number }[]) => void) =>
      cb(null, host === "mixed.test" ? [{ address: "93.184.216.34", family: 4 }, { address: "127.0.0.1", family: 4 }] : [{ address: "127.0.0.1", family: 4 }])) as unknown as typeof dnsLookup;
    const guard = createOutboundFetch({ resolve, allow: [`allowed.test:${port}`] });
    await refused(guard(`http://rebind.test:${port}/rebind`));
    await refused(guard(`http://mixed.test:${port}/mixed`));
    expect(hits).toEqual([]);
    // Positive control: the allowed name reaches the same server.
    await expect(guard(`http://allowed.test:${port}/control`)).resolves.toMatchObject({ status: 200 });
    expect(hits).toEqual(["/control"]);
  });

  it("checks every redirect again: an allowed host cannot send the request on to a refused one", async () => {
    const other = createServer((req, res) => {
      hits.push(`other${req.url}`);
      res.end("secret");
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    const otherPort = (other.address() as AddressInfo).port;
    try {
      handler = (req, res) => {
        const to = req.url === "/hop" ? `http://127.0.0.1:${otherPort}/metadata` : req.url === "/hop6" ? `http://[::127.0.0.1]:${otherPort}/metadata` : req.url === "/local" ? "/landed" : "";
        if (!to) return res.end("landed");
        res.writeHead(302, { location: to }).end();
      };
      const guard = createOutboundFetch({ allow: [`127.0.0.1:${port}`] });
      await refused(guard(`http://127.0.0.1:${port}/hop`));
      await refused(guard(`http://127.0.0.1:${port}/hop6`));
      expect(hits).toEqual(["/hop", "/hop6"]);
      // Positive control: a redirect within the allowed host is followed.
      const res = await guard(`http://127.0.0.1:${port}/local`);
      expect(res).toMatchObject({ status: 200, url: `http://127.0.0.1:${port}/landed` });
      expect(res.body.toString()).toBe("landed");
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it("does not carry credentials across a redirect to another origin", async () => {
    const seen: Record<string, string | undefined> = {};
    const other = createServer((req, res) => {
      seen.other = req.headers.authorization;
      res.end("ok");
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    const otherPort = (other.address() as AddressInfo).port;
    try {
      handler = (req, res) => {
        if (req.url === "/same") return res.writeHead(307, { location: "/landed" }).end();
        if (req.url === "/away") return res.writeHead(307, { location: `http://127.0.0.1:${otherPort}/` }).end();
        seen.same = req.headers.authorization;
        res.end("ok");
      };
      const guard = createOutboundFetch({ allow: [`127.0.0.1:${port}`, `127.0.0.1:${otherPort}`] });
      await guard(`http://127.0.0.1:${port}/same`, { headers: { Authorization: "vapid t=1" } });
      await guard(`http://127.0.0.1:${port}/away`, { headers: { Authorization: "vapid t=1" } });
      expect(seen).toEqual({ same: "vapid t=1", other: undefined });
    } finally {
      other.closeAllConnections();
      await new Promise((r) => other.close(r));
    }
  });

  it("stops after five redirects", async () => {
    handler = (req, res) => res.writeHead(301, { location: `/r${Number(req.url?.slice(2) || 0) + 1}` }).end();
    const guard = createOutboundFetch({ allow: [`127.0.0.1:${port}`] });
    await refused(guard(`http://127.0.0.1:${port}/r0`), "too_many_redirects");
    expect(hits).toHaveLength(6);
  });

  it("only speaks http and https, without credentials in the URL", async () => {
    const guard = createOutboundFetch({ allow: [`127.0.0.1:${port}`] });
    for (const url of ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1:70/", "javascript:alert(1)", "nonsense"]) {
      await refused(guard(url), "bad_url");
    }
    await refused(guard(`http://user:pw@127.0.0.1:${port}/`), "bad_url");
    expect(hits).toEqual([]);
  });

  it("cuts a body at maxBytes and marks it truncated", async () => {
    handler = (_req, res) => res.end("x".repeat(300_000));
    const guard = createOutboundFetch({ allow: [`127.0.0.1:${port}`] });
    const cut = await guard(`http://127.0.0.1:${port}/big`, { maxBytes: 1000 });
    expect(cut.body.length).toBe(1000);
    expect(cut.truncated).toBe(true);
    const whole = await guard(`http://127.0.0.1:${port}/big`);
    expect(whole.body.length).toBe(300_000);
    expect(whole.truncated).toBe(false);
  });

  it("gives up at the deadline", async () => {
    handler = (_req, res) => res.write("<html>"); // never ends
    const guard = createOutboundFetch({ allow: [`127.0.0.1:${port}`] });
    const started = Date.now();
    await refused(guard(`http://127.0.0.1:${port}/slow`, { timeoutMs: 300 }), "timeout");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("sends the method, headers and body it is given (what Web Push needs)", async () => {
    let seen: { method?: string; type?: string; body: string } = { body: "" };
    handler = (req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen = { method: req.method, type: req.headers["content-type"], body };
        res.writeHead(201).end();
      });
    };
    const guard = createOutboundFetch({ allow: [`127.0.0.1:${port}`] });
    const res = await guard(`http://127.0.0.1:${port}/push`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: Buffer.from("abc") });
    expect(res.status).toBe(201);
    expect(seen).toEqual({ method: "POST", type: "application/octet-stream", body: "abc" });
  });
});
