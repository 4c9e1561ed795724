import { ConflictError, NotFoundError } from "@oratio/core";
import { agents, agentVersions, knowledgeBases, providers } from "@oratio/db";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { sealSecret } from "../../crypto/secret-box.ts";
import type { Handler } from "../../lib/openapi.ts";
import { orgOf } from "../../middleware/authorize.ts";
import type * as routes from "./providers.routes.ts";

export function providerDto(p: typeof providers.$inferSelect) {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    baseUrl: p.baseUrl,
    hasApiKey: p.apiKeyEncrypted !== null,
    options: p.options as Record<string, unknown>,
    createdAt: p.createdAt.toISOString(),
  };
}

export const createProvider: Handler<typeof routes.createProvider> = async (c) => {
  const { keyring } = c.get("deps");
  const org = orgOf(c);
  const body = c.req.valid("json");
  const [row] = await org.scope.db
    .insert(providers)
    .values({
      orgId: org.orgId,
      name: body.name,
      type: body.type,
      baseUrl: body.baseUrl ?? null,
      apiKeyEncrypted: body.apiKey ? sealSecret(keyring.encryption, body.apiKey) : null,
      options: body.options,
    })
    .returning();
  return c.json(providerDto(row!), 201);
};

export const listProviders: Handler<typeof routes.listProviders> = async (c) => {
  const { scope } = orgOf(c);
  const rows = await scope.db
    .select()
    .from(providers)
    .where(scope.where(providers))
    .orderBy(desc(providers.createdAt));
  return c.json({ data: rows.map(providerDto) }, 200);
};

export const deleteProvider: Handler<typeof routes.deleteProvider> = async (c) => {
  const { scope } = orgOf(c);
  const { id } = c.req.valid("param");
  const [row] = await scope.db
    .select({ id: providers.id })
    .from(providers)
    .where(scope.where(providers, eq(providers.id, id)));
  if (!row) throw new NotFoundError("Provider");
  // Published or latest versions of live agents that name this provider anywhere in their model chain.
  const users = await scope.db
    .selectDistinct({ name: agents.name })
    .from(agents)
    .innerJoin(
      agentVersions,
      and(eq(agentVersions.agentId, agents.id), eq(agentVersions.version, agents.latestVersion)),
    )
    .where(
      scope.where(agents, isNull(agents.archivedAt), sql`${agentVersions.config}::text like ${`%${id}%`}`),
    );
  if (users.length > 0) {
    throw new ConflictError(`Agents still use this provider: ${users.map((u) => u.name).join(", ")}.`);
  }
  const bases = await scope.db
    .select({ name: knowledgeBases.name })
    .from(knowledgeBases)
    .where(scope.where(knowledgeBases, eq(knowledgeBases.embeddingProviderId, id)));
  if (bases.length > 0) {
    throw new ConflictError(
      `Knowledge bases still embed with this provider: ${bases.map((b) => b.name).join(", ")}.`,
    );
  }
  await scope.db.delete(providers).where(scope.where(providers, eq(providers.id, id)));
  c.get("deps").conversations.forgetProvider(scope.orgId, id);
  return c.body(null, 204);
};
