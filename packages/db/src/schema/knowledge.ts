import { sql } from "drizzle-orm";
import {
  bigint,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { organizations } from "./accounts.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const regconfig = customType<{ data: string }>({ dataType: () => "regconfig" });

export const knowledgeBases = pgTable(
  "knowledge_bases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    /** PostgreSQL text-search configuration used for this base's index (e.g. `english`, `simple`). */
    language: regconfig("language").notNull().default(sql`'english'::regconfig`),
    /**
     * Optional embedding model for vector ranking: a provider id of the organization (or
     * `local` for the model store) and the provider's model name. Null: full-text only.
     */
    embeddingProviderId: text("embedding_provider_id"),
    embeddingModel: text("embedding_model"),
    /** The latest job that embeds the base's chunks with that model. */
    embeddingJobId: uuid("embedding_job_id"),
    /**
     * Bumped by a trigger whenever the base's chunk vectors change, so a server's in-process
     * copy of them can tell with one key lookup whether it is current (see migration 0009).
     */
    vectorsVersion: bigint("vectors_version", { mode: "number" }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("knowledge_bases_org_idx").on(t.orgId)],
);

export const SOURCE_TYPES = ["website", "url"] as const;

/** A website or single URL that documents are fetched from, and re-synced from. */
export const knowledgeSources = pgTable(
  "knowledge_sources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    knowledgeBaseId: uuid("knowledge_base_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    type: text("type", { enum: SOURCE_TYPES }).notNull(),
    url: text("url").notNull(),
    options: jsonb("options").notNull().default({}),
    lastJobId: uuid("last_job_id"),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("knowledge_sources_kb_idx").on(t.knowledgeBaseId)],
);

export const DOCUMENT_STATUSES = ["queued", "processing", "ready", "failed"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const documents = pgTable(
  "documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    knowledgeBaseId: uuid("knowledge_base_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    sourceId: uuid("source_id").references(() => knowledgeSources.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: text("type").notNull(),
    url: text("url"),
    title: text("title"),
    status: text("status", { enum: DOCUMENT_STATUSES }).notNull().default("queued"),
    error: text("error"),
    /** Why the document's chunks have no vectors (it stays searchable by full text). */
    embeddingError: text("embedding_error"),
    bytes: integer("bytes").notNull().default(0),
    contentHash: text("content_hash"),
    /** Extracted Markdown; chunk offsets point into it. Kept so re-indexing needs no re-upload. */
    content: text("content"),
    pages: jsonb("pages"),
    pageCount: integer("page_count"),
    chunkCount: integer("chunk_count").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("documents_kb_idx").on(t.knowledgeBaseId),
    uniqueIndex("documents_source_url_key").on(t.sourceId, t.url),
  ],
);

export const chunks = pgTable(
  "chunks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    knowledgeBaseId: uuid("knowledge_base_id").notNull(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
    title: text("title").notNull(),
    url: text("url"),
    page: integer("page"),
    pageEnd: integer("page_end"),
    headingPath: text("heading_path").array().notNull().default(sql`'{}'::text[]`),
    /** heading_path joined with " › ": array_to_string is not immutable, so it cannot feed the generated column. */
    headingText: text("heading_text").notNull().default(""),
    charStart: integer("char_start").notNull(),
    charEnd: integer("char_end").notNull(),
    tokenCount: integer("token_count").notNull(),
    language: regconfig("language").notNull().default(sql`'english'::regconfig`),
    /** Title and headings weigh more than body text. */
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector(language, title || ' ' || heading_text), 'A') || setweight(to_tsvector(language, text), 'B')`,
      ),
    /** Unit-length embedding, when the knowledge base names an embedding model. */
    embedding: real("embedding").array(),
    /** Which model made `embedding` (`<providerId>|<model>`); vectors of other models are never compared. */
    embeddingModel: text("embedding_model"),
  },
  (t) => [
    index("chunks_search_idx").using("gin", t.search),
    index("chunks_org_kb_idx").on(t.orgId, t.knowledgeBaseId),
    index("chunks_document_idx").on(t.documentId),
  ],
);
