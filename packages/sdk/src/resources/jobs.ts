import { type Http, type RequestOptions, segment } from "../http.ts";
import type { RawTransport } from "./raw.ts";
import { openEventStream } from "./sse.ts";

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** Background work (document ingestion, website crawls); `progress` is job-specific counters. */
export interface Job {
  id: string;
  type: string;
  status: JobStatus;
  progress: Record<string, unknown>;
  result?: unknown;
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export function isTerminal(status: JobStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "cancelled";
}

export function jobsResource(http: Http, raw: RawTransport) {
  return {
    get(id: string, options?: RequestOptions): Promise<Job> {
      return http.get<Job>(`/jobs/${segment(id)}`, options);
    },
    async list(
      query: { type?: string; status?: JobStatus; limit?: number } = {},
      options?: RequestOptions,
    ): Promise<Job[]> {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query))
        if (value !== undefined) params.set(key, String(value));
      const suffix = params.size ? `?${params}` : "";
      return (await http.get<{ data: Job[] }>(`/jobs${suffix}`, options)).data;
    },
    cancel(id: string, options?: RequestOptions): Promise<Job> {
      return http.post<Job>(`/jobs/${segment(id)}/cancel`, {}, options);
    },
    /** Yields the job's state on every change, ending after it finishes (succeeded, failed, cancelled). */
    async *watch(id: string, options: RequestOptions = {}): AsyncGenerator<Job> {
      const events = openEventStream<{ data: Job }>(raw, "GET", `/jobs/${segment(id)}/events`, options);
      for await (const event of events) {
        if (event.event !== "job.updated") continue;
        yield event.data.data;
        if (isTerminal(event.data.data.status)) return;
      }
    },
  };
}
