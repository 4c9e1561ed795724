import { ForbiddenError, UnauthorizedError } from "@oratio/core";
import { apiKeys, memberships, OrgScope, type Role } from "@oratio/db";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { looksLikeJwt, verifyAccessToken } from "../auth/tokens.ts";
import type { AppDeps, AppEnv, OrgContext } from "../context.ts";

export const API_KEY_PREFIX = "ora_";
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

/** The two kinds of request a browser cannot add headers to: WebSocket upgrades and EventSource streams. */
function isBrowserStream(c: Context): boolean {
  return (
    c.req.method === "GET" &&
    (c.req.header("upgrade")?.toLowerCase() === "websocket" ||
      Boolean(c.req.header("accept")?.includes("text/event-stream")))
  );
}

/**
 * The bearer credential: the Authorization header, or an `access_token` query parameter
 * on requests that cannot carry headers (see isBrowserStream).
 */
export function bearerToken(c: Context): string | undefined {
  const header = c.req.header("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedError("The Authorization header must be `Bearer <token>`.");
    return match[1];
  }
  return isBrowserStream(c) ? c.req.query("access_token") || undefined : undefined;
}

/**
 * Resolves who is calling and in which organization. Requests without credentials pass
 * through (routes that need them say so with `requireAccess`); bad credentials are a 401.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  const lastUsedWrites = new Map<string, number>();
  return async (c, next) => {
    c.set("identity", undefined);
    c.set("org", undefined);
    const token = bearerToken(c);
    if (token) {
      const deps = c.get("deps");
      if (token.startsWith(API_KEY_PREFIX)) await authenticateApiKey(c, deps, token, lastUsedWrites);
      else if (looksLikeJwt(token)) await authenticateUser(c, deps, token);
      else throw new UnauthorizedError("The bearer token is not an access token or an API key.");
    }
    await next();
  };
}

async function authenticateApiKey(
  c: Context<AppEnv>,
  deps: AppDeps,
  token: string,
  lastUsedWrites: Map<string, number>,
): Promise<void> {
  const hash = deps.keyring.hashSecret(token);
  let key = deps.apiKeys.get(hash);
  if (!key) {
    [key] = await deps.db
      .select({ id: apiKeys.id, orgId: apiKeys.orgId, scopes: apiKeys.scopes })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (!key) throw new UnauthorizedError("The API key is invalid or has been revoked.");
    deps.apiKeys.set(hash, key);
  }
  await deps.rateLimits.consumeKey(key.id);

  const now = Date.now();
  if (now - (lastUsedWrites.get(key.id) ?? 0) > LAST_USED_WRITE_INTERVAL_MS) {
    lastUsedWrites.set(key.id, now);
    await deps.db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiKeys.id, key.id));
  }
  c.set("identity", { kind: "api-key", apiKeyId: key.id, orgId: key.orgId, scopes: key.scopes });
  // API keys act with admin rights inside their organization, narrowed by their scopes;
  // routes that only people may use (members, keys) refuse them outright.
  c.set("org", orgContext(deps, key.orgId, "admin"));
}

async function authenticateUser(c: Context<AppEnv>, deps: AppDeps, token: string): Promise<void> {
  const claims = await verifyAccessToken(deps.keyring.jwt, token);
  if (!claims) throw new UnauthorizedError("The access token is invalid or expired.");
  c.set("identity", { kind: "user", userId: claims.userId });

  // Streams opened by a browser name the organization in the query, as they do the token.
  const requestedOrg =
    c.req.header("x-organization-id") ?? (isBrowserStream(c) ? c.req.query("orgId") || undefined : undefined);
  const rows = await deps.db
    .select({ orgId: memberships.orgId, role: memberships.role })
    .from(memberships)
    .where(
      requestedOrg && isUuid(requestedOrg)
        ? and(eq(memberships.userId, claims.userId), eq(memberships.orgId, requestedOrg))
        : eq(memberships.userId, claims.userId),
    )
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  const membership = rows[0];
  if (requestedOrg && !membership) {
    throw new ForbiddenError(
      "You are not a member of the organization named in X-Organization-Id (or orgId).",
    );
  }
  if (membership) c.set("org", orgContext(deps, membership.orgId, membership.role));
}

function orgContext(deps: AppDeps, orgId: string, role: Role): OrgContext {
  return { orgId, role, scope: new OrgScope(deps.db, orgId) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
