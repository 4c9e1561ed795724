import { ConflictError, type FieldIssue, NotFoundError, UnprocessableError } from "@oratio/core";
import { agents, agentVersions, type OrgScope, providers, tools } from "@oratio/db";
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import diff from "microdiff";
import { existingKnowledgeBases } from "../../knowledge/search.ts";
import { isUniqueViolation } from "../../lib/db-errors.ts";
import { type AgentConfig, AgentConfigSchema } from "./agents.schemas.ts";

export type AgentRow = typeof agents.$inferSelect;

export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50);
  return slug || "agent";
}

/** Every id a configuration names must belong to the organization (and handoffs to live agents). */
export async function validateReferences(
  scope: OrgScope,
  config: AgentConfig,
  selfId?: string,
): Promise<void> {
  const issues: FieldIssue[] = [];
  const models = [config.model, ...config.fallbacks];
  const providerIds = [...new Set(models.map((m) => m.providerId).filter((id) => id !== "local"))];
  if (providerIds.length) {
    const found = await scope.db
      .select({ id: providers.id })
      .from(providers)
      .where(scope.where(providers, inArray(providers.id, providerIds)));
    const known = new Set(found.map((p) => p.id));
    models.forEach((m, i) => {
      if (m.providerId !== "local" && !known.has(m.providerId)) {
        issues.push({
          path: i === 0 ? "body.model.providerId" : `body.fallbacks.${i - 1}.providerId`,
          message: "No such provider",
        });
      }
    });
  }
  if (config.toolIds.length) {
    const found = await scope.db
      .select({ id: tools.id })
      .from(tools)
      .where(scope.where(tools, inArray(tools.id, config.toolIds)));
    const known = new Set(found.map((t) => t.id));
    config.toolIds.forEach((id, i) => {
      if (!known.has(id)) issues.push({ path: `body.toolIds.${i}`, message: "No such tool" });
    });
  }
  if (config.knowledgeBaseIds.length) {
    const known = await existingKnowledgeBases(scope, config.knowledgeBaseIds);
    config.knowledgeBaseIds.forEach((id, i) => {
      if (!known.has(id))
        issues.push({ path: `body.knowledgeBaseIds.${i}`, message: "No such knowledge base" });
    });
  }
  if (config.handoffs.length) {
    const ids = config.handoffs.map((h) => h.agentId);
    const found = await scope.db
      .select({ id: agents.id })
      .from(agents)
      .where(scope.where(agents, inArray(agents.id, ids), isNull(agents.archivedAt)));
    const known = new Set(found.map((a) => a.id));
    config.handoffs.forEach((h, i) => {
      if (h.agentId === selfId)
        issues.push({ path: `body.handoffs.${i}.agentId`, message: "An agent cannot hand off to itself" });
      else if (!known.has(h.agentId))
        issues.push({ path: `body.handoffs.${i}.agentId`, message: "No such agent" });
    });
  }
  if (issues.length) {
    throw new UnprocessableError(
      `The configuration names things that do not exist: ${issues.map((i) => i.path).join(", ")}.`,
      issues,
    );
  }
}

export async function findAgent(scope: OrgScope, id: string): Promise<AgentRow> {
  const [agent] = await scope.db
    .select()
    .from(agents)
    .where(scope.where(agents, eq(agents.id, id), isNull(agents.archivedAt)));
  if (!agent) throw new NotFoundError("Agent");
  return agent;
}

export async function loadVersion(scope: OrgScope, agentId: string, version: number) {
  const [row] = await scope.db
    .select()
    .from(agentVersions)
    .where(
      scope.where(agentVersions, eq(agentVersions.agentId, agentId), eq(agentVersions.version, version)),
    );
  if (!row) throw new NotFoundError(`Version ${version}`);
  return { ...row, config: row.config as AgentConfig };
}

async function uniqueSlug(scope: OrgScope, wanted: string): Promise<string> {
  const taken = new Set(
    (await scope.db.select({ slug: agents.slug }).from(agents).where(scope.where(agents))).map((a) => a.slug),
  );
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
}

export interface SaveOptions {
  publish: boolean;
  userId?: string | undefined;
  note?: string | undefined;
}

export async function createAgent(scope: OrgScope, input: AgentConfig, options: SaveOptions) {
  await validateReferences(scope, input);
  const slug = input.slug ?? (await uniqueSlug(scope, slugify(input.name)));
  const config = { ...input, slug };
  try {
    return await scope.db.transaction(async (tx) => {
      const [agent] = await tx
        .insert(agents)
        .values({
          orgId: scope.orgId,
          name: config.name,
          slug,
          latestVersion: 1,
          publishedVersion: options.publish ? 1 : null,
        })
        .returning();
      await tx.insert(agentVersions).values({
        orgId: scope.orgId,
        agentId: agent!.id,
        version: 1,
        config,
        note: options.note ?? "Created",
        createdBy: options.userId,
      });
      return { agent: agent!, config };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`Another agent already uses the slug "${slug}".`);
    throw error;
  }
}

/** Applies a partial change on top of the latest version, as a new version. */
export async function updateAgent(
  scope: OrgScope,
  id: string,
  patch: Partial<AgentConfig>,
  options: SaveOptions,
) {
  const agent = await findAgent(scope, id);
  const latest = await loadVersion(scope, id, agent.latestVersion);
  const merged = AgentConfigSchema.parse({ ...latest.config, ...stripUndefined(patch) });
  await validateReferences(scope, merged, id);
  const version = agent.latestVersion + 1;
  try {
    return await scope.db.transaction(async (tx) => {
      await tx.insert(agentVersions).values({
        orgId: scope.orgId,
        agentId: id,
        version,
        config: merged,
        note: options.note ?? `Changed ${Object.keys(stripUndefined(patch)).join(", ") || "nothing"}`,
        createdBy: options.userId,
      });
      const [updated] = await tx
        .update(agents)
        .set({
          name: merged.name,
          slug: merged.slug ?? agent.slug,
          latestVersion: version,
          ...(options.publish ? { publishedVersion: version } : {}),
          updatedAt: new Date(),
        })
        .where(scope.where(agents, eq(agents.id, id)))
        .returning();
      return { agent: updated!, config: merged };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError(`Another agent already uses the slug "${merged.slug}".`);
    throw error;
  }
}

export async function publishVersion(scope: OrgScope, id: string, version: number) {
  await findAgent(scope, id);
  const target = await loadVersion(scope, id, version);
  const [updated] = await scope.db
    .update(agents)
    .set({ publishedVersion: version, name: target.config.name, updatedAt: new Date() })
    .where(scope.where(agents, eq(agents.id, id)))
    .returning();
  return updated!;
}

export async function listVersions(scope: OrgScope, id: string) {
  const agent = await findAgent(scope, id);
  const rows = await scope.db
    .select()
    .from(agentVersions)
    .where(scope.where(agentVersions, eq(agentVersions.agentId, id)))
    .orderBy(desc(agentVersions.version));
  return rows.map((r) => ({
    version: r.version,
    published: r.version === agent.publishedVersion,
    note: r.note,
    config: r.config as AgentConfig,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Field-level differences between two versions, as JSON paths with before and after values. */
export async function diffVersions(scope: OrgScope, id: string, from: number, to: number) {
  await findAgent(scope, id);
  const [a, b] = await Promise.all([loadVersion(scope, id, from), loadVersion(scope, id, to)]);
  return diff(a.config, b.config).map((d) => ({
    path: d.path.join("."),
    change: (d.type === "CREATE" ? "added" : d.type === "REMOVE" ? "removed" : "changed") as
      | "added"
      | "removed"
      | "changed",
    before: "oldValue" in d ? d.oldValue : null,
    after: "value" in d ? d.value : null,
  }));
}

export async function archiveAgent(scope: OrgScope, id: string): Promise<void> {
  const agent = await findAgent(scope, id);
  // Free the slug for reuse; the archived row keeps its id for old transcripts.
  await scope.db
    .update(agents)
    .set({ archivedAt: new Date(), slug: `${agent.slug}~archived~${agent.id.slice(0, 8)}` })
    .where(scope.where(agents, eq(agents.id, id)));
}

export async function listAgents(scope: OrgScope) {
  const rows = await scope.db
    .select({ agent: agents, config: agentVersions.config })
    .from(agents)
    .innerJoin(
      agentVersions,
      and(eq(agentVersions.agentId, agents.id), eq(agentVersions.version, agents.latestVersion)),
    )
    .where(scope.where(agents, isNull(agents.archivedAt)))
    .orderBy(asc(agents.createdAt));
  return rows.map((r) => ({ agent: r.agent, config: r.config as AgentConfig }));
}

export function agentDto(agent: AgentRow, config: AgentConfig) {
  return {
    id: agent.id,
    name: agent.name,
    slug: agent.slug,
    status: agent.publishedVersion === null ? ("draft" as const) : ("published" as const),
    latestVersion: agent.latestVersion,
    publishedVersion: agent.publishedVersion,
    config,
    createdAt: agent.createdAt.toISOString(),
    updatedAt: agent.updatedAt.toISOString(),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
