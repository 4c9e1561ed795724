/** A piece of knowledge a reply relied on; attached to the reply through `citation` events. */
export interface Citation {
  /** Chunk id in the knowledge store. */
  id: string;
  documentId: string;
  title?: string;
  url?: string;
  /** Page of a paged document (PDF). */
  page?: number;
  /** Headings above the passage, outermost first. */
  headingPath?: string[];
  snippet: string;
  score?: number;
}

export interface RetrievedChunk {
  id: string;
  documentId: string;
  title?: string;
  url?: string;
  page?: number;
  headingPath?: string[];
  text: string;
  score: number;
}

export interface RetrieveOptions {
  knowledgeBaseIds: string[];
  topK: number;
  signal?: AbortSignal;
}

/** Implemented by the knowledge package (hybrid search); injected into the run loop. */
export interface KnowledgeRetriever {
  search(query: string, options: RetrieveOptions): Promise<RetrievedChunk[]>;
}
