import { z } from "@hono/zod-openapi";
import { DOCUMENT_STATUSES, SOURCE_TYPES } from "@oratio/db";
import { IdParam, Timestamp } from "../../lib/openapi.ts";

export const EmbeddingChoiceSchema = z
  .strictObject({
    providerId: z.union([z.literal("local"), z.uuid()]).openapi({
      description: "A provider of the organization (openai, openai-compatible, local) or `local`",
    }),
    model: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .openapi({ description: "The provider's model name, or a GGUF path in the model store for local" }),
  })
  .openapi("EmbeddingChoice", {
    example: { providerId: "local", model: "embeddings/bge-small-en-v1.5.gguf" },
  });

const embeddingField = EmbeddingChoiceSchema.nullable().optional().openapi({
  description:
    "Embedding model for hybrid (full-text + vector) search; null or absent: full-text only. Setting it starts a job that embeds the existing chunks.",
});

export const KnowledgeBaseSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    language: z.string(),
    embedding: z
      .object({ providerId: z.string(), model: z.string(), jobId: z.uuid().nullable() })
      .nullable()
      .openapi({ description: "The embedding model and the latest job embedding the chunks with it" }),
    documentCount: z.number().int(),
    chunkCount: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("KnowledgeBase");

/** PostgreSQL text-search configurations shipped with every server. */
export const SEARCH_LANGUAGES = [
  "simple",
  "arabic",
  "danish",
  "dutch",
  "english",
  "finnish",
  "french",
  "german",
  "greek",
  "hungarian",
  "indonesian",
  "irish",
  "italian",
  "lithuanian",
  "nepali",
  "norwegian",
  "portuguese",
  "romanian",
  "russian",
  "spanish",
  "swedish",
  "tamil",
  "turkish",
] as const;

export const KnowledgeBaseBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ example: "Clinic website and handbook" }),
    description: z.string().max(2000).optional(),
    language: z.enum(SEARCH_LANGUAGES).default("english").openapi({ description: "Text-search language" }),
    embedding: embeddingField,
  })
  .openapi("KnowledgeBaseRequest");

export const KnowledgeBasePatch = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).nullable().optional(),
    embedding: embeddingField,
  })
  .openapi("KnowledgeBasePatch");

export const DocumentSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.string(),
    status: z.enum(DOCUMENT_STATUSES),
    error: z.string().nullable(),
    embeddingError: z
      .string()
      .nullable()
      .openapi({ description: "Why the document has no vectors; it is still found by full-text search" }),
    title: z.string().nullable(),
    url: z.string().nullable(),
    sourceId: z.uuid().nullable(),
    pages: z.number().int().nullable(),
    chunks: z.number().int(),
    bytes: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Document");

export const RejectedFileSchema = z.object({ name: z.string(), status: z.number().int(), error: z.string() });

export const SourceBody = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("website"),
      url: z.url({ protocol: /^https?$/ }).max(2000),
      maxPages: z.number().int().min(1).max(5000).default(50),
      maxDepth: z.number().int().min(0).max(10).default(3),
    }),
    z.strictObject({ type: z.literal("url"), url: z.url({ protocol: /^https?$/ }).max(2000) }),
  ])
  .openapi("SourceRequest", { example: { type: "website", url: "https://www.example.com/", maxPages: 50 } });

export const SourceSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(SOURCE_TYPES),
    url: z.string(),
    options: z.record(z.string(), z.unknown()),
    lastJobId: z.uuid().nullable(),
    lastSyncedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .openapi("Source");

export const CitationSchema = z
  .object({
    documentId: z.uuid(),
    title: z.string(),
    url: z.string().nullable(),
    page: z.number().int().nullable(),
    headingPath: z.array(z.string()),
  })
  .openapi("Citation");

export const SearchResultSchema = z
  .object({
    chunkId: z.uuid(),
    text: z.string(),
    snippet: z.string().openapi({ description: "Matched terms wrapped in **" }),
    score: z.number().openapi({
      description:
        "Higher is better. Full-text only: tier of the relaxed query plus ts_rank. Hybrid (the base has an embedding model): the reciprocal-rank-fusion score, sum of 1/(60 + rank) over the rankings that found the passage",
    }),
    matchedBy: z
      .array(z.enum(["text", "vector"]))
      .optional()
      .openapi({ description: "Which rankings found the passage" }),
    similarity: z
      .number()
      .optional()
      .openapi({ description: "Cosine similarity, when the vector ranking found it" }),
    citation: CitationSchema,
  })
  .openapi("SearchResult");

export const DocParams = IdParam.extend({
  docId: z
    .uuid()
    .openapi({ param: { name: "docId", in: "path" }, example: "5a0c5a9e-1b2d-4c3e-8f4a-5b6c7d8e9f01" }),
});
export const SourceParams = IdParam.extend({
  sourceId: z
    .uuid()
    .openapi({ param: { name: "sourceId", in: "path" }, example: "6b0c5a9e-1b2d-4c3e-8f4a-5b6c7d8e9f01" }),
});
