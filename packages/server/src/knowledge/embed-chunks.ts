import { isOratioError } from "@oratio/core";
import { type EmbeddingModel, embedAll } from "@oratio/core/embeddings";
import { chunks, documents, knowledgeBases, OrgScope } from "@oratio/db";
import { asc, count, eq, gt, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import type { AppDeps } from "../context.ts";
import type { JobContext, JobQueue } from "../jobs/types.ts";
import {
  type EmbeddingChoice,
  embeddingChoiceOf,
  embeddingModelsFor,
  embeddingRef,
} from "./embedding-models.ts";
import { storeEmbeddings } from "./vector-search.ts";

export const EMBED_CHUNKS_JOB = "knowledge.embed";

/** Chunks read and embedded per round; the model may split a round into smaller requests. */
const ROUND = 64;

function describe(error: unknown): string {
  if (isOratioError(error)) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

/** A passage is embedded with its title and headings, which say what it is about. */
export function embeddingText(chunk: { title: string; headingText: string; text: string }): string {
  const context = [chunk.title, chunk.headingText].filter(Boolean).join(" › ");
  return context ? `${context}\n\n${chunk.text}` : chunk.text;
}

/** A chunk still needs a vector from `ref`: it has none, or one from another model. */
function pending(ref: string) {
  return or(isNull(chunks.embeddingModel), ne(chunks.embeddingModel, ref));
}

/**
 * Embeds the chunks of a knowledge base (or of one of its documents) that have no vector
 * from this model yet, in rounds, keyed by chunk id so the work is linear and a job resumed
 * after a restart starts where it stopped. Returns how many chunks it embedded.
 */
export async function embedPendingChunks(
  scope: OrgScope,
  model: EmbeddingModel,
  ref: string,
  target: { knowledgeBaseId: string; documentId?: string },
  options: { signal?: AbortSignal; onRound?: (embedded: number) => void } = {},
): Promise<number> {
  let after: string | undefined;
  let embedded = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const rows = await scope.db
      .select({ id: chunks.id, title: chunks.title, headingText: chunks.headingText, text: chunks.text })
      .from(chunks)
      .where(
        scope.where(
          chunks,
          eq(chunks.knowledgeBaseId, target.knowledgeBaseId),
          target.documentId ? eq(chunks.documentId, target.documentId) : undefined,
          pending(ref),
          after ? gt(chunks.id, after) : undefined,
        ),
      )
      .orderBy(asc(chunks.id))
      .limit(ROUND);
    if (rows.length === 0) return embedded;
    const vectors = await embedAll(model, rows.map(embeddingText), {
      purpose: "document",
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await storeEmbeddings(
      scope,
      ref,
      rows.map((r, i) => ({ chunkId: r.id, vector: vectors[i]! })),
    );
    embedded += rows.length;
    after = rows.at(-1)!.id;
    options.onRound?.(embedded);
  }
}

/** The knowledge base's embedding choice, or null (also when the base is gone). */
export async function embeddingChoiceFor(
  scope: OrgScope,
  knowledgeBaseId: string,
): Promise<EmbeddingChoice | null> {
  const [kb] = await scope.db
    .select({
      embeddingProviderId: knowledgeBases.embeddingProviderId,
      embeddingModel: knowledgeBases.embeddingModel,
    })
    .from(knowledgeBases)
    .where(scope.where(knowledgeBases, eq(knowledgeBases.id, knowledgeBaseId)));
  return kb ? embeddingChoiceOf(kb) : null;
}

/**
 * Embeds one freshly indexed document when its base names a model. A failure is recorded
 * on the document and returned, never thrown: the full-text index is already committed and
 * the document stays searchable.
 */
export async function embedIndexedDocument(
  deps: Pick<AppDeps, "config" | "keyring">,
  scope: OrgScope,
  doc: { id: string; knowledgeBaseId: string },
  choice: EmbeddingChoice | null,
  signal?: AbortSignal,
): Promise<{ error: unknown } | undefined> {
  if (!choice) return undefined;
  let error: unknown;
  try {
    const model = await embeddingModelsFor(deps).resolve(scope, choice);
    await embedPendingChunks(
      scope,
      model,
      embeddingRef(choice),
      { knowledgeBaseId: doc.knowledgeBaseId, documentId: doc.id },
      signal ? { signal } : {},
    );
  } catch (caught) {
    signal?.throwIfAborted();
    error = caught;
  }
  await scope.db
    .update(documents)
    .set({ embeddingError: error === undefined ? null : describe(error) })
    .where(scope.where(documents, eq(documents.id, doc.id)));
  return error === undefined ? undefined : { error };
}

/** Starts (re-)embedding a base's chunks in the background and remembers the job on the base. */
export async function startEmbedding(
  jobs: JobQueue,
  scope: OrgScope,
  knowledgeBaseId: string,
  choice: EmbeddingChoice,
) {
  const job = await jobs.enqueue(
    scope,
    EMBED_CHUNKS_JOB,
    { knowledgeBaseId, ...choice },
    { progress: { total: 0, embedded: 0 } },
  );
  await scope.db
    .update(knowledgeBases)
    .set({ embeddingJobId: job.id })
    .where(scope.where(knowledgeBases, eq(knowledgeBases.id, knowledgeBaseId)));
  return job;
}

/**
 * Embeds every chunk of a base that lacks a vector from its current model. A job whose
 * model was replaced before it ran steps aside for the newer one. On failure the reason is
 * written on each document left without vectors (and on the job); their full-text index is
 * untouched. Transient provider errors are retried by the queue with backoff, resuming.
 */
export function embedChunksHandler(deps: AppDeps) {
  return async (ctx: JobContext<{ knowledgeBaseId: string } & EmbeddingChoice>) => {
    const scope = new OrgScope(deps.db, ctx.orgId);
    const { knowledgeBaseId } = ctx.payload;
    const choice = await embeddingChoiceFor(scope, knowledgeBaseId);
    const ref = embeddingRef(ctx.payload);
    if (!choice || embeddingRef(choice) !== ref)
      return { skipped: "The knowledge base's embedding model changed." };

    const inBase = scope.where(chunks, eq(chunks.knowledgeBaseId, knowledgeBaseId));
    const [totals] = await scope.db
      .select({
        total: count(),
        done: sql<number>`count(*) filter (where ${chunks.embeddingModel} = ${ref})::int`,
      })
      .from(chunks)
      .where(inBase);
    const total = Number(totals?.total ?? 0);
    const done = Number(totals?.done ?? 0);
    ctx.progress({ total, embedded: done, model: choice.model });
    let embedded = 0;
    try {
      const model = await embeddingModelsFor(deps).resolve(scope, choice);
      embedded = await embedPendingChunks(
        scope,
        model,
        ref,
        { knowledgeBaseId },
        {
          signal: ctx.signal,
          onRound: (n) => ctx.progress({ embedded: Math.min(total, done + n) }),
        },
      );
    } catch (error) {
      ctx.signal.throwIfAborted();
      await scope.db
        .update(documents)
        .set({ embeddingError: describe(error) })
        .where(
          scope.where(
            documents,
            eq(documents.knowledgeBaseId, knowledgeBaseId),
            sql`exists (select 1 from ${chunks} where ${chunks.documentId} = ${documents.id} and ${pending(ref)})`,
          ),
        );
      throw error;
    }
    await scope.db
      .update(documents)
      .set({ embeddingError: null })
      .where(
        scope.where(
          documents,
          eq(documents.knowledgeBaseId, knowledgeBaseId),
          isNotNull(documents.embeddingError),
        ),
      );
    ctx.progress({ embedded: done + embedded });
    return { total, embedded: done + embedded };
  };
}

/** Forgets a base's vectors when it stops using embeddings (search then uses full text only). */
export async function dropEmbeddings(scope: OrgScope, knowledgeBaseId: string): Promise<void> {
  await scope.db
    .update(chunks)
    .set({ embedding: null, embeddingModel: null })
    .where(
      scope.where(chunks, eq(chunks.knowledgeBaseId, knowledgeBaseId), isNotNull(chunks.embeddingModel)),
    );
  await scope.db
    .update(documents)
    .set({ embeddingError: null })
    .where(scope.where(documents, eq(documents.knowledgeBaseId, knowledgeBaseId)));
}
