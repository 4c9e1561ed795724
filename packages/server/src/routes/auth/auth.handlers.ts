import { ConflictError, UnauthorizedError } from "@oratio/core";
import { users } from "@oratio/db";
import { eq } from "drizzle-orm";
import { hashPassword, verifyPassword } from "../../auth/passwords.ts";
import { issueTokens, revokeByToken, rotateRefreshToken } from "../../auth/refresh-tokens.ts";
import { userDto } from "../../lib/account-schemas.ts";
import { isUniqueViolation } from "../../lib/db-errors.ts";
import type { Handler } from "../../lib/openapi.ts";
import { acceptInvitation } from "../invitations/invitations.service.ts";
import { createOrganization, organizationsOf } from "./accounts.ts";
import type { login, logout, refresh, signup } from "./auth.routes.ts";

const EMAIL_TAKEN = "An account with this email already exists; sign in instead.";

export const signupHandler: Handler<typeof signup> = async (c) => {
  const deps = c.get("deps");
  const body = c.req.valid("json");
  const [taken] = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, body.email))
    .limit(1);
  if (taken) throw new ConflictError(EMAIL_TAKEN);
  const passwordHash = await hashPassword(body.password);

  const result = await deps.db
    .transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: body.email, name: body.name, passwordHash })
        .returning();
      if (!user) throw new Error("user insert returned nothing");
      let organization: Awaited<ReturnType<typeof createOrganization>>;
      if (body.invitationToken) {
        const joined = await acceptInvitation(tx, deps.keyring, body.invitationToken, user);
        const orgs = await organizationsOf(tx, user.id);
        organization = orgs.find((o) => o.id === joined.orgId)!;
        if (body.organizationName) await createOrganization(tx, body.organizationName, user.id);
      } else {
        organization = await createOrganization(tx, body.organizationName!, user.id);
      }
      return { user, organization, tokens: await issueTokens(deps, tx, user.id) };
    })
    .catch((error) => {
      if (isUniqueViolation(error)) throw new ConflictError(EMAIL_TAKEN);
      throw error;
    });

  return c.json({ user: userDto(result.user), organization: result.organization, ...result.tokens }, 201);
};

export const loginHandler: Handler<typeof login> = async (c) => {
  const deps = c.get("deps");
  const body = c.req.valid("json");
  const [user] = await deps.db.select().from(users).where(eq(users.email, body.email)).limit(1);
  const ok = await verifyPassword(user?.passwordHash, body.password);
  if (!user || !ok) throw new UnauthorizedError("The email or password is incorrect.");
  if (body.invitationToken) await acceptInvitation(deps.db, deps.keyring, body.invitationToken, user);
  const tokens = await issueTokens(deps, deps.db, user.id);
  return c.json(
    { user: userDto(user), organizations: await organizationsOf(deps.db, user.id), ...tokens },
    200,
  );
};

export const refreshHandler: Handler<typeof refresh> = async (c) => {
  const tokens = await rotateRefreshToken(c.get("deps"), c.req.valid("json").refreshToken);
  return c.json(tokens, 200);
};

export const logoutHandler: Handler<typeof logout> = async (c) => {
  await revokeByToken(c.get("deps"), c.req.valid("json").refreshToken);
  return c.body(null, 204);
};
