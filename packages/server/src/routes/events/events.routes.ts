import { z } from "@hono/zod-openapi";
import { defineRoute } from "../../lib/openapi.ts";

export const orgEvents = defineRoute(
  { role: "viewer", scope: "sessions:read" },
  {
    method: "get",
    path: "/events",
    tags: ["Events"],
    summary: "Everything happening in the organization, live: a WebSocket, or server-sent events",
    description:
      "Each event is `{type, orgId, at, data}`: `session.started`, `session.updated` (status changes such as " +
      "`needs_human`), `session.ended`, `session.stream` (a turn's live events, handoffs included), " +
      "`turn.completed`, `notification.created`, `notification.read`, `job.updated` (status and progress). " +
      'Open it as a WebSocket (one event per text message, plus `{type: "heartbeat"}` every heartbeat ' +
      "interval; a reader too slow to keep up is closed with code 4008) or with `Accept: text/event-stream`. " +
      "Browsers, which cannot set headers on either, pass `?access_token=` and may pick one of their " +
      "organizations with `?orgId=` (the `X-Organization-Id` header otherwise).",
    request: {
      query: z.object({
        orgId: z.uuid().optional().openapi({ description: "Organization to follow (people in several)" }),
        access_token: z.string().optional().openapi({ description: "Bearer credential for browsers" }),
      }),
    },
    responses: {
      101: { description: "Switching to the WebSocket protocol" },
      200: { description: "Event stream", content: { "text/event-stream": { schema: z.string() } } },
    },
  },
);
