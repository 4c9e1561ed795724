import { UnauthorizedError } from "@oratio/core";
import { users } from "@oratio/db";
import { eq } from "drizzle-orm";
import { userDto } from "../../lib/account-schemas.ts";
import type { Handler } from "../../lib/openapi.ts";
import { userIdOf } from "../../middleware/authorize.ts";
import { organizationsOf } from "../auth/accounts.ts";
import type { getMe } from "./me.routes.ts";

export const getMeHandler: Handler<typeof getMe> = async (c) => {
  const { db } = c.get("deps");
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.id, userIdOf(c)))
    .limit(1);
  // A valid token for a deleted user is as good as no token.
  if (!user) throw new UnauthorizedError("This account no longer exists.");
  return c.json(
    {
      user: userDto(user),
      organizations: await organizationsOf(db, user.id),
      currentOrganizationId: c.get("org")?.orgId ?? null,
    },
    200,
  );
};
