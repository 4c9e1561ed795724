import { isOratioError } from "@oratio/core";
import { documents, knowledgeBases, knowledgeSources, OrgScope } from "@oratio/db";
import { crawlSite, type ExtractedDocument, fetchPage, type WebDocument } from "@oratio/knowledge";
import { eq, inArray, isNotNull, notInArray, sql } from "drizzle-orm";
import type { AppDeps } from "../context.ts";
import type { JobContext } from "../jobs/types.ts";
import {
  EMBED_CHUNKS_JOB,
  embedChunksHandler,
  embeddingChoiceFor,
  embedIndexedDocument,
  startEmbedding,
} from "./embed-chunks.ts";
import type { EmbeddingChoice } from "./embedding-models.ts";
import { indexDocument } from "./index-writer.ts";

export const INGEST_DOCUMENTS_JOB = "knowledge.documents";
export const SYNC_SOURCE_JOB = "knowledge.sync";

const MAX_ERRORS_KEPT = 50;

interface ItemError {
  item: string;
  error: string;
}

function describe(error: unknown): string {
  if (isOratioError(error)) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

async function languageOf(scope: OrgScope, knowledgeBaseId: string): Promise<string> {
  const [kb] = await scope.db
    .select({ language: sql<string>`${knowledgeBases.language}::text` })
    .from(knowledgeBases)
    .where(scope.where(knowledgeBases, eq(knowledgeBases.id, knowledgeBaseId)));
  if (!kb) throw new Error("The knowledge base was deleted.");
  return kb.language;
}

/**
 * After a document is indexed, embeds it when its base names a model. Embedding failures
 * are kept per document and in the job's errors, never failing the document; if any was
 * transient, a `knowledge.embed` job (retried with backoff) fills the gaps later.
 */
function documentEmbedder(
  deps: AppDeps,
  scope: OrgScope,
  choice: EmbeddingChoice | null,
  errors: ItemError[],
) {
  let transient = false;
  return {
    async embed(doc: { id: string; knowledgeBaseId: string; name: string }, signal: AbortSignal) {
      const failure = await embedIndexedDocument(deps, scope, doc, choice, signal);
      if (!failure) return;
      errors.push({
        item: doc.name,
        error: `Not embedded (still searchable by text): ${describe(failure.error)}`,
      });
      transient ||= isOratioError(failure.error) ? failure.error.retryable : true;
    },
    async finish(knowledgeBaseId: string) {
      if (transient && choice) await startEmbedding(deps.jobs, scope, knowledgeBaseId, choice);
    },
  };
}

/**
 * Indexes uploaded documents whose text was extracted (and checked) when they were
 * uploaded. Documents already indexed are skipped, so a resumed job continues where it stopped.
 */
export function ingestDocumentsHandler(deps: AppDeps) {
  return async (ctx: JobContext<{ knowledgeBaseId: string; documentIds: string[] }>) => {
    const scope = new OrgScope(deps.db, ctx.orgId);
    const language = await languageOf(scope, ctx.payload.knowledgeBaseId);
    const docs = await scope.db
      .select()
      .from(documents)
      .where(scope.where(documents, inArray(documents.id, ctx.payload.documentIds)));
    const errors: ItemError[] = [];
    const embedder = documentEmbedder(
      deps,
      scope,
      await embeddingChoiceFor(scope, ctx.payload.knowledgeBaseId),
      errors,
    );
    let indexed = docs.filter((d) => d.status === "ready").length;
    let failed = 0;
    ctx.progress({ total: ctx.payload.documentIds.length, parsed: indexed, indexed, failed, errors });
    for (const doc of docs) {
      if (doc.status === "failed") continue;
      if (doc.status === "ready") {
        // Indexed by an earlier attempt that may have stopped before embedding it.
        await embedder.embed(doc, ctx.signal);
        continue;
      }
      ctx.signal.throwIfAborted();
      ctx.progress({ current: doc.name });
      const failedBefore = failed;
      try {
        const extracted: ExtractedDocument = {
          type: doc.type as ExtractedDocument["type"],
          title: doc.title ?? doc.name,
          markdown: doc.content ?? "",
          headings: [],
          ...(doc.pages ? { pages: doc.pages as ExtractedDocument["pages"] } : {}),
        };
        ctx.progress({ parsed: indexed + failed + 1 });
        await indexDocument(
          scope,
          { id: doc.id, knowledgeBaseId: doc.knowledgeBaseId, language },
          extracted,
          {
            url: doc.url ?? undefined,
            contentHash: doc.contentHash ?? "",
          },
        );
        indexed += 1;
      } catch (error) {
        failed += 1;
        errors.push({ item: doc.name, error: describe(error) });
        await scope.db
          .update(documents)
          .set({ status: "failed", error: describe(error), updatedAt: new Date() })
          .where(scope.where(documents, eq(documents.id, doc.id)));
      }
      ctx.progress({ indexed, failed, errors: errors.slice(-MAX_ERRORS_KEPT) });
      // Outside the try: the document is indexed whatever happens to its vectors.
      if (failed === failedBefore) await embedder.embed(doc, ctx.signal);
    }
    await embedder.finish(ctx.payload.knowledgeBaseId);
    ctx.progress({ current: null, errors: errors.slice(-MAX_ERRORS_KEPT) });
    return { indexed, failed };
  };
}

/**
 * Fetches a URL source or crawls a website source and brings the index in line with it:
 * new and changed pages are (re-)indexed, unchanged ones (same content hash) are left
 * alone, and after a complete crawl pages that vanished from the site are removed.
 * Re-running after a restart re-crawls but only re-indexes what changed.
 */
export function syncSourceHandler(deps: AppDeps) {
  return async (ctx: JobContext<{ knowledgeBaseId: string; sourceId: string }>) => {
    const scope = new OrgScope(deps.db, ctx.orgId);
    const [source] = await scope.db
      .select()
      .from(knowledgeSources)
      .where(scope.where(knowledgeSources, eq(knowledgeSources.id, ctx.payload.sourceId)));
    if (!source) return { skipped: "The source was deleted." };
    const language = await languageOf(scope, source.knowledgeBaseId);
    const options = source.options as { maxPages?: number; maxDepth?: number };
    const allowList = deps.config.fetchAllow;
    const progress = {
      discovered: 0,
      fetched: 0,
      parsed: 0,
      indexed: 0,
      unchanged: 0,
      removed: 0,
      failed: 0,
    };
    const errors: ItemError[] = [];
    const seen: string[] = [];
    const embedder = documentEmbedder(
      deps,
      scope,
      await embeddingChoiceFor(scope, source.knowledgeBaseId),
      errors,
    );

    const store = async (page: WebDocument) => {
      seen.push(page.url);
      const [existing] = await scope.db
        .select({ id: documents.id, contentHash: documents.contentHash, status: documents.status })
        .from(documents)
        .where(scope.where(documents, eq(documents.sourceId, source.id), eq(documents.url, page.url)));
      if (existing && existing.status === "ready" && existing.contentHash === page.contentHash) {
        progress.unchanged += 1;
        return;
      }
      const [doc] = existing
        ? [existing]
        : await scope.db
            .insert(documents)
            .values({
              orgId: scope.orgId,
              knowledgeBaseId: source.knowledgeBaseId,
              sourceId: source.id,
              name: page.title || page.url,
              type: page.document.type,
              url: page.url,
              status: "processing",
              bytes: page.bytes,
            })
            .returning({ id: documents.id });
      await indexDocument(
        scope,
        { id: doc!.id, knowledgeBaseId: source.knowledgeBaseId, language },
        page.document,
        {
          url: page.url,
          contentHash: page.contentHash,
          bytes: page.bytes,
        },
      );
      progress.indexed += 1;
      await embedder.embed(
        { id: doc!.id, knowledgeBaseId: source.knowledgeBaseId, name: page.title || page.url },
        ctx.signal,
      );
    };

    if (source.type === "url") {
      progress.discovered = 1;
      ctx.progress({ ...progress, current: source.url, errors });
      const page = await fetchPage(source.url, { signal: ctx.signal, allowList });
      progress.fetched = 1;
      progress.parsed = 1;
      await store(page);
    } else {
      let completed = false;
      for await (const event of crawlSite(source.url, {
        signal: ctx.signal,
        allowList,
        maxPages: options.maxPages,
        maxDepth: options.maxDepth,
      })) {
        progress.discovered = event.progress.discovered;
        progress.fetched = event.progress.fetched;
        progress.parsed = event.progress.parsed;
        if (event.type === "page") {
          try {
            await store(event.page);
          } catch (error) {
            progress.failed += 1;
            errors.push({ item: event.page.url, error: describe(error) });
          }
        } else if (event.type === "error") {
          progress.failed += 1;
          errors.push({ item: event.url, error: describe(event.error) });
        } else if (event.type === "done") {
          completed = event.stopReason === "completed";
        }
        ctx.progress({
          ...progress,
          current: event.progress.currentUrl ?? null,
          errors: errors.slice(-MAX_ERRORS_KEPT),
        });
      }
      // Only a crawl that saw the whole site may conclude that a page is gone.
      if (completed && seen.length > 0) {
        const removed = await scope.db
          .delete(documents)
          .where(
            scope.where(
              documents,
              eq(documents.sourceId, source.id),
              isNotNull(documents.url),
              notInArray(documents.url, seen),
            ),
          )
          .returning({ id: documents.id });
        progress.removed = removed.length;
      }
    }
    await embedder.finish(source.knowledgeBaseId);
    await scope.db
      .update(knowledgeSources)
      .set({ lastSyncedAt: new Date() })
      .where(scope.where(knowledgeSources, eq(knowledgeSources.id, source.id)));
    ctx.progress({ ...progress, current: null, errors: errors.slice(-MAX_ERRORS_KEPT) });
    return progress;
  };
}

export function registerKnowledgeJobs(deps: AppDeps): void {
  deps.jobs.register(INGEST_DOCUMENTS_JOB, ingestDocumentsHandler(deps));
  deps.jobs.register(SYNC_SOURCE_JOB, syncSourceHandler(deps));
  deps.jobs.register(EMBED_CHUNKS_JOB, embedChunksHandler(deps));
}
