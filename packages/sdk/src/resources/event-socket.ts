import type { WebSocketConstructor } from "../voice/browser-types.ts";
import type { OrgEvent } from "./events.ts";

/** Close code the server uses for a reader too slow to keep up with the organization's events. */
export const SLOW_CONSUMER_CLOSE_CODE = 4008;

/** The organization's event socket closed before the caller stopped listening. */
export class EventSocketClosedError extends Error {
  constructor(
    /** WebSocket close code: 4008 for a reader that fell behind, 1006 for a refused or lost connection. */
    readonly code: number,
    readonly reason: string,
  ) {
    super(
      code === SLOW_CONSUMER_CLOSE_CODE
        ? "The event stream fell too far behind and was closed by the server; reconnect to continue."
        : `The event stream closed (code ${code}${reason ? `: ${reason}` : ""}).`,
    );
    this.name = "EventSocketClosedError";
  }
}

const OPEN = 1;

/**
 * Yields the events arriving on an organization event socket. Heartbeats are dropped; the
 * generator ends when `signal` aborts (closing the socket) and throws EventSocketClosedError
 * when the server or the network ends the stream first.
 */
export async function* readEventSocket(
  url: string,
  WebSocketImpl: WebSocketConstructor,
  signal?: AbortSignal,
  onOpen?: () => void,
): AsyncGenerator<OrgEvent> {
  signal?.throwIfAborted();
  const socket = new WebSocketImpl(url);
  // The server subscribes before it completes the upgrade, so from here on nothing is missed.
  socket.onopen = () => onOpen?.();
  const queue: OrgEvent[] = [];
  let closed: { code: number; reason: string } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  socket.onmessage = (event) => {
    if (typeof event.data !== "string") return;
    try {
      const parsed = JSON.parse(event.data) as OrgEvent;
      if (parsed.type !== "heartbeat") queue.push(parsed);
    } catch {
      return;
    }
    notify();
  };
  // A refused upgrade (401/403) reaches a browser only as an error followed by a 1006 close.
  socket.onerror = () => undefined;
  socket.onclose = (event) => {
    closed = { code: event.code, reason: event.reason };
    notify();
  };
  const onAbort = () => {
    if (socket.readyState <= OPEN) socket.close(1000, "done");
    notify();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (signal?.aborted) return;
      if (closed) throw new EventSocketClosedError(closed.code, closed.reason);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    if (socket.readyState <= OPEN) socket.close(1000, "done");
  }
}
