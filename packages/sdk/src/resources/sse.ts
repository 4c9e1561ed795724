import type { RequestOptions } from "../http.ts";
import type { RawTransport } from "./raw.ts";

/** One server-sent event, its data parsed as JSON. */
export interface StreamEvent<T = unknown> {
  event: string;
  data: T;
  id?: string;
}

/**
 * Parses a `text/event-stream` body into events (WHATWG rules: `event:`, `data:` lines joined
 * by newlines, `id:`, comment lines ignored, a blank line dispatches). Data that is not JSON is
 * passed through as a string.
 */
export async function* parseEventStream(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<StreamEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  let buffer = "";
  let event = "message";
  let data: string[] = [];
  let id: string | undefined;
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.search(/\r\n|\r|\n/);
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
        newline = buffer.search(/\r\n|\r|\n/);
        if (line === "") {
          if (data.length > 0) yield { event, data: parseData(data.join("\n")), id };
          event = "message";
          data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const raw = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = raw;
        else if (field === "data") data.push(raw);
        else if (field === "id") id = raw;
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
  signal?.throwIfAborted();
}

function parseData(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Opens a GET or POST event stream and yields its events until the server ends it or `signal`
 * aborts. `onOpen` runs when the server's response has arrived.
 */
export async function* openEventStream<T>(
  raw: RawTransport,
  method: "GET" | "POST",
  path: string,
  options: RequestOptions & { body?: unknown; onOpen?: () => void } = {},
): AsyncGenerator<StreamEvent<T>> {
  const { onOpen, ...requestOptions } = options;
  const response = await raw.request(method, path, { ...requestOptions, accept: "text/event-stream" });
  onOpen?.();
  if (!response.body) return;
  try {
    for await (const event of parseEventStream(response.body, options.signal)) {
      yield event as StreamEvent<T>;
    }
  } catch (error) {
    // An aborted stream is the caller's own doing, not a failure.
    if (options.signal?.aborted) return;
    throw error;
  }
}
