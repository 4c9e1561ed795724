-- Knowledge search runs as two functions with fixed statements inside, so each database
-- session plans them once and reuses the plans (PL/pgSQL caches them). Planning the search's
-- statements anew on every call cost more than running them: on PGlite (PostgreSQL compiled
-- to WebAssembly) about 1.3 ms for the term lookup and 2-3 ms for the ranking statement.
-- The plans are generic (built without the values) and always the same shape: a cached
-- plan chosen for an almost empty table (a sequential scan) would otherwise stay in use as
-- the table grows, since no ANALYZE invalidates it on PGlite. Sequential scans are turned
-- off inside so the only plan for a text lookup is the GIN index. Which terms and lookups
-- to use is decided by the caller (packages/server/src/knowledge/search-plan.ts).
--
-- knowledge_search_terms: the organization's bases among p_bases, grouped by text-search
-- language, each with the query's lexemes in that language and their document frequencies
-- across the group (from knowledge_terms); the empty lexeme carries the chunk count.
CREATE FUNCTION "knowledge_search_terms"("p_org" uuid, "p_bases" uuid[], "p_query" text)
RETURNS TABLE ("language" text, "ids" uuid[], "lexemes" text[], "dfs" integer[])
LANGUAGE plpgsql STABLE
SET "plan_cache_mode" = force_generic_plan
SET "enable_seqscan" = off
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    WITH b AS (
      SELECT k."language", array_agg(k."id") AS "ids" FROM "knowledge_bases" k
      WHERE k."org_id" = "p_org" AND k."id" = ANY ("p_bases")
      GROUP BY k."language"
    )
    SELECT b."language"::text, b."ids", w."lexemes", w."dfs"
    FROM b CROSS JOIN LATERAL (
      SELECT array_agg(l."lexeme") AS "lexemes", array_agg((
          SELECT coalesce(sum(t."chunks"), 0)::int FROM "knowledge_terms" t
          WHERE t."knowledge_base_id" = ANY (b."ids") AND t."lexeme" = l."lexeme")) AS "dfs"
      FROM unnest(tsvector_to_array(to_tsvector(b."language", "p_query")) || '{""}'::text[]) AS l("lexeme")
    ) w;
END
$$;
--> statement-breakpoint
-- knowledge_search_rank: finds candidates in the organization's bases p_bases through the
-- GIN index, ranks them and returns the best p_top with their citations.
--  - p_exact: a lookup read whole (at most p_budget rows); p_stream: lookups read in order,
--    lazily, until p_budget rows (stricter lookups find subsets of looser ones, so a chunk
--    may come twice; the union with p_exact's removes duplicates). Either may be null.
--    Each lookup is fenced (`offset 0`) from the tenant and base filter, so it is always a
--    GIN lookup and never a walk of the (org, base) B-tree testing every chunk's tsvector.
--  - Candidates travel as row addresses (ctid), fetched by a TID scan inside this one
--    statement, where the addresses cannot change.
--  - score: the sum over p_terms of p_idfs × ts_rank of that single term (BM25-like: rare
--    terms weigh more, ts_rank saturates with repetition and weighs titles above body). The
--    tsvector is read and decompressed once per candidate (`|| ''` behind an `offset 0`).
--  - snippet (when p_snippets): ts_headline over a p_window-character window starting
--    p_before characters ahead of the first place one of p_words appears (stems mostly
--    prefix the word), trimmed to whole words by its first and last space; highlighting
--    parses the text it is given, and a whole chunk costs several times more.
CREATE FUNCTION "knowledge_search_rank"(
  "p_org" uuid, "p_bases" uuid[], "p_language" regconfig,
  "p_exact" tsquery, "p_stream" tsquery[], "p_budget" integer,
  "p_terms" tsquery[], "p_idfs" float8[], "p_top" integer,
  "p_snippets" boolean, "p_any" tsquery, "p_words" text[],
  "p_window" integer, "p_before" integer, "p_options" text)
RETURNS TABLE (
  "id" uuid, "text" text, "document_id" uuid, "title" text, "url" text, "page" integer,
  "heading_path" text[], "score" float8, "snippet" text)
LANGUAGE plpgsql STABLE
SET "plan_cache_mode" = force_generic_plan
SET "enable_seqscan" = off
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    WITH "exact" AS MATERIALIZED (
      SELECT f."tid" FROM (SELECT c."ctid" AS "tid", c."org_id", c."knowledge_base_id"
        FROM "chunks" c WHERE c."search" @@ "p_exact" OFFSET 0) f
      WHERE f."org_id" = "p_org" AND f."knowledge_base_id" = ANY ("p_bases")
    ),
    "streamed" AS MATERIALIZED (
      SELECT f."tid" FROM unnest("p_stream") WITH ORDINALITY AS s("q", "n")
      CROSS JOIN LATERAL (SELECT c."ctid" AS "tid", c."org_id", c."knowledge_base_id"
        FROM "chunks" c WHERE c."search" @@ s."q" OFFSET 0) f
      WHERE f."org_id" = "p_org" AND f."knowledge_base_id" = ANY ("p_bases")
    ),
    "candidates" AS (
      (SELECT e."tid" FROM "exact" e LIMIT "p_budget")
      UNION
      (SELECT s."tid" FROM "streamed" s LIMIT "p_budget")
    ),
    "ranked" AS (
      SELECT r."id", (SELECT sum(w."idf" * ts_rank(r."v", w."q", 1))
          FROM unnest("p_terms", "p_idfs") AS w("q", "idf")) AS "score"
      FROM (
        SELECT c."id", c."search" || ''::tsvector AS "v" FROM "chunks" c
        WHERE c."ctid" = ANY (ARRAY(SELECT "tid" FROM "candidates")) OFFSET 0
      ) r
      ORDER BY 2 DESC
      LIMIT "p_top"
    )
    SELECT c."id", c."text", c."document_id", c."title", c."url", c."page", c."heading_path",
      ranked."score",
      CASE WHEN "p_snippets" THEN ts_headline("p_language", w."excerpt", "p_any", "p_options") ELSE '' END
    FROM "ranked"
    JOIN "chunks" c ON c."id" = ranked."id"
    CROSS JOIN LATERAL (
      SELECT CASE WHEN NOT "p_snippets" THEN NULL
        WHEN length(c."text") <= "p_window" THEN c."text"
        ELSE substr(c."text", greatest(1, coalesce((
            SELECT min(nullif(strpos(lt."t", h."word"), 0))
            FROM (SELECT lower(c."text") AS "t" OFFSET 0) lt, unnest("p_words") AS h("word")
          ), 1) - "p_before"), "p_window")
      END AS "raw"
    ) x
    CROSS JOIN LATERAL (
      SELECT CASE WHEN x."raw" IS NULL OR x."raw" = c."text" THEN x."raw"
        ELSE substr(x."raw", strpos(x."raw", ' ') + 1,
          length(x."raw") - strpos(x."raw", ' ') - strpos(reverse(x."raw"), ' '))
      END AS "excerpt"
    ) w
    WHERE c."org_id" = "p_org"
    ORDER BY ranked."score" DESC;
END
$$;
