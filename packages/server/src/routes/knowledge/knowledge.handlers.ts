import { NotFoundError, ValidationError } from "@oratio/core";
import { chunks, documents, knowledgeBases, knowledgeSources, type OrgScope } from "@oratio/db";
import { contentHash } from "@oratio/knowledge";
import { assertSafeUrl } from "@oratio/net";
import { and, desc, eq, sql } from "drizzle-orm";
import type { JobQueue } from "../../jobs/types.ts";
import { allRejected, checkUploads } from "../../knowledge/check-uploads.ts";
import { dropEmbeddings, startEmbedding } from "../../knowledge/embed-chunks.ts";
import { forgetEmbeddedBases } from "../../knowledge/embedded-bases.ts";
import {
  embeddingChoiceOf,
  embeddingModelsFor,
  validateEmbeddingChoice,
} from "../../knowledge/embedding-models.ts";
import { hybridSearch } from "../../knowledge/hybrid-search.ts";
import { INGEST_DOCUMENTS_JOB, SYNC_SOURCE_JOB } from "../../knowledge/ingest-jobs.ts";
import { type Handler, iso } from "../../lib/openapi.ts";
import { orgOf } from "../../middleware/authorize.ts";
import type * as routes from "./knowledge.routes.ts";

type KnowledgeBaseRow = typeof knowledgeBases.$inferSelect;

async function findKnowledgeBase(scope: OrgScope, id: string) {
  const [kb] = await scope.db
    .select({
      kb: knowledgeBases,
      language: sql<string>`${knowledgeBases.language}::text`,
    })
    .from(knowledgeBases)
    .where(scope.where(knowledgeBases, eq(knowledgeBases.id, id)));
  if (!kb) throw new NotFoundError("Knowledge base");
  return { ...kb.kb, language: kb.language };
}

async function withCounts(scope: OrgScope, rows: KnowledgeBaseRow[]) {
  const counts = await scope.db
    .select({
      id: documents.knowledgeBaseId,
      documents: sql<number>`count(*)::int`,
      chunks: sql<number>`coalesce(sum(${documents.chunkCount}), 0)::int`,
    })
    .from(documents)
    .where(scope.where(documents))
    .groupBy(documents.knowledgeBaseId);
  const byId = new Map(counts.map((c) => [c.id, c]));
  return rows.map((kb) => ({
    id: kb.id,
    name: kb.name,
    description: kb.description,
    language: String(kb.language),
    embedding: embeddingChoiceOf(kb) ? { ...embeddingChoiceOf(kb)!, jobId: kb.embeddingJobId } : null,
    documentCount: byId.get(kb.id)?.documents ?? 0,
    chunkCount: byId.get(kb.id)?.chunks ?? 0,
    createdAt: kb.createdAt.toISOString(),
    updatedAt: kb.updatedAt.toISOString(),
  }));
}

function documentDto(d: typeof documents.$inferSelect) {
  return {
    id: d.id,
    name: d.name,
    type: d.type,
    status: d.status,
    error: d.error,
    embeddingError: d.embeddingError,
    title: d.title,
    url: d.url,
    sourceId: d.sourceId,
    pages: d.pageCount,
    chunks: d.chunkCount,
    bytes: d.bytes,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

function sourceDto(s: typeof knowledgeSources.$inferSelect) {
  return {
    id: s.id,
    type: s.type,
    url: s.url,
    options: s.options as Record<string, unknown>,
    lastJobId: s.lastJobId,
    lastSyncedAt: iso(s.lastSyncedAt),
    createdAt: s.createdAt.toISOString(),
  };
}

export const createKnowledgeBase: Handler<typeof routes.createKnowledgeBase> = async (c) => {
  const org = orgOf(c);
  const body = c.req.valid("json");
  if (body.embedding) {
    await validateEmbeddingChoice(org.scope, c.get("deps").config.modelsDir, body.embedding);
  }
  // A new base has no chunks yet: they are embedded as they are indexed.
  const [row] = await org.scope.db
    .insert(knowledgeBases)
    .values({
      orgId: org.orgId,
      name: body.name,
      description: body.description ?? null,
      language: body.language,
      embeddingProviderId: body.embedding?.providerId ?? null,
      embeddingModel: body.embedding?.model ?? null,
    })
    .returning();
  if (body.embedding) forgetEmbeddedBases(org.scope);
  return c.json((await withCounts(org.scope, [row!]))[0]!, 201);
};

export const listKnowledgeBases: Handler<typeof routes.listKnowledgeBases> = async (c) => {
  const { scope } = orgOf(c);
  const rows = await scope.db
    .select()
    .from(knowledgeBases)
    .where(scope.where(knowledgeBases))
    .orderBy(knowledgeBases.createdAt);
  return c.json({ data: await withCounts(scope, rows) }, 200);
};

export const getKnowledgeBase: Handler<typeof routes.getKnowledgeBase> = async (c) => {
  const { scope } = orgOf(c);
  const kb = await findKnowledgeBase(scope, c.req.valid("param").id);
  return c.json((await withCounts(scope, [kb]))[0]!, 200);
};

export const updateKnowledgeBase: Handler<typeof routes.updateKnowledgeBase> = async (c) => {
  const { scope } = orgOf(c);
  const deps = c.get("deps");
  const { id } = c.req.valid("param");
  await findKnowledgeBase(scope, id);
  const { embedding, ...body } = c.req.valid("json");
  if (embedding) await validateEmbeddingChoice(scope, deps.config.modelsDir, embedding);
  const [updated] = await scope.db
    .update(knowledgeBases)
    .set({
      ...body,
      ...(embedding !== undefined
        ? { embeddingProviderId: embedding?.providerId ?? null, embeddingModel: embedding?.model ?? null }
        : {}),
      ...(embedding === null ? { embeddingJobId: null } : {}),
      updatedAt: new Date(),
    })
    .where(scope.where(knowledgeBases, eq(knowledgeBases.id, id)))
    .returning();
  let row = updated!;
  if (embedding !== undefined) forgetEmbeddedBases(scope);
  if (embedding === null) await dropEmbeddings(scope, id);
  // Set again to the same model, the job only fills in chunks that still lack vectors.
  if (embedding) row = { ...row, embeddingJobId: (await startEmbedding(deps.jobs, scope, id, embedding)).id };
  return c.json((await withCounts(scope, [row]))[0]!, 200);
};

export const deleteKnowledgeBase: Handler<typeof routes.deleteKnowledgeBase> = async (c) => {
  const { scope } = orgOf(c);
  const { id } = c.req.valid("param");
  await findKnowledgeBase(scope, id);
  await scope.db.transaction(async (tx) => {
    await tx.delete(chunks).where(and(eq(chunks.orgId, scope.orgId), eq(chunks.knowledgeBaseId, id)));
    await tx.delete(knowledgeBases).where(scope.where(knowledgeBases, eq(knowledgeBases.id, id)));
  });
  return c.body(null, 204);
};

export const uploadDocuments: Handler<typeof routes.uploadDocuments> = async (c) => {
  const deps = c.get("deps");
  const org = orgOf(c);
  const { id } = c.req.valid("param");
  await findKnowledgeBase(org.scope, id);
  const raw = c.req.valid("form").files;
  const files = Array.isArray(raw) ? raw : [raw];
  if (files.length > deps.config.upload.maxFiles) {
    throw new ValidationError(`At most ${deps.config.upload.maxFiles} files per upload.`);
  }

  const checked = await checkUploads(files, deps.config.upload.maxBytes);
  if (checked.accepted.length === 0) throw allRejected(checked.rejected);
  const rows = await org.scope.db
    .insert(documents)
    .values(
      checked.accepted.map(({ name, extracted, bytes }) => ({
        orgId: org.orgId,
        knowledgeBaseId: id,
        name,
        type: extracted.type,
        title: extracted.title,
        status: "queued" as const,
        bytes,
        content: extracted.markdown,
        pages: extracted.pages ?? null,
        pageCount: extracted.pages?.length ?? null,
        contentHash: contentHash(extracted.markdown),
      })),
    )
    .returning({ id: documents.id, name: documents.name });
  const accepted = rows.map((r) => ({ id: r.id, name: r.name, status: "queued" }));
  const rejected = checked.rejected;
  const job = await deps.jobs.enqueue(
    org.scope,
    INGEST_DOCUMENTS_JOB,
    { knowledgeBaseId: id, documentIds: accepted.map((d) => d.id) },
    { progress: { total: accepted.length, parsed: 0, indexed: 0, failed: 0 } },
  );
  return c.json({ jobId: job.id, documents: accepted, rejected }, 202);
};

export const listDocuments: Handler<typeof routes.listDocuments> = async (c) => {
  const { scope } = orgOf(c);
  const { id } = c.req.valid("param");
  await findKnowledgeBase(scope, id);
  const rows = await scope.db
    .select()
    .from(documents)
    .where(scope.where(documents, eq(documents.knowledgeBaseId, id)))
    .orderBy(desc(documents.createdAt));
  return c.json({ data: rows.map(documentDto) }, 200);
};

export const deleteDocument: Handler<typeof routes.deleteDocument> = async (c) => {
  const { scope } = orgOf(c);
  const { id, docId } = c.req.valid("param");
  const removed = await scope.db
    .delete(documents)
    .where(scope.where(documents, eq(documents.id, docId), eq(documents.knowledgeBaseId, id)))
    .returning({ id: documents.id });
  if (removed.length === 0) throw new NotFoundError("Document");
  return c.body(null, 204);
};

async function startSync(jobs: JobQueue, scope: OrgScope, kbId: string, sourceId: string) {
  const job = await jobs.enqueue(
    scope,
    SYNC_SOURCE_JOB,
    { knowledgeBaseId: kbId, sourceId },
    {
      progress: { discovered: 0, fetched: 0, parsed: 0, indexed: 0 },
    },
  );
  await scope.db
    .update(knowledgeSources)
    .set({ lastJobId: job.id })
    .where(scope.where(knowledgeSources, eq(knowledgeSources.id, sourceId)));
  return job.id;
}

export const addSource: Handler<typeof routes.addSource> = async (c) => {
  const org = orgOf(c);
  const { id } = c.req.valid("param");
  await findKnowledgeBase(org.scope, id);
  const body = c.req.valid("json");
  // Refuse private and local destinations now, with a clear error, not later in the job.
  await assertSafeUrl(body.url, { allowList: c.get("deps").config.fetchAllow });
  const { type, url, ...options } = body;
  const [source] = await org.scope.db
    .insert(knowledgeSources)
    .values({ orgId: org.orgId, knowledgeBaseId: id, type, url, options })
    .returning();
  const jobId = await startSync(c.get("deps").jobs, org.scope, id, source!.id);
  return c.json({ jobId, sourceId: source!.id }, 202);
};

export const listSources: Handler<typeof routes.listSources> = async (c) => {
  const { scope } = orgOf(c);
  const { id } = c.req.valid("param");
  await findKnowledgeBase(scope, id);
  const rows = await scope.db
    .select()
    .from(knowledgeSources)
    .where(scope.where(knowledgeSources, eq(knowledgeSources.knowledgeBaseId, id)))
    .orderBy(knowledgeSources.createdAt);
  return c.json({ data: rows.map(sourceDto) }, 200);
};

async function findSource(scope: OrgScope, kbId: string, sourceId: string) {
  const [source] = await scope.db
    .select()
    .from(knowledgeSources)
    .where(
      scope.where(
        knowledgeSources,
        eq(knowledgeSources.id, sourceId),
        eq(knowledgeSources.knowledgeBaseId, kbId),
      ),
    );
  if (!source) throw new NotFoundError("Source");
  return source;
}

export const syncSource: Handler<typeof routes.syncSource> = async (c) => {
  const { scope } = orgOf(c);
  const { id, sourceId } = c.req.valid("param");
  await findSource(scope, id, sourceId);
  const jobId = await startSync(c.get("deps").jobs, scope, id, sourceId);
  return c.json({ jobId, sourceId }, 202);
};

export const deleteSource: Handler<typeof routes.deleteSource> = async (c) => {
  const { scope } = orgOf(c);
  const { id, sourceId } = c.req.valid("param");
  await findSource(scope, id, sourceId);
  await scope.db
    .delete(knowledgeSources)
    .where(scope.where(knowledgeSources, eq(knowledgeSources.id, sourceId)));
  return c.body(null, 204);
};

export const searchKnowledgeBase: Handler<typeof routes.searchKnowledgeBase> = async (c) => {
  const { scope } = orgOf(c);
  const deps = c.get("deps");
  const { id } = c.req.valid("param");
  await findKnowledgeBase(scope, id);
  const { query, topK } = c.req.valid("json");
  const results = await hybridSearch(embeddingModelsFor(deps), scope, [id], query, topK, {
    logger: deps.logger,
    signal: c.req.raw.signal,
  });
  return c.json({ results }, 200);
};
