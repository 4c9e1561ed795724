import { ProviderError } from "@oratio/core";
import { chunks, type Database, type OrgScope } from "@oratio/db";
import { eq, inArray, sql } from "drizzle-orm";
import { cachedVectorSearch } from "./vector-cache.ts";

/**
 * Vector ranking over chunk embeddings, scoped to an organization, some of its knowledge
 * bases and one embedding model.
 *
 * Vectors are stored unit-length in `chunks.embedding real[]` on every database, so the
 * schema and migrations are the same everywhere and cosine similarity is a dot product.
 * Ranking is always an exact scan (no approximate index: a base's chunks number in the
 * thousands, and exact results keep the ranking testable):
 * - `pgvector` (PGlite always; PostgreSQL where the extension is installed): cast to
 *   `vector` and order by inner product in the database;
 * - `memory` (the default without pgvector): the base's vectors are cached in process and
 *   checked against a fingerprint on every search (see vector-cache.ts);
 * - `sql`: a dot product over `unnest` in SQL, used for sets too large to cache.
 */
export type VectorMethod = "pgvector" | "memory" | "sql";

export interface VectorHit {
  chunkId: string;
  /** Cosine similarity to the query, -1…1. */
  similarity: number;
}

const methods = new WeakMap<Database, Promise<VectorMethod>>();

/** pgvector when the extension is installed in this database, else the in-process scan. */
export function vectorMethod(db: Database): Promise<VectorMethod> {
  let method = methods.get(db);
  if (!method) {
    method = (async () => {
      const result = (await db.execute(
        sql`select exists(select 1 from pg_extension where extname = 'vector') as installed`,
      )) as unknown as { rows: { installed: boolean }[] };
      return result.rows[0]?.installed ? "pgvector" : "memory";
    })();
    methods.set(db, method);
    method.catch(() => methods.delete(db));
  }
  return method;
}

/** Scales a vector to length 1 (an all-zero vector stays zero: it matches nothing). */
export function toUnit(vector: readonly number[]): number[] {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  return norm === 0 ? vector.map(() => 0) : vector.map((x) => x / norm);
}

/** Text form accepted by both `::real[]` (with braces) and `::vector` (with brackets). */
function literal(vector: readonly number[], open: string, close: string): string {
  return `${open}${vector.join(",")}${close}`;
}

/**
 * Stores vectors for chunks in one statement, tagged with the model that made them.
 * Chunks deleted meanwhile (a document re-indexed or removed) are simply not matched.
 */
export async function storeEmbeddings(
  scope: OrgScope,
  ref: string,
  rows: { chunkId: string; vector: readonly number[] }[],
): Promise<void> {
  if (rows.length === 0) return;
  // One NaN stored would make every pgvector cast of the base fail at search time.
  if (rows.some((r) => !r.vector.every(Number.isFinite))) {
    throw new ProviderError(ref, "The embedding model returned a vector with non-finite numbers.", {
      upstreamStatus: 200,
    });
  }
  const values = sql.join(
    rows.map((r) => sql`(${r.chunkId}::uuid, ${literal(toUnit(r.vector), "{", "}")}::real[])`),
    sql`, `,
  );
  await scope.db.execute(sql`
    update ${chunks} set embedding = v.embedding, embedding_model = ${ref}
    from (values ${values}) as v(id, embedding)
    where ${chunks.id} = v.id and ${chunks.orgId} = ${scope.orgId}`);
}

/** The `limit` chunks nearest to `query` among the bases' chunks embedded by `ref`. */
export async function vectorSearch(
  scope: OrgScope,
  knowledgeBaseIds: string[],
  ref: string,
  query: readonly number[],
  limit: number,
  options: { method?: VectorMethod } = {},
): Promise<VectorHit[]> {
  if (knowledgeBaseIds.length === 0 || limit <= 0) return [];
  const unit = toUnit(query);
  const method = options.method ?? (await vectorMethod(scope.db));
  if (method === "memory") {
    const hits = await cachedVectorSearch(scope, knowledgeBaseIds, ref, unit, limit);
    if (hits) return hits;
  }
  const similarity =
    method === "pgvector"
      ? // `<#>` is the negated inner product; on unit vectors the inner product is the cosine.
        sql<number>`-(${chunks.embedding}::vector <#> ${literal(unit, "[", "]")}::vector)`
      : sql<number>`(select sum(a * b) from unnest(${chunks.embedding}, ${literal(unit, "{", "}")}::real[]) as t(a, b))`;
  const rows = await scope.db
    .select({ id: chunks.id, similarity: similarity.as("similarity") })
    .from(chunks)
    .where(
      scope.where(
        chunks,
        inArray(chunks.knowledgeBaseId, knowledgeBaseIds),
        eq(chunks.embeddingModel, ref),
        // A provider reconfigured to shorter vectors keeps the model name: skip the old ones.
        sql`cardinality(${chunks.embedding}) = ${unit.length}`,
      ),
    )
    // Ties (equal vectors) in a stable order, whichever way similarity was computed.
    .orderBy(sql`similarity desc`, chunks.id)
    .limit(limit);
  return rows.map((r) => ({ chunkId: r.id, similarity: Number(r.similarity) }));
}
