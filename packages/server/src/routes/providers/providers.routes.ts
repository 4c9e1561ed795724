import { z } from "@hono/zod-openapi";
import { PROVIDER_TYPES } from "@oratio/db";
import { defineRoute, IdParam, Timestamp } from "../../lib/openapi.ts";

const tags = ["Providers"];

export const ProviderSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.enum(PROVIDER_TYPES),
    baseUrl: z.string().nullable(),
    hasApiKey: z
      .boolean()
      .openapi({ description: "Whether a key is stored; the key itself is never returned" }),
    options: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
  })
  .openapi("Provider");

export const CreateProviderBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ example: "OpenAI production" }),
    type: z.enum(PROVIDER_TYPES).openapi({ example: "openai" }),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .openapi({ example: "http://127.0.0.1:11434/v1" }),
    apiKey: z.string().min(1).max(4000).optional().openapi({ description: "Write-only" }),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((b) => b.type !== "openai-compatible" || b.baseUrl, {
    message: "baseUrl is required for openai-compatible providers",
    path: ["baseUrl"],
  })
  .openapi("CreateProviderRequest");

export const createProvider = defineRoute(
  { role: "admin", scope: "providers:write" },
  {
    method: "post",
    path: "/providers",
    tags,
    summary: "Store provider credentials (encrypted at rest; the key is never returned)",
    request: { body: { content: { "application/json": { schema: CreateProviderBody } } } },
    responses: {
      201: { description: "Created", content: { "application/json": { schema: ProviderSchema } } },
    },
  },
);

export const listProviders = defineRoute(
  { role: "viewer", scope: "providers:read" },
  {
    method: "get",
    path: "/providers",
    tags,
    summary: "Providers of the organization",
    responses: {
      200: {
        description: "Providers",
        content: { "application/json": { schema: z.object({ data: z.array(ProviderSchema) }) } },
      },
    },
  },
);

export const deleteProvider = defineRoute(
  { role: "admin", scope: "providers:write" },
  {
    method: "delete",
    path: "/providers/{id}",
    tags,
    summary: "Delete a provider no agent uses any more",
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, 409: { description: "Agents still use it" } },
  },
);
