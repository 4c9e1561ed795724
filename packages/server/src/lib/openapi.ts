import { createRoute, OpenAPIHono, type RouteConfig, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../context.ts";
import { type Access, requireAccess } from "../middleware/authorize.ts";
import { validationHook } from "./problem.ts";

/** A handler for a route defined with defineRoute. */
export type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/** A router whose validation failures become problem+json; every feature mounts one. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

const PROBLEM_RESPONSES = {
  400: problem("The request is invalid; `errors` names each bad field."),
  401: problem("Missing or invalid credentials."),
  403: problem("Authenticated, but not allowed."),
  404: problem("Not found in your organization."),
  429: problem("Rate limited; see Retry-After."),
} as const;

/** Access rules per route, read by the authorization sweep tests. */
export const routeAccess = new Map<string, Access>();

/**
 * createRoute plus Oratio conventions: the access check runs before validation (so a
 * stranger learns nothing from 400s), bearer security and the common problem responses
 * are documented, and JSON bodies are required (a wrong Content-Type is a 415).
 */
export function defineRoute<const R extends RouteConfig>(access: Access, config: R): R {
  const extra = config.middleware ? [config.middleware].flat() : [];
  const body = config.request?.body;
  const route = createRoute({
    ...config,
    request: config.request && {
      ...config.request,
      ...(body ? { body: { required: true, ...body } } : {}),
    },
    middleware: [requireAccess(access), ...extra],
    security: access === "public" ? [] : [{ bearerAuth: [] }],
    responses: { ...PROBLEM_RESPONSES, ...config.responses },
  });
  routeAccess.set(`${config.method.toUpperCase()} ${config.path}`, access);
  return route as unknown as R;
}

export const IdParam = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: "id", in: "path" }, example: "3f0c5a9e-1b2d-4c3e-8f4a-5b6c7d8e9f01" }),
});

export const Timestamp = z.iso.datetime().openapi({ example: "2026-01-01T12:00:00.000Z" });

export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
