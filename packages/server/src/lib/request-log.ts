import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";

/**
 * One structured line per request. Only the path is logged (never the query string, which
 * may carry an access token on WebSocket/SSE requests) and never headers or bodies.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const deps = c.get("deps");
    const status = c.res.status;
    const fields = {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      orgId: c.get("org")?.orgId,
    };
    if (status >= 500) deps.logger.error(fields, "request failed");
    else deps.logger.info(fields, "request");
  };
}
