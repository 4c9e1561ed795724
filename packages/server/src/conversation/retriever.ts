import type { KnowledgeRetriever } from "@oratio/core";
import type { OrgScope } from "@oratio/db";
import { searchKnowledge } from "../knowledge/search.ts";

/** The run loop's retrieval contract over the organization's knowledge index. */
export function knowledgeRetriever(scope: OrgScope): KnowledgeRetriever {
  return {
    async search(query, { knowledgeBaseIds, topK }) {
      const results = await searchKnowledge(scope, knowledgeBaseIds, query, topK);
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
