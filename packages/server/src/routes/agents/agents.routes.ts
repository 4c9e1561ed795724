import { z } from "@hono/zod-openapi";
import { defineRoute, IdParam } from "../../lib/openapi.ts";
import {
  AgentConfigSchema,
  AgentExportSchema,
  AgentPatchSchema,
  AgentSchema,
  AgentVersionSchema,
} from "./agents.schemas.ts";

const tags = ["Agents"];
const read = { role: "viewer", scope: "agents:read" } as const;
const write = { role: "member", scope: "agents:write" } as const;
const agentJson = { "application/json": { schema: AgentSchema } };
const PublishQuery = z.object({
  publish: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true")
    .openapi({ description: "Publish the new version at once (default) or keep it as a draft" }),
});
const VersionParam = IdParam.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: "version", in: "path" }, example: 2 }),
});

export const createAgent = defineRoute(write, {
  method: "post",
  path: "/agents",
  tags,
  summary: "Create an agent (version 1)",
  request: { query: PublishQuery, body: { content: { "application/json": { schema: AgentConfigSchema } } } },
  responses: {
    201: { description: "Created", content: agentJson },
    422: { description: "Unknown references" },
  },
});

export const listAgents = defineRoute(read, {
  method: "get",
  path: "/agents",
  tags,
  summary: "Agents of the organization",
  responses: {
    200: {
      description: "Agents",
      content: { "application/json": { schema: z.object({ data: z.array(AgentSchema) }) } },
    },
  },
});

export const getAgent = defineRoute(read, {
  method: "get",
  path: "/agents/{id}",
  tags,
  summary: "An agent with the configuration of its latest version",
  request: { params: IdParam },
  responses: { 200: { description: "Agent", content: agentJson } },
});

export const updateAgent = defineRoute(write, {
  method: "patch",
  path: "/agents/{id}",
  tags,
  summary: "Change an agent: creates a new immutable version",
  request: {
    params: IdParam,
    query: PublishQuery,
    body: { content: { "application/json": { schema: AgentPatchSchema } } },
  },
  responses: { 200: { description: "Updated", content: agentJson } },
});

export const deleteAgent = defineRoute(write, {
  method: "delete",
  path: "/agents/{id}",
  tags,
  summary: "Archive an agent (past sessions keep their transcripts)",
  request: { params: IdParam },
  responses: { 204: { description: "Archived" } },
});

export const listVersions = defineRoute(read, {
  method: "get",
  path: "/agents/{id}/versions",
  tags,
  summary: "All versions of an agent, newest first",
  request: { params: IdParam },
  responses: {
    200: {
      description: "Versions",
      content: { "application/json": { schema: z.object({ data: z.array(AgentVersionSchema) }) } },
    },
  },
});

export const diffVersions = defineRoute(read, {
  method: "get",
  path: "/agents/{id}/diff",
  tags,
  summary: "What changed between two versions",
  request: {
    params: IdParam,
    query: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
  },
  responses: {
    200: {
      description: "Changes",
      content: {
        "application/json": {
          schema: z.object({
            from: z.number().int(),
            to: z.number().int(),
            changes: z.array(
              z.object({
                path: z.string(),
                change: z.enum(["added", "removed", "changed"]),
                before: z.unknown(),
                after: z.unknown(),
              }),
            ),
          }),
        },
      },
    },
  },
});

export const publishVersion = defineRoute(write, {
  method: "post",
  path: "/agents/{id}/publish",
  tags,
  summary: "Publish a version (an older one rolls back); new sessions start on it",
  request: {
    params: IdParam,
    body: {
      content: { "application/json": { schema: z.strictObject({ version: z.number().int().min(1) }) } },
    },
  },
  responses: { 200: { description: "Published", content: agentJson } },
});

export const getVersion = defineRoute(read, {
  method: "get",
  path: "/agents/{id}/versions/{version}",
  tags,
  summary: "One version of an agent",
  request: { params: VersionParam },
  responses: {
    200: { description: "Version", content: { "application/json": { schema: AgentVersionSchema } } },
  },
});

export const exportAgents = defineRoute(read, {
  method: "post",
  path: "/agents/export",
  tags,
  summary: "Export agents (all, or the listed ones plus their handoff targets) as a portable JSON set",
  request: {
    body: {
      content: {
        "application/json": { schema: z.strictObject({ agentIds: z.array(z.uuid()).max(100).optional() }) },
      },
    },
  },
  responses: {
    200: { description: "The set", content: { "application/json": { schema: AgentExportSchema } } },
  },
});

export const importAgents = defineRoute(write, {
  method: "post",
  path: "/agents/import",
  tags,
  summary: "Create the agents of an exported set, rewiring their handoffs",
  request: {
    query: PublishQuery,
    body: {
      content: {
        "application/json": {
          schema: AgentExportSchema.extend({
            providerId: z
              .union([z.uuid(), z.literal("local")])
              .optional()
              .openapi({ description: "Use this provider for every model of the set" }),
          }),
        },
      },
    },
  },
  responses: {
    201: {
      description: "Created agents",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(z.object({ id: z.uuid(), slug: z.string() })) }),
        },
      },
    },
  },
});
