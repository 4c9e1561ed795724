import { UnprocessableError } from "@oratio/core";
import { jobs as jobsTable, OrgScope, organizations } from "@oratio/db";
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessEventBus } from "../src/events/bus.ts";
import { SqlJobQueue } from "../src/jobs/sql-job-queue.ts";
import type { JobRecord } from "../src/jobs/types.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { expectProblem, signUp } from "./helpers.ts";

let t: TestApp;
let scope: OrgScope;
const logger = pino({ level: "silent" });
const queues: SqlJobQueue[] = [];

function newQueue(options: Partial<ConstructorParameters<typeof SqlJobQueue>[0]> = {}) {
  const q = new SqlJobQueue({
    db: t.database.db,
    bus: new InProcessEventBus(),
    logger,
    pollIntervalMs: 20,
    progressIntervalMs: 10,
    backoffMs: () => 10,
    ...options,
  });
  queues.push(q);
  return q;
}

async function waitFor(
  q: SqlJobQueue,
  id: string,
  statuses: string[],
  timeoutMs = 15_000,
): Promise<JobRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await q.get(scope, id);
    if (job && statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} stuck in ${job?.status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  t = await createTestApp();
  const [org] = await t.database.db.insert(organizations).values({ name: "Jobs" }).returning();
  scope = new OrgScope(t.database.db, org!.id);
});
afterAll(async () => {
  await Promise.all(queues.map((q) => q.stop()));
  await t.close();
});

describe("SqlJobQueue", () => {
  it("refuses job types nobody handles", async () => {
    await expect(newQueue().enqueue(scope, "nobody-handles-this", {})).rejects.toThrow(/No handler/);
  });

  it("runs a job to completion, keeping its progress and result", async () => {
    const q = newQueue();
    q.register<{ n: number }>("count", async (ctx) => {
      for (let i = 1; i <= ctx.payload.n; i++) ctx.progress({ done: i, current: `item ${i}` });
      return { total: ctx.payload.n };
    });
    await q.start();
    const job = await q.enqueue(scope, "count", { n: 3 }, { progress: { done: 0 } });
    expect(job.status).toBe("queued");
    const done = await waitFor(q, job.id, ["succeeded"]);
    expect(done.result).toEqual({ total: 3 });
    expect(done.progress).toEqual({ done: 3, current: "item 3" });
    expect(done.attempts).toBe(1);
    expect(done.finishedAt).not.toBeNull();
  });

  it("retries transient failures and gives up on permanent ones", async () => {
    const q = newQueue();
    let calls = 0;
    q.register("flaky", async () => {
      calls += 1;
      if (calls < 3) throw new Error("connection reset");
      return "ok";
    });
    q.register("broken", async () => {
      throw new UnprocessableError("The PDF is encrypted.");
    });
    await q.start();
    const flaky = await q.enqueue(scope, "flaky", {}, { maxAttempts: 3 });
    const broken = await q.enqueue(scope, "broken", {});
    const flakyDone = await waitFor(q, flaky.id, ["succeeded", "failed"]);
    expect(flakyDone).toMatchObject({ status: "succeeded", attempts: 3 });
    const brokenDone = await waitFor(q, broken.id, ["succeeded", "failed"]);
    expect(brokenDone).toMatchObject({ status: "failed", attempts: 1, error: "The PDF is encrypted." });
  });

  it("cancels queued jobs at once and running jobs through their signal", async () => {
    const q = newQueue({ concurrency: 1 });
    let sawAbort = false;
    q.register("wait", async (ctx) => {
      ctx.progress({ started: true });
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
      sawAbort = true;
    });
    await q.start();
    const running = await q.enqueue(scope, "wait", {});
    await waitFor(q, running.id, ["running"]);
    const queued = await q.enqueue(scope, "wait", {});
    expect((await q.cancel(scope, queued.id))?.status).toBe("cancelled");
    await q.cancel(scope, running.id);
    const cancelled = await waitFor(q, running.id, ["cancelled"]);
    expect(sawAbort).toBe(true);
    expect(cancelled.finishedAt).not.toBeNull();
  });

  it("resumes a job whose worker died, with the progress it had saved", async () => {
    // A worker claimed the job, saved progress, then its process died (lease expired).
    const [row] = await t.database.db
      .insert(jobsTable)
      .values({
        orgId: scope.orgId,
        type: "resumable",
        status: "running",
        attempts: 1,
        progress: { pagesDone: 7 },
        lockedBy: "dead-worker",
        lockedUntil: new Date(Date.now() - 1000),
        startedAt: new Date(),
      })
      .returning();
    const q = newQueue();
    let resumedFrom: unknown;
    q.register("resumable", async (ctx) => {
      resumedFrom = ctx.previousProgress;
      ctx.progress({ pagesDone: 10 });
      return { attempt: ctx.attempt };
    });
    await q.start();
    const done = await waitFor(q, row!.id, ["succeeded"]);
    expect(resumedFrom).toEqual({ pagesDone: 7 });
    expect(done.result).toEqual({ attempt: 2 });
    expect(done.progress).toEqual({ pagesDone: 10 });
  });

  it("hands a job back to the queue on shutdown without spending an attempt", async () => {
    const first = newQueue();
    first.register("long", async (ctx) => {
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
      throw ctx.signal.reason;
    });
    await first.start();
    const job = await first.enqueue(scope, "long", {});
    await waitFor(first, job.id, ["running"]);
    await first.stop();
    const after = await first.get(scope, job.id);
    expect(after).toMatchObject({ status: "queued", attempts: 0 });

    const second = newQueue();
    second.register("long", async () => "finished");
    await second.start();
    expect((await waitFor(second, job.id, ["succeeded"])).result).toBe("finished");
  });

  it("hands back a job whose claim was still in flight when stop() was called", async () => {
    // start() begins a claim at once; stop() in the same tick must wait for that claim and
    // return the job it won rather than leave it running with nobody to abort it.
    const q = newQueue();
    let handlerRuns = 0;
    q.register("raced", async (ctx) => {
      handlerRuns += 1;
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
      throw ctx.signal.reason;
    });
    const job = await q.enqueue(scope, "raced", {});
    void q.start();
    await q.stop();
    const after = await q.get(scope, job.id);
    expect(after).toMatchObject({ status: "queued", attempts: 0 });
    expect(handlerRuns).toBe(0);
    const [row] = await t.database.db.select().from(jobsTable).where(eq(jobsTable.id, job.id));
    expect(row?.lockedBy).toBeNull();
    // Left queued for the next start; cancel it so later queues in this file do not pick it up.
    await q.cancel(scope, job.id);
  });

  it("never shows a job to another organization", async () => {
    const q = newQueue();
    q.register("private", async () => "secret");
    const job = await q.enqueue(scope, "private", {});
    const [other] = await t.database.db.insert(organizations).values({ name: "Other" }).returning();
    const otherScope = new OrgScope(t.database.db, other!.id);
    expect(await q.get(otherScope, job.id)).toBeUndefined();
    expect(await q.cancel(otherScope, job.id)).toBeUndefined();
    expect((await q.list(otherScope)).map((j) => j.id)).not.toContain(job.id);
    const [stillThere] = await t.database.db.select().from(jobsTable).where(eq(jobsTable.id, job.id));
    expect(stillThere?.cancelRequested).toBe(false);
  });
});

describe("jobs API", () => {
  it("reads status and streams progress over SSE until the job ends", async () => {
    const a = await signUp(t);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    t.deps.jobs.register("api.demo", async (ctx) => {
      ctx.progress({ step: 1 });
      await gate;
      ctx.progress({ step: 2 });
      return { ok: true };
    });
    const job = await t.deps.jobs.enqueue(new OrgScope(t.database.db, a.orgId), "api.demo", {});

    const events = await t.request("GET", `/api/v1/jobs/${job.id}/events`, {
      token: a.accessToken,
      headers: { accept: "text/event-stream" },
    });
    expect(events.headers.get("content-type")).toContain("text/event-stream");
    setTimeout(release, 100);
    const text = await events.text(); // ends when the job does
    const statuses = [...text.matchAll(/"status":"(\w+)"/g)].map((m) => m[1]);
    expect(statuses.at(-1)).toBe("succeeded");
    expect(text).toContain('"step":2');

    const status = await t.request("GET", `/api/v1/jobs/${job.id}`, { token: a.accessToken });
    expect(await status.json()).toMatchObject({ id: job.id, status: "succeeded", result: { ok: true } });
    const list = await t.request("GET", "/api/v1/jobs?type=api.demo", { token: a.accessToken });
    expect((await list.json()).data).toHaveLength(1);

    const b = await signUp(t);
    await expectProblem(await t.request("GET", `/api/v1/jobs/${job.id}`, { token: b.accessToken }), 404);
  });
});
