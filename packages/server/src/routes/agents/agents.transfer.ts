import { UnprocessableError } from "@oratio/core";
import { agents, agentVersions, type OrgScope } from "@oratio/db";
import { isNull } from "drizzle-orm";
import { type AgentConfig, AgentConfigSchema, type AgentExport } from "./agents.schemas.ts";
import { listAgents, slugify, validateReferences } from "./agents.service.ts";

/**
 * Exports agents (latest versions) as a portable set: handoffs name their targets by slug.
 * Handoff targets outside the requested ids are included, so the set is self-contained.
 */
export async function exportAgents(scope: OrgScope, agentIds?: string[]): Promise<AgentExport> {
  const all = await listAgents(scope);
  const byId = new Map(all.map((a) => [a.agent.id, a]));
  const wanted = new Set(agentIds ?? all.map((a) => a.agent.id));
  for (const id of wanted)
    if (!byId.has(id)) throw new UnprocessableError(`No agent ${id} in this organization.`);
  const queue = [...wanted];
  while (queue.length) {
    for (const h of byId.get(queue.pop()!)!.config.handoffs) {
      if (!wanted.has(h.agentId) && byId.has(h.agentId)) {
        wanted.add(h.agentId);
        queue.push(h.agentId);
      }
    }
  }
  return {
    format: "oratio.agents",
    version: 1,
    exportedAt: new Date().toISOString(),
    agents: [...wanted].map((id) => {
      const { agent, config } = byId.get(id)!;
      return {
        slug: agent.slug,
        config: {
          ...config,
          handoffs: config.handoffs
            .filter((h) => byId.has(h.agentId))
            .map((h) => ({
              agentSlug: byId.get(h.agentId)!.agent.slug,
              context: h.context,
              description: h.description,
            })),
        },
      };
    }),
  };
}

/**
 * Creates the agents of an exported set in this organization. Slugs that are taken get a
 * suffix; handoffs are rewired to the new agents. `providerId` replaces every model's
 * provider (ids differ between organizations).
 */
export async function importAgents(
  scope: OrgScope,
  set: AgentExport,
  options: { providerId?: string | undefined; publish: boolean; userId?: string | undefined },
) {
  const slugs = set.agents.map((a) => a.slug);
  const duplicate = slugs.find((s, i) => slugs.indexOf(s) !== i);
  if (duplicate) throw new UnprocessableError(`The set contains the slug "${duplicate}" twice.`);
  for (const [i, a] of set.agents.entries()) {
    for (const [j, h] of a.config.handoffs.entries()) {
      if (!slugs.includes(h.agentSlug)) {
        throw new UnprocessableError(`Handoff target "${h.agentSlug}" is not in the set.`, [
          { path: `body.agents.${i}.config.handoffs.${j}.agentSlug`, message: "Not in the set" },
        ]);
      }
    }
  }
  const withProvider = (m: AgentConfig["model"]) =>
    options.providerId ? { ...m, providerId: options.providerId } : m;
  const prepared = set.agents.map((a) => ({
    slug: a.slug,
    base: AgentConfigSchema.parse({
      ...a.config,
      model: withProvider(a.config.model),
      fallbacks: a.config.fallbacks.map(withProvider),
      handoffs: [],
    }),
    handoffs: a.config.handoffs,
  }));
  for (const p of prepared) await validateReferences(scope, p.base);

  const taken = new Set(
    (
      await scope.db
        .select({ slug: agents.slug })
        .from(agents)
        .where(scope.where(agents, isNull(agents.archivedAt)))
    ).map((a) => a.slug),
  );
  const newSlug = (wanted: string) => {
    let slug = slugify(wanted);
    for (let n = 2; taken.has(slug); n++) slug = `${slugify(wanted)}-${n}`;
    taken.add(slug);
    return slug;
  };

  return scope.db.transaction(async (tx) => {
    const created = new Map<string, { id: string; slug: string }>();
    for (const p of prepared) {
      const slug = newSlug(p.slug);
      const [row] = await tx
        .insert(agents)
        .values({
          orgId: scope.orgId,
          name: p.base.name,
          slug,
          latestVersion: 1,
          publishedVersion: options.publish ? 1 : null,
        })
        .returning({ id: agents.id });
      created.set(p.slug, { id: row!.id, slug });
    }
    for (const p of prepared) {
      const self = created.get(p.slug)!;
      const config: AgentConfig = {
        ...p.base,
        slug: self.slug,
        handoffs: p.handoffs.map((h) => ({
          agentId: created.get(h.agentSlug)!.id,
          context: h.context,
          description: h.description,
        })),
      };
      await tx.insert(agentVersions).values({
        orgId: scope.orgId,
        agentId: self.id,
        version: 1,
        config,
        note: "Imported",
        createdBy: options.userId,
      });
    }
    return [...created.values()];
  });
}
