import type { LookupAddress, LookupOptions } from "node:dns";
import { isOratioError } from "@oratio/core";
import { Agent, request } from "undici";
import type { AllowList } from "./allow-list.ts";
import { type ResolvedAddress, type Resolver, resolveSafeDestination } from "./destination.ts";
import {
  BlockedDestinationError,
  FetchTimeoutError,
  NetworkError,
  ResponseTooLargeError,
  TooManyRedirectsError,
} from "./errors.ts";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

export interface SafeFetchOptions {
  method?: HttpMethod;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
  /** Time limit for the whole exchange, redirects included. Default 15 000 ms. */
  timeoutMs?: number;
  /** Largest body accepted; the transfer stops past it. Default 10 MiB. */
  maxBytes?: number;
  /** Default 5; 0 returns the redirect response itself. */
  maxRedirects?: number;
  /** Destinations allowed despite the address policy. Defaults to `ORATIO_FETCH_ALLOW`. */
  allowList?: AllowList | string;
  /** Replaces DNS resolution (tests). */
  resolve?: Resolver;
}

export interface SafeResponse {
  /** The URL that produced this response, after redirects. */
  url: string;
  status: number;
  ok: boolean;
  headers: Headers;
  body: Uint8Array;
  /** Every URL that redirected, in order. */
  redirects: string[];
  text(): string;
  json<T = unknown>(): T;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

/**
 * Fetches a URL with the outbound-request policy applied to every hop: the host is resolved
 * first, every address checked, and the socket pinned to those checked addresses so a
 * second DNS answer (DNS rebinding) cannot point it elsewhere. Redirects are followed by
 * hand and each target is checked again. The body is read into memory up to `maxBytes`.
 */
export async function safeFetch(input: string | URL, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const pinned = new Map<string, ResolvedAddress[]>();
  const agent = new Agent({ connect: { lookup: pinnedLookup(pinned) } });

  let url = String(input);
  let method: HttpMethod = options.method ?? "GET";
  let body = options.body;
  let headers = { ...options.headers };
  const redirects: string[] = [];
  try {
    for (;;) {
      const destination = await resolveSafeDestination(url, options);
      pinned.set(destination.hostname, destination.addresses);
      signal.throwIfAborted();
      const response = await request(destination.url, { method, headers, body, signal, dispatcher: agent });
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(response.statusCode) && typeof location === "string" && maxRedirects > 0) {
        await response.body.dump();
        if (redirects.length >= maxRedirects) throw new TooManyRedirectsError(String(input), maxRedirects);
        redirects.push(destination.url.href);
        const next = new URL(location, destination.url);
        if (next.origin !== destination.url.origin) headers = withoutCredentials(headers);
        if (response.statusCode === 303 || (response.statusCode <= 302 && method === "POST")) {
          method = method === "HEAD" ? "HEAD" : "GET";
          body = undefined;
        }
        url = next.href;
        continue;
      }
      const bytes = await readCapped(response, destination.url.href, maxBytes);
      return toSafeResponse(destination.url.href, response.statusCode, response.headers, bytes, redirects);
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) throw new FetchTimeoutError(url, timeoutMs);
    if (isOratioError(error)) throw error;
    throw new NetworkError(url, error instanceof Error ? error.message : String(error), error);
  } finally {
    agent.destroy().catch(() => {});
  }
}

async function readCapped(
  response: Awaited<ReturnType<typeof request>>,
  url: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Destroying an unread body makes it emit an abort error nobody else listens for.
    response.body.on("error", () => {});
    response.body.destroy();
    throw new ResponseTooLargeError(url, maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += (chunk as Buffer).length;
    // Leaving the loop by throwing closes the stream.
    if (total > maxBytes) throw new ResponseTooLargeError(url, maxBytes);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function toSafeResponse(
  url: string,
  status: number,
  rawHeaders: Record<string, string | string[] | undefined>,
  body: Uint8Array,
  redirects: string[],
): SafeResponse {
  const headers = new Headers();
  for (const [name, value] of Object.entries(rawHeaders)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const text = () => new TextDecoder().decode(body);
  return {
    url,
    status,
    ok: status >= 200 && status < 300,
    headers,
    body,
    redirects,
    text,
    json: <T>() => JSON.parse(text()) as T,
  };
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name.toLowerCase())),
  );
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for the socket that answers only with addresses already validated for this
 * hostname, so the connection goes exactly where the policy check looked.
 */
function pinnedLookup(pinned: Map<string, ResolvedAddress[]>) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const addresses = pinned.get(hostname);
    if (!addresses?.length) {
      callback(new BlockedDestinationError(hostname, "the host was not validated") as never, "", 4);
      return;
    }
    const family = options.family === 6 || options.family === "IPv6" ? 6 : options.family === 4 ? 4 : 0;
    const usable = family ? addresses.filter((entry) => entry.family === family) : addresses;
    if (options.all) {
      callback(null, usable);
      return;
    }
    const first = usable[0];
    if (!first) {
      callback(
        Object.assign(new Error(`no IPv${family} address for ${hostname}`), { code: "ENOTFOUND" }),
        "",
      );
      return;
    }
    callback(null, first.address, first.family);
  };
}
