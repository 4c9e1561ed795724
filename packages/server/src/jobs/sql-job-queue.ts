import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { isOratioError } from "@oratio/core";
import { type Database, type JobStatus, jobs, type OrgScope } from "@oratio/db";
import { and, desc, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { EventBus } from "../events/bus.ts";
import type { EnqueueOptions, JobContext, JobHandler, JobQueue, JobRecord } from "./types.ts";

export interface SqlJobQueueOptions {
  db: Database;
  bus: EventBus;
  logger: Logger;
  /** Jobs run at once by this instance. */
  concurrency?: number;
  pollIntervalMs?: number;
  leaseMs?: number;
  /** Minimum time between progress writes for one job. */
  progressIntervalMs?: number;
  /** PGlite: no other process can hold a lease, so leases left by a crash are freed at start. */
  singleInstance?: boolean;
  /** Backoff before retry n (1-based). */
  backoffMs?: (attempt: number) => number;
}

const CANCELLED = "cancelled";
const SHUTDOWN = "shutdown";

interface RunningJob {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The job queue on the application database (PGlite or PostgreSQL). Claims use
 * `FOR UPDATE SKIP LOCKED`, so on PostgreSQL several instances share the queue safely.
 */
export class SqlJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly running = new Map<string, RunningJob>();
  private readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly progressIntervalMs: number;
  private readonly backoffMs: (attempt: number) => number;
  private timer: NodeJS.Timeout | undefined;
  /** The claim loop in progress, if any; stop() waits for it. */
  private ticking: Promise<void> | undefined;
  private tickAgain = false;
  private stopped = true;

  constructor(private readonly options: SqlJobQueueOptions) {
    this.concurrency = options.concurrency ?? 2;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
    this.backoffMs = options.backoffMs ?? ((n) => Math.min(300_000, 1000 * 4 ** (n - 1)));
  }

  register<P>(type: string, handler: JobHandler<P>): void {
    this.handlers.set(type, handler as JobHandler<never>);
  }

  async enqueue(
    scope: OrgScope,
    type: string,
    payload: unknown,
    options: EnqueueOptions = {},
  ): Promise<JobRecord> {
    if (!this.handlers.has(type)) throw new Error(`No handler registered for job type "${type}"`);
    const [row] = await scope.db
      .insert(jobs)
      .values({
        orgId: scope.orgId,
        type,
        payload: payload ?? {},
        progress: options.progress ?? {},
        maxAttempts: options.maxAttempts ?? 3,
      })
      .returning();
    const job = row as JobRecord;
    this.publish(job);
    this.wake();
    return job;
  }

  async get(scope: OrgScope, id: string): Promise<JobRecord | undefined> {
    const [row] = await scope.db
      .select()
      .from(jobs)
      .where(scope.where(jobs, eq(jobs.id, id)));
    return row as JobRecord | undefined;
  }

  async list(scope: OrgScope, filter: { type?: string; status?: JobStatus; limit?: number } = {}) {
    const rows = await scope.db
      .select()
      .from(jobs)
      .where(
        scope.where(
          jobs,
          filter.type ? eq(jobs.type, filter.type) : undefined,
          filter.status ? eq(jobs.status, filter.status) : undefined,
        ),
      )
      .orderBy(desc(jobs.createdAt))
      .limit(filter.limit ?? 50);
    return rows as JobRecord[];
  }

  async cancel(scope: OrgScope, id: string): Promise<JobRecord | undefined> {
    const existing = await this.get(scope, id);
    if (!existing) return undefined;
    if (existing.status === "queued") {
      const [row] = await scope.db
        .update(jobs)
        .set({ status: "cancelled", cancelRequested: true, finishedAt: new Date(), updatedAt: new Date() })
        .where(scope.where(jobs, eq(jobs.id, id), eq(jobs.status, "queued")))
        .returning();
      if (row) {
        this.publish(row as JobRecord);
        return row as JobRecord;
      }
    }
    if (existing.status === "running" || existing.status === "queued") {
      await scope.db
        .update(jobs)
        .set({ cancelRequested: true, updatedAt: new Date() })
        .where(scope.where(jobs, eq(jobs.id, id)));
      // Fast path when the job runs here; other instances see the flag at their next lease renewal.
      this.running.get(id)?.controller.abort(CANCELLED);
    }
    return this.get(scope, id);
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (this.options.singleInstance) {
      await this.options.db
        .update(jobs)
        .set({ lockedUntil: new Date(0) })
        .where(eq(jobs.status, "running"));
      if (this.stopped) return; // stop() was called while leases were being freed
    }
    this.timer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    // A claim may be on its way to the database: wait for it, so a job won after this point
    // is handed back by tick() instead of starting with nobody left to abort it.
    await this.ticking;
    for (const job of this.running.values()) job.controller.abort(SHUTDOWN);
    await Promise.allSettled([...this.running.values()].map((j) => j.done));
  }

  /** Claims and starts as many jobs as there are free slots; coalesces concurrent calls. */
  private wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = this.tick()
      .catch((error) => this.options.logger.error({ err: error }, "job queue tick failed"))
      .finally(() => {
        this.ticking = undefined;
        if (this.tickAgain) {
          this.tickAgain = false;
          this.wake();
        }
      });
  }

  private async tick(): Promise<void> {
    while (!this.stopped && this.running.size < this.concurrency) {
      const job = await this.claim();
      if (!job) return;
      if (this.stopped) {
        await this.handBack(job);
        return;
      }
      this.run(job);
    }
  }

  private async claim(): Promise<JobRecord | undefined> {
    const types = [...this.handlers.keys()];
    if (types.length === 0) return undefined;
    const { db } = this.options;
    const candidate = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          inArray(jobs.type, types),
          eq(jobs.cancelRequested, false),
          or(
            and(eq(jobs.status, "queued"), lte(jobs.runAfter, sql`now()`)),
            and(eq(jobs.status, "running"), lt(jobs.lockedUntil, sql`now()`)),
          ),
        ),
      )
      .orderBy(jobs.runAfter)
      .limit(1)
      .for("update", { skipLocked: true });
    const [row] = await db
      .update(jobs)
      .set({
        status: "running",
        attempts: sql`${jobs.attempts} + 1`,
        lockedBy: this.workerId,
        lockedUntil: sql`now() + ${`${this.leaseMs} milliseconds`}::interval`,
        startedAt: sql`coalesce(${jobs.startedAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(inArray(jobs.id, candidate))
      .returning();
    return row as JobRecord | undefined;
  }

  /** Returns a job claimed during shutdown untouched: queued again, its attempt not spent. */
  private async handBack(job: JobRecord): Promise<void> {
    const [row] = await this.options.db
      .update(jobs)
      .set({
        status: "queued",
        attempts: Math.max(0, job.attempts - 1),
        runAfter: new Date(),
        lockedBy: null,
        lockedUntil: null,
        updatedAt: new Date(),
      })
      .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, this.workerId)))
      .returning();
    if (row) this.publish(row as JobRecord);
  }

  private run(job: JobRecord): void {
    const controller = new AbortController();
    const done = this.execute(job, controller).finally(() => {
      this.running.delete(job.id);
      this.wake();
    });
    this.running.set(job.id, { controller, done });
  }

  private async execute(job: JobRecord, controller: AbortController): Promise<void> {
    const { db, logger } = this.options;
    const handler = this.handlers.get(job.type)!;
    const progress: Record<string, unknown> = { ...job.progress };
    let flushTimer: NodeJS.Timeout | undefined;
    let flushing: Promise<void> = Promise.resolve();
    const flush = () => {
      flushTimer = undefined;
      const snapshot = { ...progress };
      flushing = flushing
        .then(async () => {
          await db.update(jobs).set({ progress: snapshot, updatedAt: new Date() }).where(eq(jobs.id, job.id));
          this.publish({ ...job, status: "running", progress: snapshot });
        })
        .catch((error) => logger.warn({ err: error, jobId: job.id }, "job progress write failed"));
    };
    const lease = setInterval(() => void this.renewLease(job.id, controller), Math.max(50, this.leaseMs / 3));
    lease.unref();
    this.publish({ ...job, status: "running" });

    const ctx: JobContext<never> = {
      jobId: job.id,
      orgId: job.orgId,
      payload: job.payload as never,
      attempt: job.attempts,
      signal: controller.signal,
      previousProgress: { ...job.progress },
      progress: (patch) => {
        Object.assign(progress, patch);
        flushTimer ??= setTimeout(flush, this.progressIntervalMs);
      },
    };

    let outcome: Partial<typeof jobs.$inferInsert>;
    try {
      const result = await handler(ctx);
      if (controller.signal.aborted) throw controller.signal.reason;
      outcome = { status: "succeeded", result: result ?? null, error: null, finishedAt: new Date() };
    } catch (error) {
      outcome = this.failureOutcome(job, error, controller.signal);
      if (outcome.status === "failed")
        logger.warn({ err: error, jobId: job.id, type: job.type }, "job failed");
    } finally {
      clearInterval(lease);
      clearTimeout(flushTimer);
    }
    await flushing;
    const [row] = await db
      .update(jobs)
      .set({ ...outcome, progress, lockedBy: null, lockedUntil: null, updatedAt: new Date() })
      .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, this.workerId)))
      .returning();
    if (row) this.publish(row as JobRecord);
  }

  private failureOutcome(
    job: JobRecord,
    error: unknown,
    signal: AbortSignal,
  ): Partial<typeof jobs.$inferInsert> {
    if (signal.aborted && signal.reason === CANCELLED) {
      return { status: "cancelled", finishedAt: new Date() };
    }
    if (signal.aborted && signal.reason === SHUTDOWN) {
      // Not the job's fault: give the attempt back and let the next start resume it.
      return { status: "queued", attempts: Math.max(0, job.attempts - 1), runAfter: new Date() };
    }
    const message = error instanceof Error ? error.message : String(error);
    const retryable = isOratioError(error) ? error.retryable : true;
    if (retryable && job.attempts < job.maxAttempts) {
      return {
        status: "queued",
        error: message,
        runAfter: new Date(Date.now() + this.backoffMs(job.attempts)),
      };
    }
    return { status: "failed", error: message, finishedAt: new Date() };
  }

  private async renewLease(id: string, controller: AbortController): Promise<void> {
    try {
      const [row] = await this.options.db
        .update(jobs)
        .set({ lockedUntil: sql`now() + ${`${this.leaseMs} milliseconds`}::interval` })
        .where(and(eq(jobs.id, id), eq(jobs.lockedBy, this.workerId)))
        .returning({ cancelRequested: jobs.cancelRequested });
      if (row?.cancelRequested) controller.abort(CANCELLED);
    } catch (error) {
      this.options.logger.warn({ err: error, jobId: id }, "job lease renewal failed");
    }
  }

  private publish(job: JobRecord): void {
    this.options.bus.publish(job.orgId, "job.updated", jobEventData(job));
  }
}

/** The public shape of a job, used by the API and in events. */
export function jobEventData(job: JobRecord) {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    progress: job.progress,
    result: job.result ?? null,
    error: job.error ?? null,
    attempts: job.attempts,
    createdAt: job.createdAt instanceof Date ? job.createdAt.toISOString() : String(job.createdAt),
    startedAt: job.startedAt ? new Date(job.startedAt).toISOString() : null,
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
  };
}
