import { z } from "@hono/zod-openapi";
import { Timestamp } from "../../lib/openapi.ts";
import { HttpToolFields, McpToolFields, ToolDefinitionSchema } from "../../tools/definition.ts";

export const CreateToolBody = ToolDefinitionSchema;

const shown = {
  id: z.uuid(),
  hasSecret: z.boolean().openapi({ description: "Whether a secret is stored; it is never returned" }),
  createdAt: Timestamp,
};
const { secret: _httpSecret, ...httpShown } = HttpToolFields;
const { secret: _mcpSecret, ...mcpShown } = McpToolFields;

export const ToolSchema = z
  .discriminatedUnion("kind", [z.object({ ...shown, ...httpShown }), z.object({ ...shown, ...mcpShown })])
  .openapi("Tool");

/**
 * Any subset of the fields (the kind cannot change). The result is validated as a whole
 * against the tool's kind. `secret: null` removes the stored secret.
 */
export const ToolPatchBody = z
  .strictObject({
    ...Object.fromEntries(
      Object.entries({ ...HttpToolFields, ...McpToolFields })
        .filter(([key]) => key !== "kind" && key !== "secret")
        .map(([key, schema]) => [key, withoutDefault(schema).optional()]),
    ),
    secret: z.string().min(1).max(4000).nullable().optional().openapi({ description: "null removes it" }),
  })
  .openapi("ToolPatch");

/** A patch must not invent values for fields it leaves out, so field defaults are dropped. */
function withoutDefault(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
}

export const DryRunBody = z
  .strictObject({
    arguments: z
      .record(z.string(), z.unknown())
      .default({})
      .openapi({ example: { date: "2026-03-14", party: 2 } }),
    tool: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .openapi({ description: "MCP servers: the tool to call; omit to list the server's tools" }),
  })
  .openapi("ToolDryRunRequest");

export const DryRunResultSchema = z
  .object({
    ok: z.boolean(),
    status: z.number().int().optional().openapi({ description: "HTTP status of the endpoint's answer" }),
    attempts: z.number().int().optional(),
    durationMs: z.number().int(),
    result: z.unknown().optional().openapi({ description: "What the model would read" }),
    error: z.string().optional(),
  })
  .openapi("ToolDryRunResult");
