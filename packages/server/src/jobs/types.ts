import type { JobStatus, OrgScope } from "@oratio/db";

export interface JobRecord {
  id: string;
  orgId: string;
  type: string;
  status: JobStatus;
  payload: unknown;
  progress: Record<string, unknown>;
  result: unknown;
  error: string | null;
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface JobContext<P> {
  jobId: string;
  orgId: string;
  payload: P;
  /** 1 for the first run; higher after a retry or a resume after restart. */
  attempt: number;
  /** Aborted when the job is cancelled or the server shuts down. */
  signal: AbortSignal;
  /** Merges into the job's progress; persisted and published (throttled). */
  progress(patch: Record<string, unknown>): void;
  /** The progress persisted by an earlier attempt, for resuming. */
  previousProgress: Record<string, unknown>;
}

export type JobHandler<P = unknown> = (ctx: JobContext<P>) => Promise<unknown>;

export interface EnqueueOptions {
  maxAttempts?: number;
  /** Initial progress, e.g. counts known before the work starts. */
  progress?: Record<string, unknown>;
}

/** A durable queue of background work, scoped per organization. */
export interface JobQueue {
  register<P>(type: string, handler: JobHandler<P>): void;
  enqueue(scope: OrgScope, type: string, payload: unknown, options?: EnqueueOptions): Promise<JobRecord>;
  get(scope: OrgScope, id: string): Promise<JobRecord | undefined>;
  list(scope: OrgScope, filter?: { type?: string; status?: JobStatus; limit?: number }): Promise<JobRecord[]>;
  /** Queued jobs are cancelled at once; running ones are signalled and stop at their next check. */
  cancel(scope: OrgScope, id: string): Promise<JobRecord | undefined>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const TERMINAL_STATUSES: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];
