import { z } from "@hono/zod-openapi";
import { defineRoute, IdParam } from "../../lib/openapi.ts";
import {
  CreateToolBody,
  DryRunBody,
  DryRunResultSchema,
  ToolPatchBody,
  ToolSchema,
} from "./tools.schemas.ts";

const tags = ["Tools"];
const read = { role: "viewer", scope: "tools:read" } as const;
const write = { role: "admin", scope: "tools:write" } as const;
const toolJson = { "application/json": { schema: ToolSchema } };

export const createTool = defineRoute(write, {
  method: "post",
  path: "/tools",
  tags,
  summary: "Define a custom tool: an HTTP endpoint or an MCP server (the secret is write-only)",
  request: { body: { content: { "application/json": { schema: CreateToolBody } } } },
  responses: {
    201: { description: "Created", content: toolJson },
    409: { description: "The name is taken" },
  },
});

export const listTools = defineRoute(read, {
  method: "get",
  path: "/tools",
  tags,
  summary: "Custom tools of the organization",
  responses: {
    200: {
      description: "Tools",
      content: { "application/json": { schema: z.object({ data: z.array(ToolSchema) }) } },
    },
  },
});

export const getTool = defineRoute(read, {
  method: "get",
  path: "/tools/{id}",
  tags,
  summary: "A custom tool",
  request: { params: IdParam },
  responses: { 200: { description: "Tool", content: toolJson } },
});

export const updateTool = defineRoute(write, {
  method: "patch",
  path: "/tools/{id}",
  tags,
  summary: "Change a custom tool (the kind cannot change)",
  request: { params: IdParam, body: { content: { "application/json": { schema: ToolPatchBody } } } },
  responses: {
    200: { description: "Updated", content: toolJson },
    409: { description: "The name is taken" },
  },
});

export const deleteTool = defineRoute(write, {
  method: "delete",
  path: "/tools/{id}",
  tags,
  summary: "Delete a custom tool no agent uses any more",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, 409: { description: "Agents still use it" } },
});

export const testTool = defineRoute(write, {
  method: "post",
  path: "/tools/{id}/test",
  tags,
  summary: "Call the tool once for real with sample arguments (MCP: list or call the server's tools)",
  request: { params: IdParam, body: { content: { "application/json": { schema: DryRunBody } } } },
  responses: {
    200: {
      description: "What happened; `ok: false` when the endpoint failed",
      content: { "application/json": { schema: DryRunResultSchema } },
    },
  },
});
