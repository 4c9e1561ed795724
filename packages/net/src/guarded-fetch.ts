import { isIP } from "node:net";
import { Agent, buildConnector, type Dispatcher, fetch as undiciFetch } from "undici";
import { type DestinationOptions, resolveSafeDestination } from "./destination.ts";

/**
 * An undici dispatcher that checks every connection it opens (the first request, every
 * redirect hop, every reconnect) against the outbound-request policy and connects to the
 * validated IP address itself, with the original name kept for TLS (SNI and certificate
 * check). Use it where a library takes a dispatcher or a `fetch` and streams the answer,
 * such as LLM clients; use `safeFetch` where a buffered body with limits is enough.
 */
export function createGuardedDispatcher(options: DestinationOptions = {}): Dispatcher {
  const connect = buildConnector({});
  return new Agent({
    connect: (connectOptions, callback) => {
      const hostname = connectOptions.hostname.replace(/^\[(.*)\]$/, "$1");
      const protocol = connectOptions.protocol === "https:" ? "https:" : "http:";
      const url = `${protocol}//${isIP(hostname) === 6 ? `[${hostname}]` : hostname}/`;
      resolveSafeDestination(url, options).then(
        ({ addresses }) => {
          const servername = connectOptions.servername ?? (isIP(hostname) ? undefined : hostname);
          connect({ ...connectOptions, hostname: addresses[0]!.address, servername }, callback);
        },
        (error: Error) => callback(error, null),
      );
    },
  });
}

export type GuardedFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` with the same signature as the global one whose connections all pass the
 * outbound-request policy. Failures surface as fetch does it: a TypeError whose `cause` is
 * the BlockedDestinationError (or network error).
 */
export function createGuardedFetch(options: DestinationOptions = {}): GuardedFetch {
  const dispatcher = createGuardedDispatcher(options);
  return (input, init) =>
    undiciFetch(input, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    }) as unknown as Promise<Response>;
}
