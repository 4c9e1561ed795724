import { z } from "@hono/zod-openapi";
import { JOB_STATUSES } from "@oratio/db";
import { defineRoute, IdParam, Timestamp } from "../../lib/openapi.ts";

const tags = ["Jobs"];

export const JobSchema = z
  .object({
    id: z.uuid(),
    type: z.string().openapi({ example: "knowledge.crawl" }),
    status: z.enum(JOB_STATUSES),
    progress: z.record(z.string(), z.unknown()),
    result: z.unknown().nullable(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
  })
  .openapi("Job");

const json = { "application/json": { schema: JobSchema } };

export const listJobs = defineRoute(
  { role: "viewer", scope: "jobs:read" },
  {
    method: "get",
    path: "/jobs",
    tags,
    summary: "Recent background jobs of the organization",
    request: {
      query: z.object({
        type: z.string().max(100).optional(),
        status: z.enum(JOB_STATUSES).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    },
    responses: {
      200: {
        description: "Jobs",
        content: { "application/json": { schema: z.object({ data: z.array(JobSchema) }) } },
      },
    },
  },
);

export const getJob = defineRoute(
  { role: "viewer", scope: "jobs:read" },
  {
    method: "get",
    path: "/jobs/{id}",
    tags,
    summary: "A job's status, progress, result or error",
    request: { params: IdParam },
    responses: { 200: { description: "Job", content: json } },
  },
);

export const jobEvents = defineRoute(
  { role: "viewer", scope: "jobs:read" },
  {
    method: "get",
    path: "/jobs/{id}/events",
    tags,
    summary: "Server-sent events: the job's current state, then every update until it finishes",
    request: { params: IdParam },
    responses: {
      200: {
        description: "`job.updated` events whose data is `{type, orgId, at, data: Job}`",
        content: { "text/event-stream": { schema: z.string() } },
      },
    },
  },
);

export const cancelJob = defineRoute(
  { role: "member", scope: "jobs:write" },
  {
    method: "post",
    path: "/jobs/{id}/cancel",
    tags,
    summary: "Cancel a queued or running job",
    request: { params: IdParam },
    responses: { 200: { description: "Job after the request", content: json } },
  },
);
