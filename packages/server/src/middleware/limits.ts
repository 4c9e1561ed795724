import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";
import { clientIp } from "../lib/client-ip.ts";

/**
 * The caller's address for rate limiting. A request handed to the app in process (tests,
 * benchmarks, `app.request`) has no socket: it is "unknown" without asking for the socket's
 * address, which would throw and unwind a stack on every such request.
 */
function callerIp(c: Context<AppEnv>, trustProxy: boolean): string {
  const env = c.env as { incoming?: unknown; server?: unknown } | undefined;
  if (!trustProxy && !env?.incoming && !env?.server) return "unknown";
  return clientIp(c, trustProxy);
}

/** Per-IP limit on every API request. */
export function ipRateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get("deps");
    await deps.rateLimits.consumeIp(callerIp(c, deps.config.trustProxy));
    await next();
  };
}

/** The stricter per-IP limit on endpoints that take passwords or refresh tokens. */
export function credentialRateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get("deps");
    await deps.rateLimits.consumeAuth(callerIp(c, deps.config.trustProxy));
    await next();
  };
}
