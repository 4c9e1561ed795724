import { ConflictError, ForbiddenError, NotFoundError } from "@oratio/core";
import { type Database, invitations, memberships } from "@oratio/db";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Keyring } from "../../auth/keyring.ts";

/** Finds a pending, unexpired invitation by its secret token. */
export async function findPendingInvitation(db: Database, keyring: Keyring, token: string) {
  const [invitation] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tokenHash, keyring.hashSecret(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .limit(1);
  if (!invitation) throw new NotFoundError("Invitation (it may have expired, been used or revoked)");
  return invitation;
}

/**
 * Adds the user to the inviting organization. The invitation is bound to the email it
 * was sent to, so a leaked link cannot be used by somebody else's account.
 */
export async function acceptInvitation(
  db: Database,
  keyring: Keyring,
  token: string,
  user: { id: string; email: string },
): Promise<{ orgId: string; role: string }> {
  const invitation = await findPendingInvitation(db, keyring, token);
  if (invitation.email !== user.email.toLowerCase()) {
    throw new ForbiddenError("This invitation was sent to a different email address.");
  }
  const [existing] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, invitation.orgId), eq(memberships.userId, user.id)))
    .limit(1);
  if (existing) throw new ConflictError("You are already a member of this organization.");
  await db.insert(memberships).values({ orgId: invitation.orgId, userId: user.id, role: invitation.role });
  await db.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, invitation.id));
  return { orgId: invitation.orgId, role: invitation.role };
}
