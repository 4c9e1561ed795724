CREATE TABLE "knowledge_terms" (
	"org_id" uuid NOT NULL,
	"knowledge_base_id" uuid NOT NULL,
	"lexeme" text NOT NULL,
	"chunks" integer NOT NULL,
	CONSTRAINT "knowledge_terms_knowledge_base_id_lexeme_pk" PRIMARY KEY("knowledge_base_id","lexeme")
);
--> statement-breakpoint
ALTER TABLE "knowledge_terms" ADD CONSTRAINT "knowledge_terms_knowledge_base_id_knowledge_bases_id_fk" FOREIGN KEY ("knowledge_base_id") REFERENCES "public"."knowledge_bases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- knowledge_terms holds the document frequencies of chunks.search per base, plus the chunk
-- count under the empty lexeme. The triggers are statement-level with transition tables, so
-- a batch costs one grouped statement. Rows are locked in (base, lexeme) order on every
-- path, so concurrent writers to one base wait for each other instead of deadlocking.
CREATE FUNCTION "knowledge_terms_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "knowledge_terms" AS t ("org_id", "knowledge_base_id", "lexeme", "chunks")
    SELECT n."org_id", n."knowledge_base_id", l."lexeme", count(*)::int
    FROM new_chunks n, unnest(tsvector_to_array(n."search") || '{""}'::text[]) AS l("lexeme")
    GROUP BY 1, 2, 3
    ORDER BY 2, 3
    ON CONFLICT ("knowledge_base_id", "lexeme") DO UPDATE SET "chunks" = t."chunks" + excluded."chunks";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "knowledge_terms_remove"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "knowledge_terms" t
    WHERE (t."knowledge_base_id", t."lexeme") IN (
      SELECT o."knowledge_base_id", l."lexeme"
      FROM old_chunks o, unnest(tsvector_to_array(o."search") || '{""}'::text[]) AS l("lexeme")
    )
    ORDER BY t."knowledge_base_id", t."lexeme"
    FOR UPDATE;
  UPDATE "knowledge_terms" t SET "chunks" = t."chunks" - d."n"
    FROM (
      SELECT o."knowledge_base_id", l."lexeme", count(*)::int AS "n"
      FROM old_chunks o, unnest(tsvector_to_array(o."search") || '{""}'::text[]) AS l("lexeme")
      GROUP BY 1, 2
    ) d
    WHERE d."knowledge_base_id" = t."knowledge_base_id" AND d."lexeme" = t."lexeme";
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Most updates (embeddings) leave the indexed terms alone; only rows whose terms or base
-- changed are counted out and back in.
CREATE FUNCTION "knowledge_terms_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM old_chunks o JOIN new_chunks n ON n."id" = o."id"
    WHERE n."knowledge_base_id" <> o."knowledge_base_id" OR n."search" <> o."search"
  ) THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM "knowledge_terms" t
    WHERE (t."knowledge_base_id", t."lexeme") IN (
      SELECT o."knowledge_base_id", l."lexeme"
      FROM old_chunks o, unnest(tsvector_to_array(o."search") || '{""}'::text[]) AS l("lexeme")
      UNION
      SELECT n."knowledge_base_id", l."lexeme"
      FROM new_chunks n, unnest(tsvector_to_array(n."search") || '{""}'::text[]) AS l("lexeme")
    )
    ORDER BY t."knowledge_base_id", t."lexeme"
    FOR UPDATE;
  UPDATE "knowledge_terms" t SET "chunks" = t."chunks" - d."n"
    FROM (
      SELECT o."knowledge_base_id", l."lexeme", count(*)::int AS "n"
      FROM old_chunks o, unnest(tsvector_to_array(o."search") || '{""}'::text[]) AS l("lexeme")
      GROUP BY 1, 2
    ) d
    WHERE d."knowledge_base_id" = t."knowledge_base_id" AND d."lexeme" = t."lexeme";
  INSERT INTO "knowledge_terms" AS t ("org_id", "knowledge_base_id", "lexeme", "chunks")
    SELECT n."org_id", n."knowledge_base_id", l."lexeme", count(*)::int
    FROM new_chunks n, unnest(tsvector_to_array(n."search") || '{""}'::text[]) AS l("lexeme")
    GROUP BY 1, 2, 3
    ORDER BY 2, 3
    ON CONFLICT ("knowledge_base_id", "lexeme") DO UPDATE SET "chunks" = t."chunks" + excluded."chunks";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "chunks_terms_insert" AFTER INSERT ON "chunks"
  REFERENCING NEW TABLE AS new_chunks FOR EACH STATEMENT EXECUTE FUNCTION "knowledge_terms_add"();
--> statement-breakpoint
CREATE TRIGGER "chunks_terms_update" AFTER UPDATE ON "chunks"
  REFERENCING OLD TABLE AS old_chunks NEW TABLE AS new_chunks FOR EACH STATEMENT EXECUTE FUNCTION "knowledge_terms_change"();
--> statement-breakpoint
CREATE TRIGGER "chunks_terms_delete" AFTER DELETE ON "chunks"
  REFERENCING OLD TABLE AS old_chunks FOR EACH STATEMENT EXECUTE FUNCTION "knowledge_terms_remove"();
--> statement-breakpoint
-- Chunks indexed before this migration.
INSERT INTO "knowledge_terms" ("org_id", "knowledge_base_id", "lexeme", "chunks")
  SELECT c."org_id", c."knowledge_base_id", l."lexeme", count(*)::int
  FROM "chunks" c, unnest(tsvector_to_array(c."search") || '{""}'::text[]) AS l("lexeme")
  GROUP BY 1, 2, 3;
--> statement-breakpoint
-- Ranking reads each candidate's tsvector: kept in the row (compressed) rather than in the
-- TOAST table, it costs no extra index lookup. Applies to rows written from now on.
ALTER TABLE "chunks" ALTER COLUMN "search" SET STORAGE MAIN;
--> statement-breakpoint
-- Searches must scan GIN's whole pending list of not-yet-merged entries, which vacuum or a
-- full list empties (PGlite never autovacuums, and the default list holds 4 MB): a 256 kB
-- list keeps that scan short while inserts still merge into the index in batches.
ALTER INDEX "chunks_search_idx" SET (gin_pending_list_limit = 256);
--> statement-breakpoint
SELECT gin_clean_pending_list('chunks_search_idx');
