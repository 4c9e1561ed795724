import { ConflictError, ForbiddenError, NotFoundError } from "@oratio/core";
import { memberships, type OrgScope, type Role, users } from "@oratio/db";
import { asc, count, eq } from "drizzle-orm";
import { roleAtLeast } from "../../auth/access.ts";
import type { Handler } from "../../lib/openapi.ts";
import { orgOf, userIdOf } from "../../middleware/authorize.ts";
import type * as routes from "./members.routes.ts";

const memberColumns = {
  userId: memberships.userId,
  email: users.email,
  name: users.name,
  role: memberships.role,
  joinedAt: memberships.createdAt,
};

function memberDto(m: { userId: string; email: string; name: string; role: Role; joinedAt: Date }) {
  return { ...m, joinedAt: m.joinedAt.toISOString() };
}

async function findMember(scope: OrgScope, userId: string) {
  const [member] = await scope.db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(scope.where(memberships, eq(memberships.userId, userId)))
    .limit(1);
  if (!member) throw new NotFoundError("Member");
  return member;
}

async function ownerCount(scope: OrgScope): Promise<number> {
  const [row] = await scope.db
    .select({ n: count() })
    .from(memberships)
    .where(scope.where(memberships, eq(memberships.role, "owner")));
  return row?.n ?? 0;
}

export const listMembers: Handler<typeof routes.listMembers> = async (c) => {
  const { scope } = orgOf(c);
  const rows = await scope.db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(scope.where(memberships))
    .orderBy(asc(memberships.createdAt));
  return c.json({ data: rows.map(memberDto) }, 200);
};

export const updateMember: Handler<typeof routes.updateMember> = async (c) => {
  const org = orgOf(c);
  const { userId } = c.req.valid("param");
  const { role } = c.req.valid("json");
  const member = await findMember(org.scope, userId);
  if ((role === "owner" || member.role === "owner") && !roleAtLeast(org.role, "owner")) {
    throw new ForbiddenError("Only an owner can grant or take away the owner role.");
  }
  if (member.role === "owner" && role !== "owner" && (await ownerCount(org.scope)) <= 1) {
    throw new ConflictError("An organization needs at least one owner; make someone else owner first.");
  }
  await org.scope.db
    .update(memberships)
    .set({ role })
    .where(org.scope.where(memberships, eq(memberships.userId, userId)));
  return c.json(memberDto({ ...member, role }), 200);
};

export const removeMember: Handler<typeof routes.removeMember> = async (c) => {
  const org = orgOf(c);
  const { userId } = c.req.valid("param");
  const member = await findMember(org.scope, userId);
  const leaving = userId === userIdOf(c);
  if (!leaving && !roleAtLeast(org.role, "admin"))
    throw new ForbiddenError("Only admins can remove other members.");
  if (member.role === "owner") {
    if (!leaving && !roleAtLeast(org.role, "owner"))
      throw new ForbiddenError("Only an owner can remove an owner.");
    if ((await ownerCount(org.scope)) <= 1) {
      throw new ConflictError("The last owner cannot leave; make someone else owner first.");
    }
  }
  await org.scope.db.delete(memberships).where(org.scope.where(memberships, eq(memberships.userId, userId)));
  return c.body(null, 204);
};
