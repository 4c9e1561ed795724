import { ValidationError } from "@oratio/core";
import ipaddr from "ipaddr.js";

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Destinations an operator explicitly allows even though the address policy would refuse
 * them (an intranet service, a local model server, a test fixture on 127.0.0.1).
 */
export interface AllowList {
  /** Lower-case hostnames; an entry `*.example.internal` allows every subdomain. */
  readonly hostnames: readonly string[];
  readonly cidrs: readonly Cidr[];
}

export const EMPTY_ALLOW_LIST: AllowList = { hostnames: [], cidrs: [] };

/**
 * Parses a comma-separated list of hostnames, IP addresses and CIDR ranges, e.g.
 * `127.0.0.1, 10.0.0.0/8, llm.internal, *.corp.example, ::1`.
 */
export function parseAllowList(value: string | undefined): AllowList {
  if (!value?.trim()) return EMPTY_ALLOW_LIST;
  const hostnames: string[] = [];
  const cidrs: Cidr[] = [];
  for (const raw of value.split(",")) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, "$1");
    if (!entry) continue;
    if (entry.includes("/")) {
      try {
        cidrs.push(normaliseCidr(ipaddr.parseCIDR(entry)));
      } catch {
        throw new ValidationError(`"${raw.trim()}" in the fetch allow-list is not a valid CIDR range.`);
      }
    } else if (ipaddr.isValid(entry)) {
      const address = unwrapMapped(ipaddr.parse(entry));
      cidrs.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else if (
      /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/.test(entry)
    ) {
      hostnames.push(entry.replace(/\.$/, ""));
    } else {
      throw new ValidationError(`"${raw.trim()}" in the fetch allow-list is not a hostname, IP or CIDR.`);
    }
  }
  return { hostnames, cidrs };
}

/** The allow-list configured for this process (`ORATIO_FETCH_ALLOW`), read on each call. */
export function allowListFromEnv(env: NodeJS.ProcessEnv = process.env): AllowList {
  return parseAllowList(env.ORATIO_FETCH_ALLOW);
}

export function isHostnameAllowed(hostname: string, list: AllowList): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return list.hostnames.some((entry) =>
    entry.startsWith("*.") ? host.endsWith(entry.slice(1)) : host === entry,
  );
}

export function isAddressAllowed(address: string, list: AllowList): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = unwrapMapped(ipaddr.parse(address));
  return list.cidrs.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
}

function normaliseCidr([address, bits]: Cidr): Cidr {
  // `::ffff:10.0.0.0/104` means the same range as `10.0.0.0/8`.
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [address, bits];
}

function unwrapMapped(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (address as ipaddr.IPv6).toIPv4Address();
  }
  return address;
}
