import { ConflictError, NotFoundError } from "@oratio/core";
import { agentTestCases, agentTestRuns } from "@oratio/db";
import { desc, eq } from "drizzle-orm";
import {
  RUN_AGENT_TESTS_JOB,
  type TestResult,
  type TestRunPayload,
  testOrder,
} from "../../builder/test-run-job.ts";
import { type Handler, iso } from "../../lib/openapi.ts";
import { orgOf } from "../../middleware/authorize.ts";
import { findAgent, loadVersion } from "../agents/agents.service.ts";
import type * as routes from "./agent-tests.routes.ts";

type CaseRow = typeof agentTestCases.$inferSelect;
type RunRow = typeof agentTestRuns.$inferSelect;

function caseDto(row: CaseRow) {
  return {
    id: row.id,
    name: row.name,
    turns: row.turns as string[],
    expectations: row.expectations as Record<string, unknown>,
    origin: row.origin,
    createdAt: row.createdAt.toISOString(),
  };
}

function runDto(row: RunRow) {
  return {
    id: row.id,
    agentId: row.agentId,
    agentVersion: row.agentVersion,
    jobId: row.jobId,
    status: row.status,
    passed: row.passed,
    failed: row.failed,
    error: row.error,
    results: row.results as TestResult[],
    createdAt: row.createdAt.toISOString(),
    finishedAt: iso(row.finishedAt),
  };
}

export const listTests: Handler<typeof routes.listTests> = async (c) => {
  const { scope } = orgOf(c);
  const agent = await findAgent(scope, c.req.valid("param").id);
  const rows = await scope.db
    .select()
    .from(agentTestCases)
    .where(scope.where(agentTestCases, eq(agentTestCases.agentId, agent.id)))
    .orderBy(...testOrder());
  return c.json({ data: rows.map(caseDto) }, 200);
};

export const createTest: Handler<typeof routes.createTest> = async (c) => {
  const { scope } = orgOf(c);
  const agent = await findAgent(scope, c.req.valid("param").id);
  const body = c.req.valid("json");
  const [row] = await scope.db
    .insert(agentTestCases)
    .values({
      orgId: scope.orgId,
      agentId: agent.id,
      name: body.name,
      turns: body.turns,
      expectations: body.expectations,
      origin: "user",
    })
    .returning();
  return c.json(caseDto(row!), 201);
};

export const deleteTest: Handler<typeof routes.deleteTest> = async (c) => {
  const { scope } = orgOf(c);
  const { id, testId } = c.req.valid("param");
  const removed = await scope.db
    .delete(agentTestCases)
    .where(scope.where(agentTestCases, eq(agentTestCases.id, testId), eq(agentTestCases.agentId, id)))
    .returning({ id: agentTestCases.id });
  if (removed.length === 0) throw new NotFoundError("Test");
  return c.body(null, 204);
};

export const runTests: Handler<typeof routes.runTests> = async (c) => {
  const deps = c.get("deps");
  const { scope } = orgOf(c);
  const agent = await findAgent(scope, c.req.valid("param").id);
  const body = (c.req.valid("json") ?? {}) as { version?: number };
  const version = body.version ?? agent.latestVersion;
  await loadVersion(scope, agent.id, version);
  const cases = await scope.db
    .select({ id: agentTestCases.id })
    .from(agentTestCases)
    .where(scope.where(agentTestCases, eq(agentTestCases.agentId, agent.id)));
  if (cases.length === 0) throw new ConflictError("This agent has no tests; add some first.");
  const [run] = await scope.db
    .insert(agentTestRuns)
    .values({ orgId: scope.orgId, agentId: agent.id, agentVersion: version })
    .returning({ id: agentTestRuns.id });
  const payload: TestRunPayload = { runId: run!.id, agentId: agent.id, version };
  // One attempt: a rerun would duplicate the test sessions; start a new run instead.
  const job = await deps.jobs.enqueue(scope, RUN_AGENT_TESTS_JOB, payload, {
    maxAttempts: 1,
    progress: { total: cases.length, done: 0, passed: 0, failed: 0 },
  });
  await scope.db
    .update(agentTestRuns)
    .set({ jobId: job.id })
    .where(scope.where(agentTestRuns, eq(agentTestRuns.id, run!.id)));
  return c.json({ jobId: job.id, runId: run!.id, version, tests: cases.length }, 202);
};

export const listTestRuns: Handler<typeof routes.listTestRuns> = async (c) => {
  const { scope } = orgOf(c);
  const agent = await findAgent(scope, c.req.valid("param").id);
  const rows = await scope.db
    .select()
    .from(agentTestRuns)
    .where(scope.where(agentTestRuns, eq(agentTestRuns.agentId, agent.id)))
    .orderBy(desc(agentTestRuns.createdAt))
    .limit(50);
  return c.json({ data: rows.map(({ results: _r, ...row }) => runDto({ ...row, results: [] })) }, 200);
};

export const getTestRun: Handler<typeof routes.getTestRun> = async (c) => {
  const { scope } = orgOf(c);
  const { id, runId } = c.req.valid("param");
  const [row] = await scope.db
    .select()
    .from(agentTestRuns)
    .where(scope.where(agentTestRuns, eq(agentTestRuns.id, runId), eq(agentTestRuns.agentId, id)));
  if (!row) throw new NotFoundError("Test run");
  return c.json(runDto(row), 200);
};
