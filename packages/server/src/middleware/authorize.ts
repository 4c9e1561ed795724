import { ForbiddenError, UnauthorizedError } from "@oratio/core";
import type { Role } from "@oratio/db";
import type { Context, MiddlewareHandler } from "hono";
import { roleAtLeast, type Scope, scopeAllows } from "../auth/access.ts";
import type { AppEnv, OrgContext } from "../context.ts";

/**
 * Who may call a route:
 * - `public`: anyone.
 * - `user`: a signed-in person (no organization needed, API keys refused).
 * - `{ role, scope }`: a member of the current organization with at least `role`; an API
 *   key needs `scope`, and `scope: null` means people only (managing members and keys).
 */
export type Access = "public" | "user" | { role: Role; scope: Scope | null };

export function requireAccess(access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access === "public") return next();
    const identity = c.get("identity");
    if (!identity) throw new UnauthorizedError();
    if (access === "user") {
      if (identity.kind !== "user")
        throw new ForbiddenError("This endpoint is for signed-in users, not API keys.");
      return next();
    }
    const org = c.get("org");
    if (!org) throw new ForbiddenError("You are not a member of any organization.");
    if (identity.kind === "api-key") {
      if (access.scope === null)
        throw new ForbiddenError("API keys cannot use this endpoint; sign in as a user.");
      if (!scopeAllows(identity.scopes, access.scope)) {
        throw new ForbiddenError(`This API key lacks the \`${access.scope}\` scope.`);
      }
    }
    if (!roleAtLeast(org.role, access.role)) {
      throw new ForbiddenError(`This requires the ${access.role} role or higher; you are ${org.role}.`);
    }
    return next();
  };
}

/** The organization context; only valid on routes guarded by an org-level `Access`. */
export function orgOf(c: Context<AppEnv>): OrgContext {
  const org = c.get("org");
  if (!org) throw new UnauthorizedError();
  return org;
}

export function userIdOf(c: Context<AppEnv>): string {
  const identity = c.get("identity");
  if (identity?.kind !== "user") throw new UnauthorizedError();
  return identity.userId;
}

/** The signed-in person behind a request, if it is one (API keys act for no person). */
export function actorUserId(c: Context<AppEnv>): string | undefined {
  const identity = c.get("identity");
  return identity?.kind === "user" ? identity.userId : undefined;
}
