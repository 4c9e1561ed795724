import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";
import { clientIp } from "../lib/client-ip.ts";

/** Per-IP limit on every API request. */
export function ipRateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get("deps");
    await deps.rateLimits.consumeIp(clientIp(c, deps.config.trustProxy));
    await next();
  };
}

/** The stricter per-IP limit on endpoints that take passwords or refresh tokens. */
export function credentialRateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get("deps");
    await deps.rateLimits.consumeAuth(clientIp(c, deps.config.trustProxy));
    await next();
  };
}
