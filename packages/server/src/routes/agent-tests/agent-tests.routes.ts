import { z } from "@hono/zod-openapi";
import { TestCaseInputSchema } from "../../builder/schemas.ts";
import { defineRoute, IdParam, Timestamp } from "../../lib/openapi.ts";

const tags = ["Agent tests"];
const read = { role: "viewer", scope: "agents:read" } as const;
const write = { role: "member", scope: "agents:write" } as const;

export const TestCaseSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    turns: z.array(z.string()),
    expectations: z.record(z.string(), z.unknown()).openapi({
      description:
        "mustMention / mustNotMention (phrases), mustCite (boolean), mustCallTool (tool names), " +
        "mustHandOffTo (agent slug or id), mustRequestHuman (boolean)",
    }),
    origin: z.string().openapi({ description: "`builder` for the starter suite, `user` otherwise" }),
    createdAt: Timestamp,
  })
  .openapi("AgentTestCase");

const ExpectationResult = z.object({ expectation: z.string(), passed: z.boolean(), detail: z.string() });

export const TestRunSchema = z
  .object({
    id: z.uuid(),
    agentId: z.uuid(),
    agentVersion: z.number().int(),
    jobId: z.uuid().nullable(),
    status: z.enum(["queued", "running", "passed", "failed", "error"]),
    passed: z.number().int(),
    failed: z.number().int(),
    error: z.string().nullable(),
    results: z.array(
      z.object({
        testId: z.uuid(),
        name: z.string(),
        passed: z.boolean(),
        sessionId: z.uuid().nullable(),
        expectations: z.array(ExpectationResult),
        transcript: z.array(z.record(z.string(), z.unknown())),
        error: z.string().optional(),
      }),
    ),
    createdAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .openapi("AgentTestRun");

export const listTests = defineRoute(read, {
  method: "get",
  path: "/agents/{id}/tests",
  tags,
  summary: "The agent's test suite, in run order",
  request: { params: IdParam },
  responses: {
    200: {
      description: "Tests",
      content: { "application/json": { schema: z.object({ data: z.array(TestCaseSchema) }) } },
    },
  },
});

export const createTest = defineRoute(write, {
  method: "post",
  path: "/agents/{id}/tests",
  tags,
  summary: "Add a test: scripted user turns and expectations",
  request: {
    params: IdParam,
    body: { content: { "application/json": { schema: TestCaseInputSchema } } },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: TestCaseSchema } } },
  },
});

export const deleteTest = defineRoute(write, {
  method: "delete",
  path: "/agents/{id}/tests/{testId}",
  tags,
  summary: "Delete a test",
  request: {
    params: IdParam.extend({ testId: z.uuid().openapi({ param: { name: "testId", in: "path" } }) }),
  },
  responses: { 204: { description: "Deleted" } },
});

export const runTests = defineRoute(write, {
  method: "post",
  path: "/agents/{id}/tests/run",
  tags,
  summary: "Run the suite on an agent version (default: the latest)",
  description:
    "Each test runs as a real session pinned to that version. Follow the job; the results are at " +
    "/agents/{id}/test-runs/{runId}. Handoffs only reach published agents.",
  request: {
    params: IdParam,
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z.strictObject({ version: z.number().int().min(1).optional() }),
        },
      },
    },
  },
  responses: {
    202: {
      description: "Accepted; follow the job",
      content: {
        "application/json": {
          schema: z.object({
            jobId: z.uuid(),
            runId: z.uuid(),
            version: z.number().int(),
            tests: z.number().int(),
          }),
        },
      },
    },
    409: { description: "The agent has no tests" },
  },
});

export const listTestRuns = defineRoute(read, {
  method: "get",
  path: "/agents/{id}/test-runs",
  tags,
  summary: "Recent test runs of the agent, newest first (without transcripts)",
  request: { params: IdParam },
  responses: {
    200: {
      description: "Runs",
      content: {
        "application/json": { schema: z.object({ data: z.array(TestRunSchema.omit({ results: true })) }) },
      },
    },
  },
});

export const getTestRun = defineRoute(read, {
  method: "get",
  path: "/agents/{id}/test-runs/{runId}",
  tags,
  summary: "A test run: pass/fail per expectation with each transcript",
  request: {
    params: IdParam.extend({ runId: z.uuid().openapi({ param: { name: "runId", in: "path" } }) }),
  },
  responses: { 200: { description: "Run", content: { "application/json": { schema: TestRunSchema } } } },
});
