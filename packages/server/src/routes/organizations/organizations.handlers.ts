import { NotFoundError } from "@oratio/core";
import { organizations } from "@oratio/db";
import { eq } from "drizzle-orm";
import type { Handler } from "../../lib/openapi.ts";
import { orgOf, userIdOf } from "../../middleware/authorize.ts";
import {
  createOrganization as insertOrganization,
  organizationDto,
  organizationsOf,
} from "../auth/accounts.ts";
import type * as routes from "./organizations.routes.ts";

export const listOrganizations: Handler<typeof routes.listOrganizations> = async (c) =>
  c.json({ data: await organizationsOf(c.get("deps").db, userIdOf(c)) }, 200);

export const createOrganization: Handler<typeof routes.createOrganization> = async (c) => {
  const { db } = c.get("deps");
  const userId = userIdOf(c);
  const org = await db.transaction((tx) => insertOrganization(tx, c.req.valid("json").name, userId));
  return c.json(org, 201);
};

export const getCurrentOrganization: Handler<typeof routes.getCurrentOrganization> = async (c) => {
  const org = orgOf(c);
  const [row] = await c.get("deps").db.select().from(organizations).where(eq(organizations.id, org.orgId));
  if (!row) throw new NotFoundError("Organization");
  return c.json(organizationDto(row, org.role), 200);
};

export const updateCurrentOrganization: Handler<typeof routes.updateCurrentOrganization> = async (c) => {
  const org = orgOf(c);
  const [row] = await c
    .get("deps")
    .db.update(organizations)
    .set({ name: c.req.valid("json").name })
    .where(eq(organizations.id, org.orgId))
    .returning();
  if (!row) throw new NotFoundError("Organization");
  return c.json(organizationDto(row, org.role), 200);
};
