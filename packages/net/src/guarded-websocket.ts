import { WebSocket } from "undici";
import { type DestinationOptions, resolveSafeDestination } from "./destination.ts";
import { BlockedDestinationError } from "./errors.ts";
import { createGuardedDispatcher } from "./guarded-fetch.ts";

/**
 * The part of a WHATWG WebSocket that clients here use. undici's implementation is the one
 * opened below; tests and adapters only rely on this shape.
 */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string | ArrayBufferView | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: "error", listener: (event: unknown) => void): void;
}

export interface GuardedWebSocketOptions extends DestinationOptions {
  /** Sent with the opening handshake (e.g. `Authorization`). */
  headers?: Record<string, string>;
  protocols?: string | string[];
}

/** Opens a WebSocket; the returned socket may still be connecting. */
export type WebSocketOpener = (
  url: string | URL,
  options?: GuardedWebSocketOptions,
) => Promise<WebSocketLike>;

/**
 * Opens a WebSocket (`ws:`/`wss:`) whose connection passes the outbound-request policy, like
 * `createGuardedFetch`: the destination is checked first so a refused one fails with a
 * BlockedDestinationError naming it (a WebSocket's own error event carries no reason), and
 * the connection itself is pinned to the checked address by the guarded dispatcher.
 */
export const openGuardedWebSocket: WebSocketOpener = async (input, options = {}) => {
  const url = new URL(input);
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new BlockedDestinationError(url.href, `the ${url.protocol} scheme is not allowed here`);
  }
  const httpUrl = new URL(url);
  httpUrl.protocol = url.protocol === "wss:" ? "https:" : "http:";
  await resolveSafeDestination(httpUrl, options);
  const socket = new WebSocket(url, {
    dispatcher: createGuardedDispatcher(options),
    headers: options.headers,
    protocols: options.protocols,
  });
  return socket as unknown as WebSocketLike;
};
