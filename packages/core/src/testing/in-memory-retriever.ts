import type { KnowledgeRetriever, RetrievedChunk, RetrieveOptions } from "../agent/citations.ts";

export interface InMemoryChunk extends Omit<RetrievedChunk, "score"> {
  knowledgeBaseId: string;
}

/**
 * A retriever over a fixed list of chunks, scored by shared words, for conversation tests
 * that need `search_knowledge` without a database. Records every query.
 */
export class InMemoryRetriever implements KnowledgeRetriever {
  readonly queries: { query: string; options: RetrieveOptions }[] = [];
  readonly #chunks: InMemoryChunk[];

  constructor(chunks: InMemoryChunk[]) {
    this.#chunks = chunks;
  }

  async search(query: string, options: RetrieveOptions): Promise<RetrievedChunk[]> {
    options.signal?.throwIfAborted();
    this.queries.push({ query, options });
    const terms = new Set(words(query));
    return this.#chunks
      .filter((c) => options.knowledgeBaseIds.includes(c.knowledgeBaseId))
      .map(({ knowledgeBaseId: _kb, ...chunk }) => {
        const hits = words(chunk.text).filter((w) => terms.has(w)).length;
        return { ...chunk, score: hits / Math.max(1, terms.size) };
      })
      .filter((c) => c.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, options.topK);
  }
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
