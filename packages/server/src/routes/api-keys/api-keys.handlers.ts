import { NotFoundError } from "@oratio/core";
import { apiKeys } from "@oratio/db";
import { desc, eq, isNull } from "drizzle-orm";
import { generateSecret } from "../../auth/tokens.ts";
import { type Handler, iso } from "../../lib/openapi.ts";
import { API_KEY_PREFIX } from "../../middleware/authenticate.ts";
import { orgOf, userIdOf } from "../../middleware/authorize.ts";
import type * as routes from "./api-keys.routes.ts";

/** How much of the key listings show: `ora_` plus 8 random characters. */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

function apiKeyDto(k: typeof apiKeys.$inferSelect) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: iso(k.lastUsedAt),
  };
}

export const createApiKey: Handler<typeof routes.createApiKey> = async (c) => {
  const deps = c.get("deps");
  const org = orgOf(c);
  const { name, scopes } = c.req.valid("json");
  const key = generateSecret(API_KEY_PREFIX);
  const [row] = await org.scope.db
    .insert(apiKeys)
    .values({
      orgId: org.orgId,
      name,
      prefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
      keyHash: deps.keyring.hashSecret(key),
      scopes: [...new Set(scopes)],
      createdBy: userIdOf(c),
    })
    .returning();
  return c.json({ ...apiKeyDto(row!), key }, 201);
};

export const listApiKeys: Handler<typeof routes.listApiKeys> = async (c) => {
  const { scope } = orgOf(c);
  const rows = await scope.db
    .select()
    .from(apiKeys)
    .where(scope.where(apiKeys, isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt));
  return c.json({ data: rows.map(apiKeyDto) }, 200);
};

export const revokeApiKey: Handler<typeof routes.revokeApiKey> = async (c) => {
  const { scope } = orgOf(c);
  const { id } = c.req.valid("param");
  const [row] = await scope.db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(scope.where(apiKeys, eq(apiKeys.id, id)));
  if (!row) throw new NotFoundError("API key");
  await scope.db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(scope.where(apiKeys, eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  c.get("deps").apiKeys.evict(id);
  return c.body(null, 204);
};
