ALTER TABLE "chunks" ADD COLUMN "embedding_model" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "embedding_error" text;--> statement-breakpoint
ALTER TABLE "knowledge_bases" ADD COLUMN "embedding_provider_id" text;--> statement-breakpoint
ALTER TABLE "knowledge_bases" ADD COLUMN "embedding_model" text;--> statement-breakpoint
ALTER TABLE "knowledge_bases" ADD COLUMN "embedding_job_id" uuid;