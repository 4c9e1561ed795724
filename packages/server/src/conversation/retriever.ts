import type { KnowledgeRetriever } from "@oratio/core";
import type { OrgScope } from "@oratio/db";
import type { Logger } from "pino";
import type { EmbeddingModels } from "../knowledge/embedding-models.ts";
import { hybridSearch } from "../knowledge/hybrid-search.ts";
import { searchKnowledge } from "../knowledge/search.ts";

/**
 * The run loop's retrieval contract over the organization's knowledge index: hybrid
 * (full-text fused with vectors) for bases that name an embedding model, full text for the
 * rest. Without an embedding resolver it searches by full text only.
 */
export function knowledgeRetriever(
  scope: OrgScope,
  embeddings?: EmbeddingModels,
  logger?: Pick<Logger, "warn">,
): KnowledgeRetriever {
  return {
    async search(query, { knowledgeBaseIds, topK, signal }) {
      const results = embeddings
        ? await hybridSearch(embeddings, scope, knowledgeBaseIds, query, topK, {
            ...(signal ? { signal } : {}),
            ...(logger ? { logger } : {}),
          })
        : await searchKnowledge(scope, knowledgeBaseIds, query, topK);
      return results.map((r) => ({
        id: r.chunkId,
        documentId: r.citation.documentId,
        title: r.citation.title,
        url: r.citation.url ?? undefined,
        page: r.citation.page ?? undefined,
        headingPath: r.citation.headingPath,
        text: r.text,
        score: r.score,
      }));
    },
  };
}
