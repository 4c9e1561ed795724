import type { LanguageModel } from "@oratio/core";
import { agentTestCases, businessProfiles, generationReports, OrgScope, sopProcedures } from "@oratio/db";
import { eq } from "drizzle-orm";
import type { AppDeps } from "../context.ts";
import { type ModelRegistry, modelRef } from "../conversation/models.ts";
import type { JobContext } from "../jobs/types.ts";
import { ingestDocumentsHandler, syncSourceHandler } from "../knowledge/ingest-jobs.ts";
import { AgentConfigSchema } from "../routes/agents/agents.schemas.ts";
import { createAgent, updateAgent } from "../routes/agents/agents.service.ts";
import { type DraftOutcome, draftReviewRefine } from "./drafting.ts";
import { extractBusinessProfile, withProfileBlock } from "./profile.ts";
import type { AgentDraft, BusinessProfile, Procedure, SopParse } from "./schemas.ts";
import { parseSop, renderProcedures, same, splitSop, toProcedures } from "./sop.ts";
import { StageClock } from "./stage-clock.ts";
import { buildStarterTests } from "./starter-tests.ts";
import type { ModelCallRecord } from "./structured-call.ts";

export const GENERATE_AGENTS_JOB = "builder.generate";

export interface GeneratePayload {
  reportId: string;
  name: string;
  language: string;
  knowledgeBaseId: string;
  documentIds: string[];
  sourceId: string | null;
  sop: string;
  model: { providerId: string; model: string };
  maxReviewCycles?: number;
}

/** Runs a knowledge job's handler inline, as one stage of the generation. */
function subJob<P>(
  ctx: JobContext<GeneratePayload>,
  payload: P,
  onProgress: (p: Record<string, unknown>) => void,
) {
  const progress: Record<string, unknown> = {};
  return {
    ...ctx,
    payload,
    previousProgress: {},
    progress(patch: Record<string, unknown>) {
      Object.assign(progress, patch);
      onProgress(progress);
    },
  } as JobContext<P>;
}

function composeInstructions(
  draft: AgentDraft,
  procedures: Procedure[],
  parse: SopParse,
  profile: BusinessProfile,
): string {
  const parts = [draft.instructions.trim()];
  if (draft.rules.length) parts.push(`Rules:\n${draft.rules.map((r) => `- ${r}`).join("\n")}`);
  parts.push(renderProcedures(procedures, parse));
  return withProfileBlock(parts.join("\n\n"), profile);
}

function totals(calls: ModelCallRecord[]) {
  return calls.reduce(
    (t, c) => ({
      count: t.count + 1,
      inputChars: t.inputChars + c.inputChars,
      outputChars: t.outputChars + c.outputChars,
      inputTokens: t.inputTokens + c.inputTokens,
      outputTokens: t.outputTokens + c.outputTokens,
      ms: t.ms + c.ms,
    }),
    { count: 0, inputChars: 0, outputChars: 0, inputTokens: 0, outputTokens: 0, ms: 0 },
  );
}

/**
 * The agent builder: ingests the documents and crawls the site while the SOP is parsed,
 * extracts the business profile, drafts every agent the SOP names (reviewed and refined),
 * creates them as unpublished drafts with handoffs between them, and writes the starter
 * test suite and the generation report.
 */
export function generateAgentsHandler(deps: AppDeps, models: ModelRegistry) {
  return async (ctx: JobContext<GeneratePayload>) => {
    const p = ctx.payload;
    const scope = new OrgScope(deps.db, ctx.orgId);
    const calls: ModelCallRecord[] = [];
    const clock = new StageClock((stages, current) => ctx.progress({ stages, current }));
    const report: Record<string, unknown> = { model: modelRef(p.model.providerId, p.model.model) };
    const saveReport = async (extra: Partial<typeof generationReports.$inferInsert>) => {
      await scope.db
        .update(generationReports)
        .set({
          report: {
            ...report,
            stages: clock.list(),
            totalMs: clock.elapsed(),
            modelCalls: calls,
            modelCallTotals: totals(calls),
          },
          ...extra,
        })
        .where(scope.where(generationReports, eq(generationReports.id, p.reportId)));
    };
    try {
      const resolve = await models.resolve(scope, [modelRef(p.model.providerId, p.model.model)]);
      const model: LanguageModel = resolve(modelRef(p.model.providerId, p.model.model));
      const passages = splitSop(p.sop);

      const knowledgeReady = Promise.all([
        clock.run(
          "ingest documents",
          () =>
            ingestDocumentsHandler(deps)(
              subJob(ctx, { knowledgeBaseId: p.knowledgeBaseId, documentIds: p.documentIds }, (x) =>
                ctx.progress({ ingest: x }),
              ),
            ),
          (r) => r as Record<string, unknown>,
        ),
        p.sourceId
          ? clock.run(
              "crawl site",
              () =>
                syncSourceHandler(deps)(
                  subJob(ctx, { knowledgeBaseId: p.knowledgeBaseId, sourceId: p.sourceId! }, (x) =>
                    ctx.progress({ crawl: { ...x, errors: undefined } }),
                  ),
                ),
              (r) => r as Record<string, unknown>,
            )
          : Promise.resolve(clock.skip("crawl site", "No website was given.")),
      ]);
      const sopParsed = clock.run(
        "parse SOP",
        () => parseSop(model, passages, calls, ctx.signal),
        (r) => ({
          roles: r.roles.length,
          intents: r.intents.length,
          escalationRules: r.escalationRules.length,
        }),
      );
      const profilePromise = knowledgeReady.then(() =>
        clock.run(
          "extract business profile",
          () => extractBusinessProfile(scope, p.knowledgeBaseId, model, calls, ctx.signal),
          (profile) => ({
            facts: Object.values(profile).reduce((n, v) => n + (Array.isArray(v) ? v.length : v ? 1 : 0), 0),
          }),
        ),
      );
      const [parse, profile] = await Promise.all([sopParsed, profilePromise]).catch(async (error) => {
        // Let the sibling stage settle so nothing keeps writing after the job fails.
        await Promise.allSettled([sopParsed, profilePromise]);
        throw error;
      });
      const procedures = toProcedures(parse, passages);
      const agentRoles = parse.roles.filter((r) => r.kind === "agent");
      const entry = agentRoles.find((r) => r.entry)!;

      // Every agent is drafted, reviewed and refined concurrently.
      const outcomes: DraftOutcome[] = await Promise.all(
        agentRoles.map((role) => {
          let stage: "draft agent" | "review" | "refine" | undefined;
          const enter = (next: string) => {
            if (stage) clock.end(stage);
            stage = next as typeof stage;
            clock.start(stage!);
          };
          return draftReviewRefine(
            model,
            {
              role: { name: role.name, description: role.description, entry: role.entry },
              procedures: procedures.filter((x) => same(x.role, role.name)),
              otherAgents: agentRoles
                .filter((r) => r !== role)
                .map((r) => ({ name: r.name, description: r.description })),
              parse,
              profile,
            },
            { maxCycles: p.maxReviewCycles ?? 2, log: calls, signal: ctx.signal, onStage: enter },
          ).finally(() => stage && clock.end(stage));
        }),
      );

      const created = await clock.run("build tests", async () => {
        // Agents first (handoffs need their ids), then the handoffs, then the suite.
        const made: { role: string; id: string; slug: string; version: number; outcome: DraftOutcome }[] = [];
        for (const outcome of outcomes) {
          const role = agentRoles.find((r) => r.name === outcome.role)!;
          const config = AgentConfigSchema.parse({
            name: role.name,
            instructions: composeInstructions(
              outcome.draft,
              procedures.filter((x) => same(x.role, role.name)),
              parse,
              profile,
            ),
            ...(outcome.draft.greeting && role.entry
              ? { greeting: outcome.draft.greeting.slice(0, 1000) }
              : {}),
            ...(!role.entry && outcome.draft.greeting
              ? { onEnter: outcome.draft.greeting.slice(0, 1000) }
              : {}),
            language: p.language,
            model: p.model,
            knowledgeBaseIds: [p.knowledgeBaseId],
            humanHandoff: {
              enabled: true,
              keywords: outcome.draft.humanHandoffKeywords.filter((k) => k.trim()).slice(0, 50),
              maxHumanRequests: 2,
              maxToolFailures: 3,
            },
          });
          const { agent } = await createAgent(scope, config, {
            publish: false,
            note: "Drafted by the agent builder",
          });
          made.push({ role: role.name, id: agent.id, slug: agent.slug, version: 1, outcome });
        }
        const byRole = (name: string) => made.find((m) => same(m.role, name));
        for (const m of made) {
          const targets = m.role === entry.name ? made.filter((o) => o !== m) : [byRole(entry.name)!];
          const handoffs = targets.map((t) => {
            const when = m.outcome.draft.handoffs.find((h) => same(h.to, t.role))?.when;
            const role = agentRoles.find((r) => r.name === t.role)!;
            return {
              agentId: t.id,
              context: "full" as const,
              description: (when || `${t.role}: ${role.description}`).slice(0, 500),
            };
          });
          if (handoffs.length === 0) continue;
          const { agent } = await updateAgent(
            scope,
            m.id,
            { handoffs },
            { publish: false, note: "Handoffs wired by the agent builder" },
          );
          m.version = agent.latestVersion;
        }
        await scope.db
          .insert(businessProfiles)
          .values(made.map((m) => ({ orgId: scope.orgId, agentId: m.id, reportId: p.reportId, profile })));
        if (procedures.length) {
          await scope.db.insert(sopProcedures).values(
            procedures.map((x) => ({
              orgId: scope.orgId,
              reportId: p.reportId,
              agentId: byRole(x.role)?.id ?? null,
              intent: x.intent,
              procedure: x,
            })),
          );
        }
        const tests = buildStarterTests(
          procedures,
          parse,
          entry.name,
          new Map(made.map((m) => [m.role, m.slug])),
          true,
        );
        if (tests.length) {
          await scope.db.insert(agentTestCases).values(
            tests.map((t) => ({
              orgId: scope.orgId,
              agentId: byRole(entry.name)!.id,
              name: t.name,
              turns: t.turns,
              expectations: t.expectations,
              origin: "builder",
            })),
          );
        }
        return { made, tests: tests.length };
      });

      // SOP items no agent took on: intents naming an unknown role (left to the entry agent) and
      // what the last review cycle still found missing.
      const uncovered = [
        ...parse.intents
          .filter((i) => i.role.trim() && !parse.roles.some((r) => same(r.name, i.role)))
          .map((i) => ({
            item: i.name,
            reason: `The SOP names no role "${i.role}"; ${entry.name} handles it.`,
          })),
        ...outcomes.flatMap((o) => {
          const last = o.cycles.at(-1);
          if (!last) return [];
          return last.findings
            .filter((f) => f.kind === "coverage" || f.kind === "missing-escalation")
            .map((f) => ({
              item: f.intent ?? f.detail,
              reason: `${o.role}, unresolved after review: ${f.detail}`,
            }));
        }),
      ];
      const agentIds = created.made.map((m) => m.id);
      Object.assign(report, {
        agents: created.made.map((m) => ({
          agentId: m.id,
          role: m.role,
          slug: m.slug,
          version: m.version,
          entry: m.role === entry.name,
          builtInTools: m.outcome.draft.builtInTools,
          suggestedTools: m.outcome.draft.suggestedTools,
          reviewCycles: m.outcome.cycles,
        })),
        roles: parse.roles,
        procedures: procedures.length,
        tests: created.tests,
        uncovered,
        profileFacts: countFacts(profile),
      });
      await saveReport({ status: "succeeded", agentIds, finishedAt: new Date() });
      return { agentIds, reportId: p.reportId };
    } catch (error) {
      report.error = error instanceof Error ? error.message : String(error);
      await saveReport({ status: "failed", finishedAt: new Date() }).catch(() => {});
      throw error;
    }
  };
}

function countFacts(profile: BusinessProfile): number {
  return Object.values(profile).reduce((n, v) => n + (Array.isArray(v) ? v.length : v ? 1 : 0), 0);
}
