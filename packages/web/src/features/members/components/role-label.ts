import type { Role } from "@oratio/sdk";

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Owner — everything, including ownership",
  admin: "Admin — manages members, keys and settings",
  member: "Member — works with agents and knowledge",
  viewer: "Viewer — can look but not change",
};

/** The roles `actor` may hand out: only owners grant ownership. */
export function assignableRoles(actor: Role): Role[] {
  return actor === "owner" ? ["owner", "admin", "member", "viewer"] : ["admin", "member", "viewer"];
}
