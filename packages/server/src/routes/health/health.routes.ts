import { z } from "@hono/zod-openapi";
import { defineRoute } from "../../lib/openapi.ts";

const tags = ["Health"];
const Status = z.object({ status: z.string(), database: z.string().optional() });

export const healthz = defineRoute("public", {
  method: "get",
  path: "/healthz",
  tags,
  summary: "Liveness: the process is up",
  responses: { 200: { description: "Up", content: { "application/json": { schema: Status } } } },
});

export const readyz = defineRoute("public", {
  method: "get",
  path: "/readyz",
  tags,
  summary: "Readiness: the database answers",
  responses: {
    200: { description: "Ready", content: { "application/json": { schema: Status } } },
    503: { description: "Not ready", content: { "application/json": { schema: Status } } },
  },
});
