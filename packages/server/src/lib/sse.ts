import type { Context } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { AppEnv } from "../context.ts";
import type { OrgEvent } from "../events/bus.ts";

/**
 * An SSE response fed from the organization's event bus. `initial` events go out first;
 * `filter` picks the bus events to forward; `until` ends the stream after the event it
 * returns true for. A comment line every heartbeat interval (ORATIO_EVENTS_HEARTBEAT_MS,
 * 15 s by default) keeps proxies from closing idle streams.
 */
export function busStream(
  c: Context<AppEnv>,
  orgId: string,
  options: {
    initial?: () => Promise<OrgEvent[]>;
    filter?: (event: OrgEvent) => boolean;
    until?: (event: OrgEvent) => boolean;
  },
): Response {
  const { bus, config } = c.get("deps");
  return streamSSE(c, async (stream: SSEStreamingApi) => {
    const queue: OrgEvent[] = [];
    let wake: (() => void) | undefined;
    // Subscribe before reading the initial state so nothing falls between the two.
    const unsubscribe = bus.subscribe(orgId, (event) => {
      if (options.filter && !options.filter(event)) return;
      queue.push(event);
      wake?.();
    });
    let closed = false;
    stream.onAbort(() => {
      closed = true;
      wake?.();
    });
    const heartbeat = setInterval(() => void stream.write(": keep-alive\n\n"), config.events.heartbeatMs);
    try {
      for (const event of (await options.initial?.()) ?? []) {
        await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
        if (options.until?.(event)) return;
      }
      while (!closed) {
        const event = queue.shift();
        if (!event) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
        if (options.until?.(event)) return;
      }
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
    }
  });
}
