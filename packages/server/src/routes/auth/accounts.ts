import { type Database, memberships, organizations, type Role } from "@oratio/db";
import { asc, eq } from "drizzle-orm";

/** The organizations a user belongs to, oldest membership first (the default organization). */
export async function organizationsOf(db: Database, userId: string) {
  const rows = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      createdAt: organizations.createdAt,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
  return rows.map((r) => organizationDto(r, r.role));
}

export function organizationDto(o: { id: string; name: string; createdAt: Date }, role: Role) {
  return { id: o.id, name: o.name, role, createdAt: o.createdAt.toISOString() };
}

export async function createOrganization(db: Database, name: string, ownerId: string) {
  const [org] = await db.insert(organizations).values({ name }).returning();
  if (!org) throw new Error("organization insert returned nothing");
  await db.insert(memberships).values({ orgId: org.id, userId: ownerId, role: "owner" });
  return organizationDto(org, "owner");
}
