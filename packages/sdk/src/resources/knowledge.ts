import { type Http, type RequestOptions, segment } from "../http.ts";
import { appendUpload, type UploadFile } from "./form-data.ts";
import type { RawTransport } from "./raw.ts";

export type { UploadFile };

/** The embedding model a knowledge base uses for hybrid search: a provider id (or `local`) and model. */
export interface EmbeddingChoice {
  providerId: string;
  model: string;
}

export interface KnowledgeBase {
  id: string;
  name: string;
  language: string;
  /** Null: full-text search only. `jobId`: the latest job embedding the chunks. */
  embedding: (EmbeddingChoice & { jobId: string | null }) | null;
  documentCount: number;
  chunkCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface KnowledgeDocument {
  id: string;
  name: string;
  type: string;
  status: "queued" | "processing" | "ready" | "failed";
  error: string | null;
  /** Why the document has no vectors; it is still found by full-text search. */
  embeddingError: string | null;
  title: string | null;
  url: string | null;
  sourceId: string | null;
  pages: number | null;
  chunks: number;
  bytes: number;
  createdAt: string;
  updatedAt: string;
}

export interface KnowledgeSource {
  id: string;
  type: "website" | "url";
  url: string;
  options: Record<string, unknown>;
  lastJobId: string | null;
  lastSyncedAt: string | null;
  createdAt: string;
}

export type AddSourceInput =
  | { type: "website"; url: string; maxPages?: number; maxDepth?: number }
  | { type: "url"; url: string };

/** Accepted files are ingested by the job `jobId`; refused files are listed with the reason. */
export interface UploadResult {
  jobId: string;
  documents: { id: string; name: string; status: string }[];
  rejected: { name: string; status: number; error: string }[];
}

export interface KnowledgeCitation {
  documentId: string;
  title: string;
  url: string | null;
  page: number | null;
  headingPath: string[];
}

export interface SearchResult {
  chunkId: string;
  text: string;
  /** An excerpt with the matched terms wrapped in `**`. */
  snippet: string;
  /** Full text only: query tier + ts_rank. Hybrid: reciprocal-rank-fusion score. Higher is better. */
  score: number;
  /** Which rankings found the passage. */
  matchedBy?: ("text" | "vector")[];
  /** Cosine similarity, when the vector ranking found the passage. */
  similarity?: number;
  citation: KnowledgeCitation;
}

function toFormData(files: UploadFile[]): FormData {
  const form = new FormData();
  for (const file of files) appendUpload(form, "files", file);
  return form;
}

export function knowledgeResource(http: Http, raw: RawTransport) {
  const base = (id: string) => `/knowledge-bases/${segment(id)}`;
  return {
    create(
      input: { name: string; language?: string; embedding?: EmbeddingChoice | null },
      options?: RequestOptions,
    ): Promise<KnowledgeBase> {
      return http.post<KnowledgeBase>("/knowledge-bases", input, options);
    },
    async list(options?: RequestOptions): Promise<KnowledgeBase[]> {
      return (await http.get<{ data: KnowledgeBase[] }>("/knowledge-bases", options)).data;
    },
    get(id: string, options?: RequestOptions): Promise<KnowledgeBase> {
      return http.get<KnowledgeBase>(base(id), options);
    },
    rename(id: string, name: string, options?: RequestOptions): Promise<KnowledgeBase> {
      return http.patch<KnowledgeBase>(base(id), { name }, options);
    },
    /**
     * Chooses the embedding model for hybrid search (null: full text only). Existing chunks
     * are embedded by the job in `embedding.jobId`; setting the same model again fills gaps.
     */
    setEmbedding(
      id: string,
      embedding: EmbeddingChoice | null,
      options?: RequestOptions,
    ): Promise<KnowledgeBase> {
      return http.patch<KnowledgeBase>(base(id), { embedding }, options);
    },
    delete(id: string, options?: RequestOptions): Promise<void> {
      return http.delete(base(id), options);
    },
    /** Uploads files for ingestion (PDF, DOCX, HTML, Markdown, CSV, text); watch the job for progress. */
    async upload(id: string, files: UploadFile[], options?: RequestOptions): Promise<UploadResult> {
      const response = await raw.request("POST", `${base(id)}/documents`, {
        ...options,
        body: toFormData(files),
      });
      return (await response.json()) as UploadResult;
    },
    async documents(id: string, options?: RequestOptions): Promise<KnowledgeDocument[]> {
      return (await http.get<{ data: KnowledgeDocument[] }>(`${base(id)}/documents`, options)).data;
    },
    deleteDocument(id: string, documentId: string, options?: RequestOptions): Promise<void> {
      return http.delete(`${base(id)}/documents/${segment(documentId)}`, options);
    },
    /** Crawls a website (or fetches one URL) into the base; watch the job for progress. */
    addSource(
      id: string,
      input: AddSourceInput,
      options?: RequestOptions,
    ): Promise<{ jobId: string; sourceId: string }> {
      return http.post(`${base(id)}/sources`, input, options);
    },
    async sources(id: string, options?: RequestOptions): Promise<KnowledgeSource[]> {
      return (await http.get<{ data: KnowledgeSource[] }>(`${base(id)}/sources`, options)).data;
    },
    syncSource(
      id: string,
      sourceId: string,
      options?: RequestOptions,
    ): Promise<{ jobId: string; sourceId: string }> {
      return http.post(`${base(id)}/sources/${segment(sourceId)}/sync`, {}, options);
    },
    deleteSource(id: string, sourceId: string, options?: RequestOptions): Promise<void> {
      return http.delete(`${base(id)}/sources/${segment(sourceId)}`, options);
    },
    async search(id: string, query: string, topK = 5, options?: RequestOptions): Promise<SearchResult[]> {
      return (await http.post<{ results: SearchResult[] }>(`${base(id)}/search`, { query, topK }, options))
        .results;
    },
  };
}
