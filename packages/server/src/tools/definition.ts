import { z } from "@hono/zod-openapi";
import { END_SESSION, HANDOFF_PREFIX, REQUEST_HUMAN, SEARCH_KNOWLEDGE } from "@oratio/core";
import { parametersProblem } from "./json-schema.ts";
import { placeholdersOf, staticOriginProblem } from "./url-template.ts";

/**
 * Custom tool definitions as the API accepts and the database stores them. The name, the
 * description and the sealed secret have their own columns; everything else is the
 * `definition` JSON.
 */

const BUILT_IN = new Set([SEARCH_KNOWLEDGE, REQUEST_HUMAN, END_SESSION]);

export const ToolName = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, "a letter, then up to 63 letters, digits, _ or -")
  .refine((name) => !name.includes("__"), "must not contain a double underscore (reserved for MCP tools)")
  .refine(
    (name) => !BUILT_IN.has(name.toLowerCase()) && !name.toLowerCase().startsWith(HANDOFF_PREFIX),
    "collides with a built-in tool",
  )
  .openapi({ example: "book_appointment" });

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const;
export type ToolHttpMethod = (typeof HTTP_METHODS)[number];
/** Methods whose repetition has the same effect as one call, so failures may be retried. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "PUT", "DELETE", "HEAD"]);

/** Headers Oratio sets itself; a definition cannot override them. */
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
]);

const Headers = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, "not a valid header name")
      .refine((h) => !RESERVED_HEADERS.has(h.toLowerCase()), "this header is set by Oratio"),
    z
      .string()
      .max(4000)
      .refine((v) => !/[\r\n\0]/.test(v), "must not contain line breaks"),
  )
  .refine((h) => Object.keys(h).length <= 50, "at most 50 headers")
  .default({})
  .openapi({ example: { "X-Clinic": "{clinicId}" } });

const Url = z
  .string()
  .max(2000)
  .superRefine((url, ctx) => {
    const problem = staticOriginProblem(url);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const Secret = z
  .string()
  .min(1)
  .max(4000)
  .openapi({ description: "Write-only; never returned (see `hasSecret`)" });

const RateLimit = z
  .strictObject({
    maxCalls: z.number().int().min(1).max(10_000),
    windowSeconds: z.number().int().min(1).max(86_400),
  })
  .openapi({ description: "Calls allowed per session within a sliding window" });

const Parameters = z
  .record(z.string(), z.unknown())
  .default({ type: "object", properties: {} })
  .superRefine((schema, ctx) => {
    const problem = parametersProblem(schema);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .openapi({
    description: "JSON Schema of the arguments (type object); arguments are validated before any call",
    example: {
      type: "object",
      properties: { date: { type: "string", format: "date" }, party: { type: "integer", minimum: 1 } },
      required: ["date"],
    },
  });

const common = {
  name: ToolName,
  description: z.string().trim().min(1).max(2000).openapi({ example: "Book a table for a date." }),
  url: Url,
  headers: Headers,
  secret: Secret.optional(),
  rateLimit: RateLimit.optional(),
};

export const HttpToolFields = {
  kind: z.literal("http"),
  ...common,
  parameters: Parameters,
  method: z.enum(HTTP_METHODS).default("POST"),
  url: Url.openapi({ example: "https://api.example.com/bookings/{date}" }),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  retries: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .openapi({ description: "Extra attempts after a 5xx, 429 or network error; GET/PUT/DELETE/HEAD only" }),
  maxResponseBytes: z
    .number()
    .int()
    .min(1)
    .max(10 * 1024 * 1024)
    .default(256 * 1024),
};

export const McpToolFields = {
  kind: z.literal("mcp"),
  ...common,
  url: Url.openapi({ example: "https://mcp.example.com/mcp" }),
  secret: Secret.optional().openapi({ description: "Write-only; sent as `Authorization: Bearer`" }),
  allowedTools: z
    .array(z.string().min(1).max(128))
    .max(200)
    .optional()
    .openapi({ description: "Offer only these tools of the server (default: all)" }),
  timeoutMs: z.number().int().min(100).max(60_000).default(30_000),
  maxResponseBytes: z
    .number()
    .int()
    .min(1)
    .max(10 * 1024 * 1024)
    .default(256 * 1024),
};

/** Placeholders must name declared arguments, so a template can always be filled from valid arguments. */
function checkPlaceholders(
  tool: { url: string; headers: Record<string, string>; parameters: Record<string, unknown> },
  ctx: z.RefinementCtx,
) {
  const declared = new Set(Object.keys((tool.parameters.properties as Record<string, unknown>) ?? {}));
  const check = (template: string, path: (string | number)[]) => {
    for (const name of placeholdersOf(template)) {
      if (!declared.has(name))
        ctx.addIssue({ code: "custom", path, message: `{${name}} is not a declared parameter` });
    }
  };
  check(tool.url, ["url"]);
  for (const [header, value] of Object.entries(tool.headers)) check(value, ["headers", header]);
}

export const HttpToolSchema = z.strictObject(HttpToolFields).superRefine(checkPlaceholders);
export const McpToolSchema = z.strictObject(McpToolFields).superRefine((tool, ctx) => {
  for (const [header, value] of Object.entries(tool.headers)) {
    if (placeholdersOf(value).length)
      ctx.addIssue({
        code: "custom",
        path: ["headers", header],
        message: "MCP headers take no placeholders",
      });
  }
});

export const ToolDefinitionSchema = z
  .discriminatedUnion("kind", [HttpToolSchema, McpToolSchema])
  .openapi("ToolDefinition");

export type HttpToolDefinition = z.infer<typeof HttpToolSchema>;
export type McpToolDefinition = z.infer<typeof McpToolSchema>;
export type ToolDefinition = z.infer<typeof ToolDefinitionSchema>;
/** What the `definition` column holds. */
export type StoredDefinition = Omit<ToolDefinition, "kind" | "name" | "description" | "secret">;
