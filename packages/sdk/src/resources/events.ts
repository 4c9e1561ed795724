import { API_PATH, type Http, type RequestOptions } from "../http.ts";
import { browser, type WebSocketConstructor } from "../voice/browser-types.ts";
import { readEventSocket } from "./event-socket.ts";
import type { RawTransport } from "./raw.ts";
import { openEventStream } from "./sse.ts";

/** Everything that happens in the organization: `session.*`, `turn.completed`, `notification.created`, `job.updated`… */
export interface OrgEvent<T = Record<string, unknown>> {
  type: string;
  orgId: string;
  at: string;
  data: T;
}

export interface EventStreamOptions extends RequestOptions {
  /**
   * `sse` (default) reads server-sent events over fetch; `websocket` opens `GET /events` as a
   * WebSocket. Both carry the same events.
   */
  transport?: "sse" | "websocket";
  /** WebSocket implementation for `transport: "websocket"`; defaults to the global one (browsers, Node ≥ 22). */
  WebSocket?: WebSocketConstructor;
  /**
   * Called once the server has accepted the stream: every event from then on will arrive.
   * Anything that happened before may have been missed, so a reader that shows state
   * refetches it here.
   */
  onOpen?: () => void;
}

export interface EventsResourceOptions {
  http: Http;
  baseUrl: string;
  apiKey?: string;
}

export function eventsResource(raw: RawTransport, options: EventsResourceOptions) {
  /**
   * The socket URL: a WebSocket carries no headers from a browser, so the credential and the
   * chosen organization travel as `access_token` and `orgId` (accepted on upgrades only).
   * For a signed-in user, asking `/me` first renews an expired access token and reports a
   * lost session as an ApiError rather than a bare socket failure (API keys do not expire).
   */
  async function socketUrl(requestOptions: RequestOptions = {}): Promise<string> {
    const { http } = options;
    if (!options.apiKey) await http.get("/me", requestOptions);
    const credential = options.apiKey ?? http.tokenStore.get()?.accessToken;
    const base = options.baseUrl || browser.location?.origin;
    if (!base) throw new Error("No server address: set the client's baseUrl.");
    const url = new URL(`${base.replace(/\/+$/, "")}${API_PATH}/events`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    if (credential) url.searchParams.set("access_token", credential);
    if (http.organizationId && !options.apiKey) url.searchParams.set("orgId", http.organizationId);
    return url.href;
  }

  return {
    /** Yields the organization's events as they happen, until `signal` aborts or the server closes. */
    async *stream(streamOptions: EventStreamOptions = {}): AsyncGenerator<OrgEvent> {
      if (streamOptions.transport === "websocket") {
        const WebSocketImpl = streamOptions.WebSocket ?? browser.WebSocket;
        if (!WebSocketImpl) throw new Error("This environment has no WebSocket; pass one in options.");
        const url = await socketUrl({ signal: streamOptions.signal });
        yield* readEventSocket(url, WebSocketImpl, streamOptions.signal, streamOptions.onOpen);
        return;
      }
      for await (const event of openEventStream<OrgEvent>(raw, "GET", "/events", streamOptions)) {
        if (event.data && typeof event.data === "object") yield event.data;
      }
    },
    /** The event WebSocket's URL, credential included: keep it private. */
    socketUrl,
  };
}
