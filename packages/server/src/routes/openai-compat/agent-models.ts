import { OratioError } from "@oratio/core";
import { agents, type OrgScope } from "@oratio/db";
import { asc, eq, isNotNull, isNull } from "drizzle-orm";
import { isUuid } from "../../middleware/authenticate.ts";

export type AgentRow = typeof agents.$inferSelect;

/** The OpenAI "model not found" error: an unknown, archived or unpublished agent. */
export function modelNotFound(model: string): OratioError {
  return new OratioError(404, "model-not-found", "Model not found", {
    detail: `The model \`${model}\` does not exist: name a published agent of your organization by slug or id (GET /v1/models lists them).`,
  });
}

/** An agent, named by slug or id, that can take conversations (published, not archived). */
export async function findAgentByModel(scope: OrgScope, model: string): Promise<AgentRow> {
  const [agent] = await scope.db
    .select()
    .from(agents)
    .where(
      scope.where(
        agents,
        isUuid(model) ? eq(agents.id, model) : eq(agents.slug, model),
        isNull(agents.archivedAt),
        isNotNull(agents.publishedVersion),
      ),
    );
  if (!agent) throw modelNotFound(model);
  return agent;
}

export async function listAgentModels(scope: OrgScope): Promise<AgentRow[]> {
  return scope.db
    .select()
    .from(agents)
    .where(scope.where(agents, isNull(agents.archivedAt), isNotNull(agents.publishedVersion)))
    .orderBy(asc(agents.slug));
}

export function modelDto(agent: AgentRow) {
  return {
    id: agent.slug,
    object: "model" as const,
    created: Math.floor(agent.createdAt.getTime() / 1000),
    owned_by: "organization",
  };
}
