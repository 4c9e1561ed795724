import type { Hook } from "@hono/zod-openapi";
import { type FieldIssue, isOratioError, OratioError, RateLimitedError } from "@oratio/core";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import type { AppEnv } from "../context.ts";

/** RFC 9457 problem document. `type` is a URN naming the kind of problem. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

export function problemType(code: string): string {
  return `urn:oratio:problem:${code}`;
}

export function problemJson(c: Context<AppEnv>, error: OratioError): Response {
  const body: Problem = {
    ...error.extensions,
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.detail,
    instance: c.req.path,
    requestId: c.get("requestId") ?? "",
  };
  if (error.issues?.length) body.errors = error.issues;
  const headers: Record<string, string> = { "content-type": "application/problem+json" };
  if (error instanceof RateLimitedError) headers["retry-after"] = String(error.retryAfterSeconds);
  return c.body(JSON.stringify(body), error.status as ContentfulStatusCode, headers);
}

const HTTP_EXCEPTION_CODES: Record<number, [string, string]> = {
  400: ["bad-request", "Bad request"],
  401: ["unauthorized", "Unauthorized"],
  403: ["forbidden", "Forbidden"],
  404: ["not-found", "Not found"],
  405: ["method-not-allowed", "Method not allowed"],
  413: ["payload-too-large", "Payload too large"],
  415: ["unsupported-media-type", "Unsupported media type"],
};

function fromHttpException(error: HTTPException): OratioError {
  const [code, title] = HTTP_EXCEPTION_CODES[error.status] ?? ["http-error", "Request failed"];
  let detail = error.message || title;
  if (error.status === 415) detail = "This endpoint expects a different Content-Type (see /openapi.json).";
  if (error.status === 400 && /json/i.test(detail)) detail = "The request body is not valid JSON.";
  return new OratioError(error.status, code, title, { detail });
}

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (isOratioError(error)) return problemJson(c, error);
  if (error instanceof HTTPException) return problemJson(c, fromHttpException(error));
  c.get("deps")?.logger.error(
    { err: error, requestId: c.get("requestId"), path: c.req.path },
    "unhandled error",
  );
  return problemJson(
    c,
    new OratioError(500, "internal-error", "Internal server error", {
      detail: "Something went wrong on our side. Quote the request id when reporting it.",
    }),
  );
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemJson(
    c,
    new OratioError(404, "not-found", "Not found", { detail: `No route for ${c.req.method} ${c.req.path}.` }),
  );

const TARGET_NAMES: Record<string, string> = {
  json: "body",
  form: "body",
  param: "path",
  query: "query",
  header: "header",
};

export function zodIssuesToFields(error: ZodError, target: string): FieldIssue[] {
  const root = TARGET_NAMES[target] ?? target;
  return error.issues.flatMap((issue) => {
    const base = [root, ...issue.path.map(String)].join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: `${base}.${key}`, message: "Unknown field" }));
    }
    return [{ path: base, message: issue.message }];
  });
}

/** zod-openapi validation hook: every failed validation becomes a 400 problem naming the fields. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  const issues = zodIssuesToFields(result.error as ZodError, result.target);
  const names = [...new Set(issues.map((i) => i.path))].join(", ");
  return problemJson(
    c,
    new OratioError(400, "validation-error", "Invalid request", {
      detail: `Invalid fields: ${names}.`,
      issues,
    }),
  );
};
