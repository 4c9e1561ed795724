import { z } from "@hono/zod-openapi";
import { defineRoute } from "../../lib/openapi.ts";

export const orgEvents = defineRoute(
  { role: "viewer", scope: "sessions:read" },
  {
    method: "get",
    path: "/events",
    tags: ["Events"],
    summary: "Server-sent events of everything happening in the organization (sessions, handoffs, jobs…)",
    description:
      "Each event is `{type, orgId, at, data}`. Browsers may authenticate with `?access_token=` since EventSource cannot set headers.",
    responses: {
      200: { description: "Event stream", content: { "text/event-stream": { schema: z.string() } } },
    },
  },
);
