import { lookup } from "node:dns/promises";
import { ValidationError } from "@oratio/core";
import ipaddr from "ipaddr.js";
import { blockedRangeOf } from "./address-policy.ts";
import {
  type AllowList,
  allowListFromEnv,
  isAddressAllowed,
  isHostnameAllowed,
  parseAllowList,
} from "./allow-list.ts";
import { BlockedDestinationError, NetworkError } from "./errors.ts";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a hostname to every address it has. Injectable so tests can play DNS tricks. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
};

export interface DestinationOptions {
  /** Destinations allowed despite the address policy. Defaults to `ORATIO_FETCH_ALLOW`. */
  allowList?: AllowList | string;
  resolve?: Resolver;
}

export interface SafeDestination {
  url: URL;
  /** Hostname without IPv6 brackets, as handed to DNS and to the socket. */
  hostname: string;
  /** The validated addresses; connections must go to one of these and nowhere else. */
  addresses: ResolvedAddress[];
}

export function resolveAllowList(allowList: AllowList | string | undefined): AllowList {
  if (allowList === undefined) return allowListFromEnv();
  return typeof allowList === "string" ? parseAllowList(allowList) : allowList;
}

/**
 * Checks that a URL may be fetched: http(s) only, and every address its host resolves to is
 * public or allow-listed. One bad address blocks the host, because the connection could
 * land on any of them.
 */
export async function resolveSafeDestination(
  input: string | URL,
  options: DestinationOptions = {},
): Promise<SafeDestination> {
  const url = parseUrl(input);
  const allowList = resolveAllowList(options.allowList);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new BlockedDestinationError(url.href, `the ${url.protocol} scheme is not allowed`);
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (ipaddr.isValid(hostname)) {
    const family = ipaddr.parse(hostname).kind() === "ipv6" ? 6 : 4;
    assertAddressAllowed(url, hostname, allowList, hostname);
    return { url, hostname, addresses: [{ address: hostname, family }] };
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.resolve ?? systemResolver)(hostname);
  } catch (error) {
    throw new NetworkError(url.href, `could not resolve ${hostname}`, error);
  }
  if (addresses.length === 0) throw new NetworkError(url.href, `${hostname} has no addresses`);
  if (!isHostnameAllowed(hostname, allowList)) {
    for (const { address } of addresses) assertAddressAllowed(url, address, allowList, hostname);
  }
  return { url, hostname, addresses };
}

/**
 * For settings that hold a URL (webhooks, LLM base URLs, HTTP tools): refuses one that the
 * fetch policy would block, so the operator hears about it when saving, not at call time.
 */
export async function assertSafeUrl(input: string | URL, options: DestinationOptions = {}): Promise<void> {
  await resolveSafeDestination(input, options);
}

function assertAddressAllowed(url: URL, address: string, allowList: AllowList, hostname: string): void {
  if (isAddressAllowed(address, allowList) || isHostnameAllowed(hostname, allowList)) return;
  const range = blockedRangeOf(address);
  if (range === undefined) return;
  const via = address === hostname ? "" : `${hostname} resolves to `;
  throw new BlockedDestinationError(url.href, `${via}${address}, a ${range} address`);
}

function parseUrl(input: string | URL): URL {
  if (input instanceof URL) return input;
  try {
    return new URL(input);
  } catch {
    throw new ValidationError(`"${String(input).slice(0, 200)}" is not a valid URL.`, [
      { path: "url", message: "Invalid URL" },
    ]);
  }
}
