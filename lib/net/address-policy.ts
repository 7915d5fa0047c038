/**
 * Which network addresses a server-side request to a user-supplied URL may reach. Only globally
 * routable unicast addresses pass: private (RFC 1918), loopback, link-local (and with it the cloud
 * metadata address 169.254.169.254), carrier-grade NAT (RFC 6598, 100.64.0.0/10), multicast,
 * unspecified, broadcast, reserved/documentation ranges, IPv6 unique-local (fc00::/7), IPv4-mapped and
 * translated IPv6 forms (checked as the IPv4 address they carry) are refused. Ranges come from
 * `ipaddr.js`'s special-range tables (IANA special-purpose registries, RFC 6890). IPv6 outside the
 * global unicast block 2000::/3 (RFC 4291 §2.4) is refused whatever those tables call it: the
 * deprecated IPv4-compatible form `::a.b.c.d` (::/96, "unicast" to ipaddr.js) reaches an IPv4 address
 * wherever the host routes it.
 */
import ipaddr from "ipaddr.js";

/** IPv6 global unicast (RFC 4291 §2.4, IANA IPv6 address space): every address a public server has. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

/** True when `ip` (an IPv4 or IPv6 literal, without brackets) must not be contacted. Unparseable → true. */
export function isBlockedAddress(ip: string): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    let text = ip.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
    // IPv6 as the URL parser (and so the connection) reads it: ipaddr.js takes "::8.8.8.8" for the
    // IPv4-mapped ::ffff:8.8.8.8, where it is the IPv4-compatible ::808:808.
    if (text.includes(":")) text = new URL(`http://[${text}]/`).hostname.slice(1, -1);
    addr = ipaddr.parse(text);
  } catch {
    return true;
  }
  if (addr.kind() === "ipv6") {
    const v6 = addr as ipaddr.IPv6;
    // ::ffff:127.0.0.1 and friends reach the IPv4 address they embed: judge that one.
    if (v6.isIPv4MappedAddress()) return isBlockedAddress(v6.toIPv4Address().toString());
    if (!v6.match(GLOBAL_UNICAST_V6)) return true;
  }
  return addr.range() !== "unicast";
}

/**
 * A parsed `OUTBOUND_ALLOW` list: `host:port` pairs that may be reached even though they resolve to a
 * refused address (test servers, intranet services). Hosts compare as the URL parser normalises them
 * (lower case, IPv6 in brackets, `http://2130706433/` is `127.0.0.1`); the port is required.
 */
export function parseAllowList(entries: string[]): Set<string> {
  const out = new Set<string>();
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    const url = new URL(`http://${entry}`);
    if (!/:\d+$/.test(entry) || url.pathname !== "/" || url.username || url.search) {
      throw new Error(`"${entry}" is not host:port`);
    }
    out.add(`${url.hostname}:${url.port || "80"}`);
  }
  return out;
}

/** The `host:port` key of a URL, as parseAllowList stores it (default ports filled in). */
export function hostPortOf(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}
