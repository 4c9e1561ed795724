import { z } from "@hono/zod-openapi";
import { defineRoute } from "../../lib/openapi.ts";

const ChannelCounts = z.object({ chat: z.number(), voice: z.number(), phone: z.number(), api: z.number() });

export const OverviewSchema = z
  .object({
    range: z.object({ from: z.string(), to: z.string() }),
    totals: z.object({
      sessions: z.number().int(),
      turns: z.number().int(),
      avgDurationSeconds: z.number(),
      handoffToHumanRate: z
        .number()
        .openapi({ description: "Share of sessions that asked for or got a person" }),
      containmentRate: z.number().openapi({ description: "Share of sessions the agents handled alone" }),
      tokensIn: z.number().int(),
      tokensOut: z.number().int(),
      costUsd: z.number(),
    }),
    sessionsPerDay: z.array(ChannelCounts.extend({ date: z.string() })),
    voiceLatency: z.object({
      turns: z.number().int(),
      p50Ms: z.number().nullable(),
      p95Ms: z.number().nullable(),
    }),
    byAgent: z.array(
      z.object({
        agentId: z.uuid(),
        name: z.string(),
        sessions: z.number().int(),
        tokensIn: z.number().int(),
        tokensOut: z.number().int(),
        costUsd: z.number(),
      }),
    ),
  })
  .openapi("AnalyticsOverview");

export const overview = defineRoute(
  { role: "viewer", scope: "analytics:read" },
  {
    method: "get",
    path: "/analytics/overview",
    tags: ["Analytics"],
    summary:
      "Sessions, containment, handoffs, voice latency and cost over a date range (default: last 30 days)",
    request: {
      query: z.object({
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
        agentId: z.uuid().optional(),
      }),
    },
    responses: {
      200: { description: "Overview", content: { "application/json": { schema: OverviewSchema } } },
    },
  },
);
