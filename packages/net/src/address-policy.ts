import ipaddr from "ipaddr.js";

/**
 * Decides whether an IP address is a public unicast destination. Everything else is refused
 * by default: loopback, RFC 1918 private, CGNAT 100.64/10, link-local 169.254/16 (where cloud
 * metadata services live) and fe80::/10, unique-local fc00::/7, multicast, unspecified,
 * broadcast, reserved and documentation ranges, and IPv6 forms that embed one of those
 * IPv4 addresses (::ffff:127.0.0.1, 64:ff9b::10.0.0.1).
 *
 * Returns `undefined` for a public address, otherwise the name of the range that blocks it.
 */
export function blockedRangeOf(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return "not an IP address";
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6") {
    const v6 = parsed as ipaddr.IPv6;
    const range = v6.range();
    if (range === "ipv4Mapped" || range === "rfc6145" || range === "rfc6052") {
      // The last 32 bits are an IPv4 address the packet ends up at; judge that one.
      const bytes = v6.toByteArray().slice(-4);
      parsed = new ipaddr.IPv4(bytes);
    } else {
      return range === "unicast" ? undefined : range;
    }
  }
  const range = (parsed as ipaddr.IPv4).range();
  return range === "unicast" ? undefined : range;
}

export function isPublicAddress(address: string): boolean {
  return blockedRangeOf(address) === undefined;
}
