import { integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { knowledgeBases } from "./knowledge.ts";

/**
 * How many chunks of a knowledge base contain each lexeme (its document frequency), kept
 * current by triggers on `chunks` (migration 0008). Search reads it to weigh rare query
 * terms above common ones and to pick which terms can find candidates cheaply. The row
 * with the empty lexeme (never a real lexeme) counts the base's chunks.
 */
export const knowledgeTerms = pgTable(
  "knowledge_terms",
  {
    orgId: uuid("org_id").notNull(),
    knowledgeBaseId: uuid("knowledge_base_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    lexeme: text("lexeme").notNull(),
    chunks: integer("chunks").notNull(),
  },
  (t) => [primaryKey({ columns: [t.knowledgeBaseId, t.lexeme] })],
);
