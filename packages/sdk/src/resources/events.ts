import type { RequestOptions } from "../http.ts";
import type { RawTransport } from "./raw.ts";
import { openEventStream } from "./sse.ts";

/** Everything that happens in the organization: `session.*`, `turn.completed`, `notification.created`, `job.updated`… */
export interface OrgEvent<T = Record<string, unknown>> {
  type: string;
  orgId: string;
  at: string;
  data: T;
}

export function eventsResource(raw: RawTransport) {
  return {
    /** Yields the organization's events as they happen, until `signal` aborts or the server closes. */
    async *stream(options: RequestOptions = {}): AsyncGenerator<OrgEvent> {
      for await (const event of openEventStream<OrgEvent>(raw, "GET", "/events", options)) {
        if (event.data && typeof event.data === "object") yield event.data;
      }
    },
  };
}
