import { ConflictError, NotFoundError } from "@oratio/core";
import { agents, phoneNumbers } from "@oratio/db";
import { asc, eq, isNull } from "drizzle-orm";
import { sealSecret } from "../../crypto/secret-box.ts";
import { isUniqueViolation } from "../../lib/db-errors.ts";
import type { Handler } from "../../lib/openapi.ts";
import { orgOf } from "../../middleware/authorize.ts";
import type * as routes from "./phone-numbers.routes.ts";

function phoneNumberDto(row: typeof phoneNumbers.$inferSelect) {
  return {
    id: row.id,
    number: row.number,
    agentId: row.agentId,
    provider: row.provider,
    createdAt: row.createdAt.toISOString(),
  };
}

export const createPhoneNumber: Handler<typeof routes.createPhoneNumber> = async (c) => {
  const { scope } = orgOf(c);
  const body = c.req.valid("json");
  const [agent] = await scope.db
    .select({ id: agents.id })
    .from(agents)
    .where(scope.where(agents, eq(agents.id, body.agentId), isNull(agents.archivedAt)));
  if (!agent) throw new NotFoundError("Agent");
  try {
    const [row] = await scope.db
      .insert(phoneNumbers)
      .values({
        orgId: scope.orgId,
        number: body.number,
        agentId: agent.id,
        authTokenEncrypted: sealSecret(c.get("deps").keyring.encryption, body.twilioAuthToken),
      })
      .returning();
    return c.json(phoneNumberDto(row!), 201);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`${body.number} is already routed to an agent.`);
    throw error;
  }
};

export const listPhoneNumbers: Handler<typeof routes.listPhoneNumbers> = async (c) => {
  const { scope } = orgOf(c);
  const rows = await scope.db
    .select()
    .from(phoneNumbers)
    .where(scope.where(phoneNumbers))
    .orderBy(asc(phoneNumbers.createdAt));
  return c.json({ data: rows.map(phoneNumberDto) }, 200);
};

export const deletePhoneNumber: Handler<typeof routes.deletePhoneNumber> = async (c) => {
  const { scope } = orgOf(c);
  const [row] = await scope.db
    .delete(phoneNumbers)
    .where(scope.where(phoneNumbers, eq(phoneNumbers.id, c.req.valid("param").id)))
    .returning({ id: phoneNumbers.id });
  if (!row) throw new NotFoundError("Phone number");
  return c.body(null, 204);
};
