import { ConflictError, isOratioError, NotFoundError, ValidationError } from "@oratio/core";
import { agents, agentVersions, type OrgScope, tools } from "@oratio/db";
import { type AllowList, assertSafeUrl } from "@oratio/net";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { ZodError, z } from "zod";
import type { AppDeps } from "../../context.ts";
import { sealSecret } from "../../crypto/secret-box.ts";
import { isUniqueViolation } from "../../lib/db-errors.ts";
import { zodIssuesToFields } from "../../lib/problem.ts";
import { type StoredDefinition, type ToolDefinition, ToolDefinitionSchema } from "../../tools/definition.ts";
import type { ToolRow } from "../../tools/org-tools.ts";
import { sampleUrl } from "../../tools/url-template.ts";
import type { ToolSchema } from "./tools.schemas.ts";

type Deps = Pick<AppDeps, "config" | "keyring">;

export type ToolDto = z.infer<typeof ToolSchema>;

/** The stored definition was validated by the same schemas on the way in, hence the cast. */
export function toolDto(row: ToolRow): ToolDto {
  return {
    ...(row.definition as StoredDefinition),
    id: row.id,
    kind: row.kind,
    name: row.name,
    description: row.description,
    hasSecret: row.secretEncrypted !== null,
    createdAt: row.createdAt.toISOString(),
  } as ToolDto;
}

/** Refuses, when saving, a URL that every call would be refused for, so the mistake shows at once. */
async function assertToolUrl(url: string, allowList: AllowList): Promise<void> {
  try {
    await assertSafeUrl(sampleUrl(url), { allowList });
  } catch (error) {
    if (!isOratioError(error)) throw error;
    throw new ValidationError(`The tool URL cannot be used: ${error.detail}`, [
      { path: "body.url", message: error.detail },
    ]);
  }
}

function columnsOf(definition: ToolDefinition) {
  const { kind, name, description, secret: _secret, ...rest } = definition;
  return { kind, name, description, definition: rest };
}

export async function createTool(deps: Deps, scope: OrgScope, input: ToolDefinition): Promise<ToolRow> {
  await assertToolUrl(input.url, deps.config.fetchAllow);
  try {
    const [row] = await scope.db
      .insert(tools)
      .values({
        orgId: scope.orgId,
        ...columnsOf(input),
        secretEncrypted: input.secret ? sealSecret(deps.keyring.encryption, input.secret) : null,
      })
      .returning();
    return row!;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`Another tool is already named "${input.name}".`);
    throw error;
  }
}

export function listTools(scope: OrgScope): Promise<ToolRow[]> {
  return scope.db.select().from(tools).where(scope.where(tools)).orderBy(asc(tools.name));
}

export async function findTool(scope: OrgScope, id: string): Promise<ToolRow> {
  const [row] = await scope.db
    .select()
    .from(tools)
    .where(scope.where(tools, eq(tools.id, id)));
  if (!row) throw new NotFoundError("Tool");
  return row;
}

/** Applies a partial change, validating the result as a whole (a change can break a placeholder). */
export async function updateTool(
  deps: Deps,
  scope: OrgScope,
  id: string,
  patch: Record<string, unknown>,
): Promise<ToolRow> {
  const row = await findTool(scope, id);
  const { secret, ...changes } = patch;
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const parsed = ToolDefinitionSchema.safeParse({
    ...(row.definition as object),
    kind: row.kind,
    name: row.name,
    description: row.description,
    ...defined,
  });
  if (!parsed.success) {
    const issues = zodIssuesToFields(parsed.error as ZodError, "json");
    throw new ValidationError(
      `Invalid fields: ${[...new Set(issues.map((i) => i.path))].join(", ")}.`,
      issues,
    );
  }
  await assertToolUrl(parsed.data.url, deps.config.fetchAllow);
  const secretEncrypted =
    secret === undefined
      ? row.secretEncrypted
      : secret === null
        ? null
        : sealSecret(deps.keyring.encryption, String(secret));
  try {
    const [updated] = await scope.db
      .update(tools)
      .set({ ...columnsOf(parsed.data), secretEncrypted })
      .where(scope.where(tools, eq(tools.id, id)))
      .returning();
    return updated!;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError(`Another tool is already named "${parsed.data.name}".`);
    throw error;
  }
}

/** Deletes a tool unless the latest version of a live agent still offers it. */
export async function deleteTool(scope: OrgScope, id: string): Promise<void> {
  await findTool(scope, id);
  const users = await scope.db
    .selectDistinct({ name: agents.name })
    .from(agents)
    .innerJoin(
      agentVersions,
      and(eq(agentVersions.agentId, agents.id), eq(agentVersions.version, agents.latestVersion)),
    )
    .where(
      scope.where(
        agents,
        isNull(agents.archivedAt),
        sql`${agentVersions.config}->'toolIds' @> ${JSON.stringify([id])}::jsonb`,
      ),
    );
  if (users.length > 0) {
    throw new ConflictError(`Agents still use this tool: ${users.map((u) => u.name).join(", ")}.`);
  }
  await scope.db.delete(tools).where(scope.where(tools, eq(tools.id, id)));
}
