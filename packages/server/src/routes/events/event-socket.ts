import type { WSContext, WSEvents } from "hono/ws";
import type { EventBus, OrgEvent } from "../../events/bus.ts";

/** Close codes of the event socket beyond the standard ones (4000–4999 are for applications). */
export const EVENT_SOCKET_CLOSE = {
  /** The client did not read fast enough and its queue reached the limit. */
  slowConsumer: 4008,
} as const;

/** The parts of the underlying `ws` socket the stream needs: queue size and ping/pong. */
interface RawSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  ping(): void;
  terminate(): void;
  on(event: "pong", listener: () => void): void;
}

const OPEN = 1;
/**
 * Pings left unanswered before the peer counts as gone. More than one, so a busy event loop
 * on either side (the pong read late) does not cut off a healthy client.
 */
const MAX_UNANSWERED_PINGS = 2;

export interface EventSocketOptions {
  heartbeatMs: number;
  /** Bytes the socket may hold unsent before the reader counts as too slow. */
  maxBufferedBytes: number;
}

/**
 * The organization's live events over a WebSocket: the same `{type, orgId, at, data}` JSON
 * as the SSE stream, one event per text message. Every heartbeat interval the server pings
 * (a peer that leaves two pings in a row unanswered is dropped) and sends
 * `{"type":"heartbeat","at":…}` so clients, which cannot see pings in a browser, can tell a
 * quiet stream from a dead one. What the socket may queue is bounded: a reader that falls
 * behind by more than `maxBufferedBytes` is closed with 4008 instead of growing the
 * server's memory, and reconnects to continue from the current state.
 */
export function orgEventSocket(bus: EventBus, orgId: string, options: EventSocketOptions): WSEvents {
  let unsubscribe = () => {};
  let heartbeat: NodeJS.Timeout | undefined;
  const stop = () => {
    unsubscribe();
    unsubscribe = () => {};
    clearInterval(heartbeat);
  };
  return {
    onOpen(_event, ws: WSContext) {
      const raw = ws.raw as RawSocket;
      const send = (text: string) => {
        if (raw.readyState !== OPEN) return;
        if (raw.bufferedAmount + Buffer.byteLength(text) > options.maxBufferedBytes) {
          stop();
          ws.close(
            EVENT_SOCKET_CLOSE.slowConsumer,
            `Too slow: more than ${options.maxBufferedBytes} bytes of events unread. Reconnect.`,
          );
          return;
        }
        ws.send(text);
      };
      unsubscribe = bus.subscribe(orgId, (event: OrgEvent) => send(JSON.stringify(event)));
      let unanswered = 0;
      raw.on("pong", () => {
        unanswered = 0;
      });
      heartbeat = setInterval(() => {
        if (unanswered >= MAX_UNANSWERED_PINGS) {
          stop();
          raw.terminate(); // the peer is gone: no closing handshake to wait for
          return;
        }
        unanswered += 1;
        raw.ping();
        send(JSON.stringify({ type: "heartbeat", at: new Date().toISOString() }));
      }, options.heartbeatMs);
      heartbeat.unref();
    },
    // The stream is one-way; frames from the client carry nothing and are ignored.
    onClose: stop,
    onError: stop,
  };
}
