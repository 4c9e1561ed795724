-- The search functions' cached plans are generic, and the planner's estimate for a generic
-- plan's GIN lookups (no statistics for a parameter) crosses `jit_above_cost` on a large
-- table: PostgreSQL built with LLVM then compiled each search's plan, which cost it 20-30 ms
-- per search at 100k chunks (PGlite has no JIT). The statements are small; JIT never pays.
ALTER FUNCTION "knowledge_search_terms"(uuid, uuid[], text) SET "jit" = off;
--> statement-breakpoint
ALTER FUNCTION "knowledge_search_rank"(uuid, uuid[], regconfig, tsquery, tsquery[], integer, tsquery[], float8[], integer, boolean, tsquery, text[], integer, integer, text) SET "jit" = off;
--> statement-breakpoint
ALTER FUNCTION "knowledge_search_snippets"(uuid, uuid[], text, integer, integer, text) SET "jit" = off;
