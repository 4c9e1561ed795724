ALTER TABLE "knowledge_bases" ADD COLUMN "vectors_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A base's chunk vectors change when embedded chunks are inserted or deleted, or when an
-- update changes a chunk's vector or model. Chunks inserted without vectors (ingestion
-- before embedding) do not count, so indexing does not invalidate copies needlessly.
-- Statement-level triggers with transition tables: one update per base per statement.
CREATE FUNCTION "chunks_vectors_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "knowledge_bases" k SET "vectors_version" = k."vectors_version" + 1
    WHERE k."id" IN (SELECT DISTINCT "knowledge_base_id" FROM new_rows WHERE "embedding_model" IS NOT NULL);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "knowledge_bases" k SET "vectors_version" = k."vectors_version" + 1
    WHERE k."id" IN (SELECT DISTINCT "knowledge_base_id" FROM old_rows WHERE "embedding_model" IS NOT NULL);
  ELSE
    UPDATE "knowledge_bases" k SET "vectors_version" = k."vectors_version" + 1
    WHERE k."id" IN (
      SELECT DISTINCT n."knowledge_base_id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
      WHERE n."embedding_model" IS DISTINCT FROM o."embedding_model"
         OR n."embedding" IS DISTINCT FROM o."embedding"
         OR n."knowledge_base_id" IS DISTINCT FROM o."knowledge_base_id"
    );
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "chunks_vectors_insert" AFTER INSERT ON "chunks"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "chunks_vectors_changed"();
--> statement-breakpoint
CREATE TRIGGER "chunks_vectors_update" AFTER UPDATE ON "chunks"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "chunks_vectors_changed"();
--> statement-breakpoint
CREATE TRIGGER "chunks_vectors_delete" AFTER DELETE ON "chunks"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "chunks_vectors_changed"();
