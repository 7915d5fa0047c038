/**
 * Which network addresses a server-side request to a user-supplied URL may reach. Only globally
 * routable unicast addresses pass: private (RFC 1918), loopback, link-local (and with it the cloud
 * metadata address 169.254.169.254), carrier-grade NAT (RFC 6598, 100.64.0.0/10), multicast,
 * unspecified, broadcast, reserved/documentation ranges, IPv6 unique-local (fc00::/7), IPv4-mapped and
 * translated IPv6 forms (checked as the IPv4 address they carry) are refused. Ranges come from
 * `ipaddr.js`'s special-range tables (IANA special-purpose registries, RFC 6890).
 */
import ipaddr from "ipaddr.js";

/** True when `ip` (an IPv4 or IPv6 literal, without brackets) must not be contacted. Unparseable → true. */
export function isBlockedAddress(ip: string): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(ip.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  } catch {
    return true;
  }
  if (addr.kind() === "ipv6") {
    const v6 = addr as ipaddr.IPv6;
    // ::ffff:127.0.0.1 and friends reach the IPv4 address they embed: judge that one.
    if (v6.isIPv4MappedAddress()) return isBlockedAddress(v6.toIPv4Address().toString());
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
