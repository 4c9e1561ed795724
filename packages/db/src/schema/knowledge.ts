import { sql } from "drizzle-orm";
import {
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
    /** Optional embedding (when the organization configures an embedding provider). */
    embedding: real("embedding").array(),
  },
  (t) => [
    index("chunks_search_idx").using("gin", t.search),
    index("chunks_org_kb_idx").on(t.orgId, t.knowledgeBaseId),
    index("chunks_document_idx").on(t.documentId),
  ],
);
