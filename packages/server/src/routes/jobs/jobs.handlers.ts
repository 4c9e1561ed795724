import { NotFoundError } from "@oratio/core";
import { jobEventData } from "../../jobs/sql-job-queue.ts";
import { TERMINAL_STATUSES } from "../../jobs/types.ts";
import type { Handler } from "../../lib/openapi.ts";
import { busStream } from "../../lib/sse.ts";
import { orgOf } from "../../middleware/authorize.ts";
import type * as routes from "./jobs.routes.ts";

type JobData = ReturnType<typeof jobEventData>;

export const listJobs: Handler<typeof routes.listJobs> = async (c) => {
  const { scope } = orgOf(c);
  const rows = await c.get("deps").jobs.list(scope, c.req.valid("query"));
  return c.json({ data: rows.map(jobEventData) }, 200);
};

export const getJob: Handler<typeof routes.getJob> = async (c) => {
  const job = await c.get("deps").jobs.get(orgOf(c).scope, c.req.valid("param").id);
  if (!job) throw new NotFoundError("Job");
  return c.json(jobEventData(job), 200);
};

export const cancelJob: Handler<typeof routes.cancelJob> = async (c) => {
  const job = await c.get("deps").jobs.cancel(orgOf(c).scope, c.req.valid("param").id);
  if (!job) throw new NotFoundError("Job");
  return c.json(jobEventData(job), 200);
};

export const jobEvents: Handler<typeof routes.jobEvents> = async (c) => {
  const { scope, orgId } = orgOf(c);
  const { id } = c.req.valid("param");
  const { jobs } = c.get("deps");
  const job = await jobs.get(scope, id);
  if (!job) throw new NotFoundError("Job");
  const isTerminal = (data: JobData) => TERMINAL_STATUSES.includes(data.status);
  return busStream(c, orgId, {
    filter: (event) => event.type === "job.updated" && (event.data as JobData).id === id,
    until: (event) => isTerminal(event.data as JobData),
    initial: async () => {
      const current = await jobs.get(scope, id);
      return current
        ? [{ type: "job.updated", orgId, at: new Date().toISOString(), data: jobEventData(current) }]
        : [];
    },
  });
};
