import { NotFoundError, OratioError, ValidationError } from "@oratio/core";
import {
  businessProfiles,
  documents,
  generationReports,
  knowledgeBases,
  knowledgeSources,
  type OrgScope,
  sopProcedures,
} from "@oratio/db";
import { contentHash } from "@oratio/knowledge";
import { assertSafeUrl } from "@oratio/net";
import { asc, eq } from "drizzle-orm";
import { resolveBuildModel } from "../../builder/build-model.ts";
import { GENERATE_AGENTS_JOB, type GeneratePayload } from "../../builder/generate-job.ts";
import { withProfileBlock } from "../../builder/profile.ts";
import type { BusinessProfile, Procedure } from "../../builder/schemas.ts";
import type { AppDeps } from "../../context.ts";
import { type AcceptedUpload, checkUploads } from "../../knowledge/check-uploads.ts";
import { type Handler, iso } from "../../lib/openapi.ts";
import { actorUserId, orgOf } from "../../middleware/authorize.ts";
import { findAgent, loadVersion, updateAgent } from "../agents/agents.service.ts";
import type * as routes from "./builder.routes.ts";

/** Agent languages mapped to the text-search configuration of their knowledge base. */
const SEARCH_LANGUAGE: Record<string, string> = {
  en: "english",
  de: "german",
  fr: "french",
  es: "spanish",
  it: "italian",
  nl: "dutch",
  pt: "portuguese",
  sv: "swedish",
  da: "danish",
  no: "norwegian",
  fi: "finnish",
  ru: "russian",
};

type Accepted = AcceptedUpload;

function checkFiles(deps: AppDeps, files: File[]) {
  return checkUploads(files, deps.config.upload.maxBytes);
}

async function readSop(deps: AppDeps, sop: string | File): Promise<Accepted> {
  if (typeof sop === "string") {
    return {
      name: "SOP.md",
      extracted: { type: "markdown", title: "Standard operating procedure", markdown: sop, headings: [] },
      bytes: Buffer.byteLength(sop),
    };
  }
  const { accepted, rejected } = await checkFiles(deps, [sop]);
  if (!accepted[0]) {
    const r = rejected[0]!;
    throw new OratioError(r.status, "sop-rejected", "The SOP file could not be read", {
      detail: `sop: ${r.error}`,
    });
  }
  if (!accepted[0].extracted.markdown.trim()) throw new ValidationError("The SOP file holds no text.");
  return accepted[0];
}

export const generateAgents: Handler<typeof routes.generateAgents> = async (c) => {
  const deps = c.get("deps");
  const org = orgOf(c);
  const form = c.req.valid("form");
  const raw = form.files === undefined ? [] : Array.isArray(form.files) ? form.files : [form.files];
  if (raw.length > deps.config.upload.maxFiles) {
    throw new ValidationError(`At most ${deps.config.upload.maxFiles} files per generation.`);
  }
  // Everything that can be refused is checked before anything is stored.
  if (form.websiteUrl) await assertSafeUrl(form.websiteUrl, { allowList: deps.config.fetchAllow });
  const model = await resolveBuildModel(org.scope, deps.config.modelsDir, {
    providerId: form.providerId,
    model: form.model,
  });
  const sop = await readSop(deps, form.sop);
  const { accepted, rejected } = await checkFiles(deps, raw);
  if (raw.length > 0 && accepted.length === 0 && !form.websiteUrl) {
    const statuses = new Set(rejected.map((r) => r.status));
    throw new OratioError(
      statuses.size === 1 ? rejected[0]!.status : 422,
      "upload-rejected",
      "No file could be accepted",
      {
        detail: rejected.map((r) => `${r.name}: ${r.error}`).join(" "),
        extensions: { rejected },
      },
    );
  }

  const language = form.language;
  const { kbId, documentIds, sourceId, reportId } = await org.scope.db.transaction(async (tx) => {
    const [kb] = await tx
      .insert(knowledgeBases)
      .values({
        orgId: org.orgId,
        name: `${form.name} knowledge`,
        description: "Created by the agent builder",
        language: SEARCH_LANGUAGE[language.slice(0, 2).toLowerCase()] ?? "simple",
      })
      .returning({ id: knowledgeBases.id });
    const docs = await tx
      .insert(documents)
      .values(
        [sop, ...accepted].map((f) => ({
          orgId: org.orgId,
          knowledgeBaseId: kb!.id,
          name: f.name,
          type: f.extracted.type,
          title: f.extracted.title,
          status: "queued" as const,
          bytes: f.bytes,
          content: f.extracted.markdown,
          pages: f.extracted.pages ?? null,
          pageCount: f.extracted.pages?.length ?? null,
          contentHash: contentHash(f.extracted.markdown),
        })),
      )
      .returning({ id: documents.id });
    const [source] = form.websiteUrl
      ? await tx
          .insert(knowledgeSources)
          .values({
            orgId: org.orgId,
            knowledgeBaseId: kb!.id,
            type: "website",
            url: form.websiteUrl,
            options: { maxPages: 100, maxDepth: 3 },
          })
          .returning({ id: knowledgeSources.id })
      : [];
    const [report] = await tx
      .insert(generationReports)
      .values({ orgId: org.orgId, name: form.name, knowledgeBaseId: kb!.id })
      .returning({ id: generationReports.id });
    return {
      kbId: kb!.id,
      documentIds: docs.map((d) => d.id),
      sourceId: source?.id ?? null,
      reportId: report!.id,
    };
  });

  const payload: GeneratePayload = {
    reportId,
    name: form.name,
    language,
    knowledgeBaseId: kbId,
    documentIds,
    sourceId,
    sop: sop.extracted.markdown,
    model,
  };
  // One attempt: a retried generation would create a second set of agents.
  const job = await deps.jobs.enqueue(org.scope, GENERATE_AGENTS_JOB, payload, {
    maxAttempts: 1,
    progress: { stages: [], current: [] },
  });
  await org.scope.db
    .update(generationReports)
    .set({ jobId: job.id })
    .where(org.scope.where(generationReports, eq(generationReports.id, reportId)));
  if (sourceId) {
    await org.scope.db
      .update(knowledgeSources)
      .set({ lastJobId: job.id })
      .where(org.scope.where(knowledgeSources, eq(knowledgeSources.id, sourceId)));
  }
  return c.json({ jobId: job.id, reportId, knowledgeBaseId: kbId, model, rejected }, 202);
};

export const getGenerationReport: Handler<typeof routes.getGenerationReport> = async (c) => {
  const { scope } = orgOf(c);
  const [row] = await scope.db
    .select()
    .from(generationReports)
    .where(scope.where(generationReports, eq(generationReports.id, c.req.valid("param").id)));
  if (!row) throw new NotFoundError("Generation report");
  return c.json(
    {
      id: row.id,
      jobId: row.jobId,
      name: row.name,
      status: row.status,
      agentIds: row.agentIds as string[],
      knowledgeBaseId: row.knowledgeBaseId,
      report: row.report as Record<string, unknown>,
      createdAt: row.createdAt.toISOString(),
      finishedAt: iso(row.finishedAt),
    },
    200,
  );
};

async function findProfile(scope: OrgScope, agentId: string) {
  const agent = await findAgent(scope, agentId);
  const [row] = await scope.db
    .select()
    .from(businessProfiles)
    .where(scope.where(businessProfiles, eq(businessProfiles.agentId, agent.id)));
  if (!row) throw new NotFoundError("Business profile");
  return { agent, row };
}

export const getProfile: Handler<typeof routes.getProfile> = async (c) => {
  const { scope } = orgOf(c);
  const { agent, row } = await findProfile(scope, c.req.valid("param").id);
  return c.json(
    {
      agentId: agent.id,
      profile: row.profile as BusinessProfile,
      version: agent.latestVersion,
      updatedAt: row.updatedAt.toISOString(),
    },
    200,
  );
};

export const putProfile: Handler<typeof routes.putProfile> = async (c) => {
  const { scope } = orgOf(c);
  const id = c.req.valid("param").id;
  const profile = c.req.valid("json");
  const agent = await findAgent(scope, id);
  const latest = await loadVersion(scope, id, agent.latestVersion);
  // The agent reads the profile from its instructions, so a new profile is a new (draft) version.
  const updated = await updateAgent(
    scope,
    id,
    { instructions: withProfileBlock(latest.config.instructions, profile) },
    { publish: false, userId: actorUserId(c), note: "Business profile edited" },
  );
  const now = new Date();
  const [row] = await scope.db
    .insert(businessProfiles)
    .values({ orgId: scope.orgId, agentId: id, profile })
    .onConflictDoUpdate({ target: businessProfiles.agentId, set: { profile, updatedAt: now } })
    .returning();
  return c.json(
    { agentId: id, profile, version: updated.agent.latestVersion, updatedAt: row!.updatedAt.toISOString() },
    200,
  );
};

export const listProcedures: Handler<typeof routes.listProcedures> = async (c) => {
  const { scope } = orgOf(c);
  const agent = await findAgent(scope, c.req.valid("param").id);
  const rows = await scope.db
    .select()
    .from(sopProcedures)
    .where(scope.where(sopProcedures, eq(sopProcedures.agentId, agent.id)))
    .orderBy(asc(sopProcedures.createdAt));
  return c.json({ data: rows.map((r) => r.procedure as Procedure) }, 200);
};
