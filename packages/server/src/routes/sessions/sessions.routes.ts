import { z } from "@hono/zod-openapi";
import { CHANNELS, SESSION_STATUSES } from "@oratio/db";
import { defineRoute, IdParam, Timestamp } from "../../lib/openapi.ts";

const tags = ["Sessions"];
const read = { role: "viewer", scope: "sessions:read" } as const;
const write = { role: "member", scope: "sessions:write" } as const;

export const SessionSchema = z
  .object({
    id: z.uuid(),
    agentId: z.uuid(),
    agentVersion: z.number().int(),
    activeAgent: z.string(),
    channel: z.enum(CHANNELS),
    status: z.enum(SESSION_STATUSES),
    metadata: z.record(z.string(), z.unknown()),
    caller: z.string().nullable(),
    turnCount: z.number().int(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costUsd: z.number(),
    endReason: z.string().nullable(),
    startedAt: Timestamp,
    lastActivityAt: Timestamp,
    endedAt: Timestamp.nullable(),
  })
  .openapi("Session");

export const EntrySchema = z
  .object({
    seq: z.number().int(),
    kind: z
      .string()
      .openapi({ description: "message, tool_call, tool_result, citation, handoff, event or turn" }),
    role: z.string().nullable(),
    agent: z.string().nullable(),
    text: z.string().nullable(),
    data: z.unknown(),
    turnId: z.string().nullable(),
    audioOffsetMs: z.number().int().nullable(),
    createdAt: Timestamp,
  })
  .openapi("TranscriptEntry");

export const TurnSchema = z
  .object({
    turnId: z.string(),
    agent: z.string(),
    reason: z.string(),
    text: z.string(),
    citations: z.array(z.unknown()),
    usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() }),
    latency: z.unknown().nullable(),
    costUsd: z.number(),
    sessionStatus: z.enum(SESSION_STATUSES),
  })
  .openapi("Turn");

const sessionJson = { "application/json": { schema: SessionSchema } };
const TextBody = z.strictObject({
  text: z.string().trim().min(1).max(20_000).openapi({ example: "Do you take Delta Dental?" }),
});

export const createSession = defineRoute(write, {
  method: "post",
  path: "/sessions",
  tags,
  summary: "Start a conversation with an agent (pinned to its published version, or the version named)",
  request: {
    body: {
      content: {
        "application/json": {
          schema: z
            .strictObject({
              agentId: z.uuid(),
              version: z.number().int().min(1).optional().openapi({ description: "Test a draft version" }),
              channel: z.enum(CHANNELS).default("api"),
              caller: z
                .string()
                .max(200)
                .optional()
                .openapi({ description: "Caller id, e.g. a phone number" }),
              metadata: z.record(z.string(), z.unknown()).default({}),
            })
            .openapi("CreateSessionRequest"),
        },
      },
    },
  },
  responses: { 201: { description: "Started", content: sessionJson } },
});

export const postMessage = defineRoute(write, {
  method: "post",
  path: "/sessions/{id}/messages",
  tags,
  summary: "Send the caller's message; the reply streams over SSE with `Accept: text/event-stream`",
  description:
    "SSE events: `text-delta`, `tool-call`, `tool-result`, `citation`, `handoff`, `needs-human`, `fallback`, `error`, `session-end`, then `turn-end` once the turn is stored. A new message cancels a reply in progress.",
  request: { params: IdParam, body: { content: { "application/json": { schema: TextBody } } } },
  responses: {
    200: {
      description: "The complete turn (or an event stream)",
      content: { "application/json": { schema: TurnSchema }, "text/event-stream": { schema: z.string() } },
    },
    409: { description: "The session has ended" },
  },
});

export const listSessions = defineRoute(read, {
  method: "get",
  path: "/sessions",
  tags,
  summary: "Sessions, newest first, with filters",
  request: {
    query: z.object({
      agentId: z.uuid().optional(),
      status: z.enum(SESSION_STATUSES).optional(),
      channel: z.enum(CHANNELS).optional(),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      q: z.string().trim().min(1).max(200).optional().openapi({ description: "Text in the transcript" }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: {
      description: "Sessions",
      content: {
        "application/json": { schema: z.object({ data: z.array(SessionSchema), total: z.number().int() }) },
      },
    },
  },
});

export const getSession = defineRoute(read, {
  method: "get",
  path: "/sessions/{id}",
  tags,
  summary: "A session with its full transcript",
  request: { params: IdParam },
  responses: {
    200: {
      description: "Session",
      content: { "application/json": { schema: SessionSchema.extend({ transcript: z.array(EntrySchema) }) } },
    },
  },
});

export const sessionEvents = defineRoute(read, {
  method: "get",
  path: "/sessions/{id}/events",
  tags,
  summary: "Live events of one session (caller and operator messages, reply deltas, handoffs, status)",
  request: { params: IdParam },
  responses: {
    200: { description: "Event stream", content: { "text/event-stream": { schema: z.string() } } },
  },
});

const action = (path: string, summary: string) =>
  defineRoute(write, {
    method: "post",
    path,
    tags,
    summary,
    request: { params: IdParam },
    responses: { 200: { description: "Session after the action", content: sessionJson } },
  });

export const endSession = action("/sessions/{id}/end", "End a session");
export const takeoverSession = action(
  "/sessions/{id}/takeover",
  "Take over a session: the agent pauses, you answer",
);
export const releaseSession = action("/sessions/{id}/release", "Hand a taken-over session back to the agent");

export const operatorMessage = defineRoute(write, {
  method: "post",
  path: "/sessions/{id}/operator-messages",
  tags,
  summary: "Write to the caller as the operator (the session must be taken over)",
  request: { params: IdParam, body: { content: { "application/json": { schema: TextBody } } } },
  responses: { 200: { description: "Session after the message", content: sessionJson } },
});
