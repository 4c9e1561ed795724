import type { AgentDefinition, Tool } from "@oratio/core";
import { agents, agentVersions, type OrgScope } from "@oratio/db";
import { and, eq, inArray, isNull, or } from "drizzle-orm";
import type { AgentConfig } from "../routes/agents/agents.schemas.ts";
import { modelRef } from "./models.ts";

/** Per-tool rate limits declared by the organization's custom tools. */
function toolRateLimits(tools: Tool[]): Record<string, { maxCalls: number; windowMs: number }> {
  const limits: Record<string, { maxCalls: number; windowMs: number }> = {};
  for (const tool of tools) {
    const limit = (tool as Tool & { rateLimit?: { maxCalls: number; windowMs: number } }).rateLimit;
    if (limit) limits[tool.name] = limit;
  }
  return limits;
}

/** Agent id → version a session runs on. */
export type PinnedVersions = Record<string, number>;

/**
 * Pins the entry agent's version and, following handoffs, the published version of every
 * agent the conversation can reach, so later edits never change a running session.
 * With `includeDrafts`, targets never published are pinned at their latest version.
 */
export async function pinVersions(
  scope: OrgScope,
  entryAgentId: string,
  entryVersion: number,
  options: { includeDrafts?: boolean } = {},
): Promise<PinnedVersions> {
  const pinned: PinnedVersions = { [entryAgentId]: entryVersion };
  let frontier: { agentId: string; version: number }[] = [{ agentId: entryAgentId, version: entryVersion }];
  while (frontier.length) {
    const rows = await scope.db
      .select({ config: agentVersions.config })
      .from(agentVersions)
      .where(
        scope.where(
          agentVersions,
          or(
            ...frontier.map((f) =>
              and(eq(agentVersions.agentId, f.agentId), eq(agentVersions.version, f.version)),
            ),
          ),
        ),
      );
    const targetIds = [
      ...new Set(rows.flatMap((r) => (r.config as AgentConfig).handoffs.map((h) => h.agentId))),
    ].filter((id) => !(id in pinned));
    if (targetIds.length === 0) break;
    const targets = await scope.db
      .select({ id: agents.id, published: agents.publishedVersion, latest: agents.latestVersion })
      .from(agents)
      .where(scope.where(agents, inArray(agents.id, targetIds), isNull(agents.archivedAt)));
    frontier = [];
    for (const t of targets) {
      // Live conversations reach published agents only; a test of a draft (a session
      // started on a named version) reaches the drafts around it too.
      const version = t.published ?? (options.includeDrafts ? t.latest : null);
      if (version === null) continue;
      pinned[t.id] = version;
      frontier.push({ agentId: t.id, version });
    }
  }
  return pinned;
}

export interface LoadedDirectory {
  directory: Map<string, AgentDefinition>;
  /** Agent id by slug, to record which agent spoke. */
  idBySlug: Map<string, string>;
  configs: Map<string, AgentConfig>;
  modelRefs: string[];
}

interface PinnedRow {
  agentId: string;
  config: unknown;
  slug: string;
}

/**
 * Agent versions never change once written, so the rows a session pins are cached per
 * organization and version set: a turn reads no agent configuration from the database.
 */
const pinnedCache = new Map<string, PinnedRow[]>();
const PINNED_CACHE_LIMIT = 2000;

async function pinnedRows(scope: OrgScope, pinned: PinnedVersions): Promise<PinnedRow[]> {
  const entries = Object.entries(pinned).sort(([a], [b]) => a.localeCompare(b));
  const key = `${scope.orgId}:${entries.map(([id, v]) => `${id}@${v}`).join(",")}`;
  const cached = pinnedCache.get(key);
  if (cached) return cached;
  const rows = await scope.db
    .select({ agentId: agentVersions.agentId, config: agentVersions.config, slug: agents.slug })
    .from(agentVersions)
    .innerJoin(agents, eq(agents.id, agentVersions.agentId))
    .where(
      scope.where(
        agentVersions,
        or(...entries.map(([id, v]) => and(eq(agentVersions.agentId, id), eq(agentVersions.version, v)))),
      ),
    );
  if (pinnedCache.size >= PINNED_CACHE_LIMIT) pinnedCache.delete(pinnedCache.keys().next().value!);
  pinnedCache.set(key, rows);
  return rows;
}

/** Builds the run loop's agent directory (keyed by slug) from the pinned versions. */
export async function loadDirectory(
  scope: OrgScope,
  pinned: PinnedVersions,
  toolsFor: (toolIds: string[]) => Promise<Tool[]>,
): Promise<LoadedDirectory> {
  const rows = await pinnedRows(scope, pinned);
  const slugById = new Map(rows.map((r) => [r.agentId, r.slug]));
  const directory = new Map<string, AgentDefinition>();
  const idBySlug = new Map<string, string>();
  const configs = new Map<string, AgentConfig>();
  const modelRefs: string[] = [];
  for (const row of rows) {
    const config = row.config as AgentConfig;
    const refs = [config.model, ...config.fallbacks].map((m) => modelRef(m.providerId, m.model));
    modelRefs.push(...refs);
    idBySlug.set(row.slug, row.agentId);
    configs.set(row.slug, config);
    const tools = config.toolIds.length ? await toolsFor(config.toolIds) : [];
    directory.set(row.slug, {
      name: config.name,
      slug: row.slug,
      instructions: config.instructions,
      greeting: config.greeting,
      onEnter: config.onEnter,
      model: {
        model: refs[0]!,
        fallbacks: refs.slice(1),
        temperature: config.model.temperature,
        maxTokens: config.model.maxTokens,
      },
      tools,
      handoffs: config.handoffs
        .filter((h) => slugById.has(h.agentId))
        .map((h) => ({ to: slugById.get(h.agentId)!, description: h.description, context: h.context })),
      knowledge: config.knowledgeBaseIds.length
        ? { knowledgeBaseIds: config.knowledgeBaseIds, topK: 4 }
        : undefined,
      allowHumanHandoff: config.humanHandoff.enabled,
      humanHandoff: {
        keywords: config.humanHandoff.keywords,
        askThreshold: config.humanHandoff.maxHumanRequests,
        maxConsecutiveToolFailures: config.humanHandoff.maxToolFailures,
      },
      voice: config.voice as AgentDefinition["voice"],
      limits: { maxToolCallsPerSession: config.limits.maxToolCalls, toolRateLimits: toolRateLimits(tools) },
    });
  }
  return { directory, idBySlug, configs, modelRefs };
}
