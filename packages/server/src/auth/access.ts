import type { Role } from "@oratio/db";

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/**
 * API-key scopes are `<area>:read` or `<area>:write` (write implies read), `<area>:*`, or `*`.
 * Areas grow with the product; a key created with `*` can use every area, including future ones.
 */
export const SCOPE_AREAS = [
  "agents",
  "knowledge",
  "sessions",
  "tools",
  "providers",
  "analytics",
  "notifications",
  "jobs",
  "organization",
] as const;
export type ScopeArea = (typeof SCOPE_AREAS)[number];
export type Scope = `${ScopeArea}:${"read" | "write"}`;

export const SCOPE_PATTERN = new RegExp(`^(\\*|(${SCOPE_AREAS.join("|")}):(read|write|\\*))$`);

export function scopeAllows(granted: readonly string[], required: Scope): boolean {
  const [area, action] = required.split(":") as [ScopeArea, "read" | "write"];
  return granted.some((g) => {
    if (g === "*" || g === `${area}:*` || g === required) return true;
    return action === "read" && g === `${area}:write`;
  });
}
