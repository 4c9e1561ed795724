import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../context.ts";
import type { Problem } from "../../lib/problem.ts";

/** The error body OpenAI clients parse: `{ error: { message, type, code, param } }`. */
export interface OpenAiError {
  message: string;
  type: string;
  code: string | null;
  param: string | null;
}

export const OpenAiErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().openapi({ example: "invalid_request_error" }),
      code: z.string().nullable().openapi({ example: "model_not_found" }),
      param: z.string().nullable(),
    }),
  })
  .openapi("OpenAiError");

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: OpenAiErrorSchema } },
});

/** Error responses of the OpenAI-compatible routes (they replace the problem+json ones). */
export const OPENAI_ERROR_RESPONSES = {
  400: errorResponse("The request is invalid; `param` names the first bad field."),
  401: errorResponse("Missing or invalid API key."),
  403: errorResponse("The key or user may not do this."),
  404: errorResponse("No such model (agent) in your organization."),
  429: errorResponse("Rate limited; see Retry-After."),
} as const;

function errorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/** Converts one of our problem documents into OpenAI's error object. */
export function toOpenAiError(problem: Partial<Problem>, status: number): OpenAiError {
  const slug = problem.type?.split(":").at(-1) ?? "error";
  const issues = problem.errors ?? [];
  const details = issues.map((i) => `${i.path.replace(/^body\./, "")}: ${i.message}`);
  return {
    message: [problem.detail ?? problem.title ?? "Request failed", ...details].join(" "),
    type: errorType(status),
    code: status === 401 ? "invalid_api_key" : slug.replaceAll("-", "_"),
    param: issues[0]?.path.replace(/^body\./, "") ?? null,
  };
}

/**
 * Wraps everything under the OpenAI-compatible prefix (authentication, validation, the
 * handlers, unknown paths) so that failures reach OpenAI clients in the shape they parse,
 * while the rest of the API keeps RFC 9457 problem documents. It runs outermost so the
 * authentication and rate-limit errors thrown after it are converted too.
 */
export function openAiErrorShape(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (!res.headers.get("content-type")?.startsWith("application/problem+json")) return;
    const problem = (await res.json().catch(() => ({}))) as Partial<Problem>;
    const headers = new Headers(res.headers);
    headers.set("content-type", "application/json");
    headers.delete("content-length");
    const body = JSON.stringify({ error: toOpenAiError(problem, res.status) });
    // Clearing first stops Hono from merging the old headers back over the new response.
    c.res = undefined;
    c.res = new Response(body, { status: res.status, headers });
  };
}
