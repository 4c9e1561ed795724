import { z } from "@hono/zod-openapi";
import { SCOPE_PATTERN } from "../../auth/access.ts";
import { defineRoute, IdParam, Timestamp } from "../../lib/openapi.ts";

const tags = ["API keys"];

const ScopeSchema = z
  .string()
  .regex(SCOPE_PATTERN, "must be `*`, `<area>:*`, `<area>:read` or `<area>:write`")
  .openapi({ example: "agents:read" });

export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: "First characters of the key, to tell keys apart" }),
    scopes: z.array(z.string()),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
  })
  .openapi("ApiKey");

export const createApiKey = defineRoute(
  { role: "admin", scope: null },
  {
    method: "post",
    path: "/api-keys",
    tags,
    summary: "Create an API key; the secret `key` is shown only in this response",
    request: {
      body: {
        content: {
          "application/json": {
            schema: z
              .strictObject({
                name: z.string().trim().min(1).max(100).openapi({ example: "Website widget" }),
                scopes: z.array(ScopeSchema).min(1).max(50).default(["*"]),
              })
              .openapi("CreateApiKeyRequest"),
          },
        },
      },
    },
    responses: {
      201: {
        description: "Created",
        content: {
          "application/json": { schema: ApiKeySchema.extend({ key: z.string() }).openapi("CreatedApiKey") },
        },
      },
    },
  },
);

export const listApiKeys = defineRoute(
  { role: "admin", scope: null },
  {
    method: "get",
    path: "/api-keys",
    tags,
    summary: "Active API keys of the current organization",
    responses: {
      200: {
        description: "Keys",
        content: { "application/json": { schema: z.object({ data: z.array(ApiKeySchema) }) } },
      },
    },
  },
);

export const revokeApiKey = defineRoute(
  { role: "admin", scope: null },
  {
    method: "delete",
    path: "/api-keys/{id}",
    tags,
    summary: "Revoke an API key; it stops working at once",
    request: { params: IdParam },
    responses: { 204: { description: "Revoked" } },
  },
);
