import { ForbiddenError, NotFoundError, UnauthorizedError } from "@oratio/core";
import { invitations, organizations, users } from "@oratio/db";
import { desc, eq, gt, isNull } from "drizzle-orm";
import { roleAtLeast } from "../../auth/access.ts";
import { generateSecret } from "../../auth/tokens.ts";
import type { Handler } from "../../lib/openapi.ts";
import { orgOf, userIdOf } from "../../middleware/authorize.ts";
import { organizationsOf } from "../auth/accounts.ts";
import type * as routes from "./invitations.routes.ts";
import { acceptInvitation as accept, findPendingInvitation } from "./invitations.service.ts";

function invitationDto(i: typeof invitations.$inferSelect) {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    expiresAt: i.expiresAt.toISOString(),
    createdAt: i.createdAt.toISOString(),
  };
}

export const createInvitation: Handler<typeof routes.createInvitation> = async (c) => {
  const deps = c.get("deps");
  const org = orgOf(c);
  const { email, role } = c.req.valid("json");
  if (role === "owner" && !roleAtLeast(org.role, "owner"))
    throw new ForbiddenError("Only an owner can invite owners.");
  const token = generateSecret("inv_");
  const [row] = await org.scope.db
    .insert(invitations)
    .values({
      orgId: org.orgId,
      email,
      role,
      tokenHash: deps.keyring.hashSecret(token),
      invitedBy: userIdOf(c),
      expiresAt: new Date(Date.now() + deps.config.invitationTtlSeconds * 1000),
    })
    .returning();
  return c.json({ ...invitationDto(row!), token }, 201);
};

export const listInvitations: Handler<typeof routes.listInvitations> = async (c) => {
  const { scope } = orgOf(c);
  const rows = await scope.db
    .select()
    .from(invitations)
    .where(
      scope.where(
        invitations,
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invitations.createdAt));
  return c.json({ data: rows.map(invitationDto) }, 200);
};

export const revokeInvitation: Handler<typeof routes.revokeInvitation> = async (c) => {
  const { scope } = orgOf(c);
  const { id } = c.req.valid("param");
  const revoked = await scope.db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(scope.where(invitations, eq(invitations.id, id), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id });
  if (revoked.length === 0) throw new NotFoundError("Invitation");
  return c.body(null, 204);
};

export const lookupInvitation: Handler<typeof routes.lookupInvitation> = async (c) => {
  const deps = c.get("deps");
  const invitation = await findPendingInvitation(deps.db, deps.keyring, c.req.valid("json").token);
  const [org] = await deps.db.select().from(organizations).where(eq(organizations.id, invitation.orgId));
  return c.json(
    {
      organizationName: org?.name ?? "",
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
    },
    200,
  );
};

export const acceptInvitation: Handler<typeof routes.acceptInvitation> = async (c) => {
  const deps = c.get("deps");
  const [user] = await deps.db
    .select()
    .from(users)
    .where(eq(users.id, userIdOf(c)))
    .limit(1);
  if (!user) throw new UnauthorizedError("This account no longer exists.");
  const { orgId } = await deps.db.transaction((tx) =>
    accept(tx, deps.keyring, c.req.valid("json").token, user),
  );
  const joined = (await organizationsOf(deps.db, user.id)).find((o) => o.id === orgId);
  if (!joined) throw new NotFoundError("Organization");
  return c.json(joined, 200);
};
