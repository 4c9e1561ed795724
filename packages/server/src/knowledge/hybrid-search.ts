import type { EmbedOptions } from "@oratio/core/embeddings";
import type { OrgScope } from "@oratio/db";
import type { Logger } from "pino";
import { embeddedBases } from "./embedded-bases.ts";
import { type EmbeddingChoice, type EmbeddingModels, embeddingRef } from "./embedding-models.ts";
import { highlightPassages, type SearchResult, searchKnowledge } from "./search.ts";
import { vectorSearch } from "./vector-search.ts";

export type MatchedBy = "text" | "vector";

export interface HybridResult extends SearchResult {
  /** Which rankings found the passage. */
  matchedBy: MatchedBy[];
  /** Cosine similarity to the query, for passages the vector ranking found. */
  similarity?: number;
}

/** The usual constant of reciprocal rank fusion: it damps the weight of the very first ranks. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each ranking adds 1 / (k + rank) (ranks from 1) to the passages it
 * lists. Rankings on incomparable scales (ts_rank, cosine) combine without calibration, and
 * a passage found by both rises above one found by either alone.
 */
export function reciprocalRankFusion(
  rankings: readonly (readonly string[])[],
  k = RRF_K,
): Map<string, number> {
  const fused = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, index) => {
      fused.set(id, (fused.get(id) ?? 0) + 1 / (k + index + 1));
    });
  }
  return fused;
}

/** How deep each ranking goes before fusion: deeper than the answer, so agreement can surface. */
export function fusionDepth(topK: number): number {
  return Math.min(50, Math.max(20, topK * 3));
}

export interface HybridSearchOptions {
  signal?: AbortSignal;
  logger?: Pick<Logger, "warn">;
}

/**
 * Knowledge search for people and agents. Bases without an embedding model are searched by
 * full text alone, exactly as `searchKnowledge` does (same results, same scores, no extra
 * query: which bases have a model is kept in process, see embedded-bases.ts). When some
 * base in scope names a model, the full-text ranking and one vector ranking per model are
 * fused by reciprocal rank fusion and `score` is the fused score (at most 2 / 61 with
 * two rankings). A query that cannot be embedded (provider down) degrades to the
 * full-text ranking; it never fails the search.
 */
export async function hybridSearch(
  embeddings: EmbeddingModels,
  scope: OrgScope,
  knowledgeBaseIds: string[],
  query: string,
  topK = 5,
  options: HybridSearchOptions = {},
): Promise<HybridResult[]> {
  if (knowledgeBaseIds.length === 0 || !query.trim()) return [];
  const known = await embeddedBases(scope);
  const configured = knowledgeBaseIds.filter((id) => known.has(id));
  if (configured.length === 0) {
    const results = await searchKnowledge(scope, knowledgeBaseIds, query, topK);
    return results.map((r) => ({ ...r, matchedBy: ["text"] }));
  }

  const depth = fusionDepth(topK);
  const groups = new Map<string, { choice: EmbeddingChoice; ids: string[] }>();
  for (const id of configured) {
    const choice = known.get(id)!;
    const ref = embeddingRef(choice);
    const group = groups.get(ref) ?? { choice, ids: [] };
    group.ids.push(id);
    groups.set(ref, group);
  }
  const [text, ...vectors] = await Promise.all([
    // Ranked deeper than shown and unhighlighted: only the passages returned are highlighted.
    searchKnowledge(scope, knowledgeBaseIds, query, depth, { snippets: false }),
    ...[...groups].map(async ([ref, { choice, ids }]) => {
      try {
        const model = await embeddings.resolve(scope, choice);
        const embedOptions: EmbedOptions = {
          purpose: "query",
          ...(options.signal ? { signal: options.signal } : {}),
        };
        const [vector] = await model.embed([query], embedOptions);
        return vector ? await vectorSearch(scope, ids, ref, vector, depth) : [];
      } catch (error) {
        options.signal?.throwIfAborted();
        options.logger?.warn({ err: error, model: ref }, "query embedding failed; using full-text ranking");
        return [];
      }
    }),
  ]);

  const fused = reciprocalRankFusion([
    text.map((r) => r.chunkId),
    ...vectors.map((v) => v.map((h) => h.chunkId)),
  ]);
  const similarity = new Map(vectors.flat().map((h) => [h.chunkId, h.similarity]));
  const textRank = new Map(text.map((r, i) => [r.chunkId, i]));
  const top = [...fused]
    .sort(
      (a, b) =>
        b[1] - a[1] ||
        (textRank.get(a[0]) ?? depth) - (textRank.get(b[0]) ?? depth) ||
        (similarity.get(b[0]) ?? -1) - (similarity.get(a[0]) ?? -1),
    )
    .slice(0, topK);

  const shown = await highlightPassages(
    scope,
    top.map(([id]) => id),
    query,
  );
  const byId = new Map(shown.map((r) => [r.chunkId, r]));
  return top.flatMap(([id, score]) => {
    const found = byId.get(id);
    if (!found) return []; // deleted between the ranking and now
    const matchedBy: MatchedBy[] = [];
    if (textRank.has(id)) matchedBy.push("text");
    if (similarity.has(id)) matchedBy.push("vector");
    const cosine = similarity.get(id);
    return [{ ...found, score, matchedBy, ...(cosine !== undefined ? { similarity: cosine } : {}) }];
  });
}
