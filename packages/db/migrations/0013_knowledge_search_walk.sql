-- A GIN lookup is never lazy: the index builds the bitmap of every match before the first
-- row comes out, so reading "the first 100 chunks holding 'work'" costs as much as finding
-- all 34,000 of them (11 ms on PGlite at 100k chunks; 15 ms for an AND of three common
-- words matching 12,500). When matches are dense, walking the base's chunks in order and
-- testing each one's tsvector finds them far sooner (0.7 and 2 ms for those two): the
-- (org_id, knowledge_base_id) B-tree returns a base's chunks in row-address (ctid) order,
-- the order a bitmap heap scan returns matches in, so a walk finds the same chunks in the
-- same order. Which lookups are walked is decided by the caller from the terms' document
-- frequencies (packages/server/src/knowledge/search-plan.ts).
--
-- knowledge_search_walk: the first p_limit chunks of base p_base (organization p_org)
-- matching p_query, in ctid order, among the base's first p_rows (at least 1) chunks; and,
-- when fewer were found there and the base has more chunks, the address of the last chunk
-- walked, from which the caller goes on through the GIN index (a bound on the walk for when
-- the matches turn out rarer than expected). Bitmap scans are off inside: the walk must be
-- an ordered B-tree scan, never a bitmap of the whole base.
CREATE FUNCTION "knowledge_search_walk"(
  "p_org" uuid, "p_base" uuid, "p_query" tsquery, "p_limit" integer, "p_rows" integer,
  OUT "hits" tid[], OUT "walked_to" tid)
LANGUAGE plpgsql STABLE
SET "plan_cache_mode" = force_generic_plan
SET "enable_seqscan" = off
SET "enable_bitmapscan" = off
SET "jit" = off
AS $$
BEGIN
  "hits" := ARRAY(
    SELECT w."tid" FROM (
      SELECT c."ctid" AS "tid", c."search" FROM "chunks" c
      WHERE c."org_id" = "p_org" AND c."knowledge_base_id" = "p_base"
      LIMIT "p_rows") w
    WHERE w."search" @@ "p_query"
    LIMIT "p_limit");
  IF cardinality("hits") < "p_limit" THEN
    -- The last chunk walked, unless the walk reached the end of the base.
    SELECT CASE WHEN count(*) = 2 THEN (array_agg(x."tid" ORDER BY x."tid"))[1] END INTO "walked_to"
    FROM (SELECT c."ctid" AS "tid" FROM "chunks" c
      WHERE c."org_id" = "p_org" AND c."knowledge_base_id" = "p_base"
      OFFSET "p_rows" - 1 LIMIT 2) x;
  END IF;
END
$$;
--> statement-breakpoint
-- knowledge_search_rank: as in 0011, with p_walk (one flag per p_stream lookup: walk it
-- through knowledge_search_walk, at most p_walk_rows chunks, then the GIN index past the
-- last chunk walked) for lookups in a single base (p_bases[1]). Every lookup still yields
-- its matches in ctid order, walked or not, so the candidates are the same. The `offset 0`
-- keeps the walk's subquery whole, so its condition gates the call (pulled up into the
-- join, it would filter the function's result after calling it for every lookup).
CREATE FUNCTION "knowledge_search_rank"(
  "p_org" uuid, "p_bases" uuid[], "p_language" regconfig,
  "p_exact" tsquery, "p_stream" tsquery[], "p_walk" boolean[], "p_walk_rows" integer,
  "p_budget" integer, "p_terms" tsquery[], "p_idfs" float8[], "p_top" integer,
  "p_snippets" boolean, "p_any" tsquery, "p_words" text[],
  "p_window" integer, "p_before" integer, "p_options" text)
RETURNS TABLE (
  "id" uuid, "text" text, "document_id" uuid, "title" text, "url" text, "page" integer,
  "heading_path" text[], "score" float8, "snippet" text)
LANGUAGE plpgsql STABLE
SET "plan_cache_mode" = force_generic_plan
SET "enable_seqscan" = off
SET "jit" = off
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
      SELECT f."tid"
      FROM unnest("p_stream", "p_walk") WITH ORDINALITY AS s("q", "walk", "n")
      LEFT JOIN LATERAL (
        SELECT k."hits", k."walked_to"
        FROM knowledge_search_walk("p_org", "p_bases"[1], s."q", "p_budget", "p_walk_rows") k
        WHERE s."walk" OFFSET 0
      ) w ON true
      CROSS JOIN LATERAL (
        SELECT u."tid" FROM unnest(w."hits") AS u("tid")
        UNION ALL
        SELECT g."tid" FROM (SELECT c."ctid" AS "tid", c."org_id", c."knowledge_base_id"
          FROM "chunks" c WHERE c."search" @@ s."q" OFFSET 0) g
        WHERE (NOT s."walk" OR w."walked_to" IS NOT NULL)
          AND (NOT s."walk" OR g."tid" > w."walked_to")
          AND g."org_id" = "p_org" AND g."knowledge_base_id" = ANY ("p_bases")
      ) f
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
      CASE WHEN "p_snippets"
        THEN knowledge_snippet("p_language", c."text", "p_any", "p_words", "p_window", "p_before", "p_options")
        ELSE '' END
    FROM "ranked"
    JOIN "chunks" c ON c."id" = ranked."id"
    WHERE c."org_id" = "p_org"
    ORDER BY ranked."score" DESC;
END
$$;
--> statement-breakpoint
DROP FUNCTION "knowledge_search_rank"(uuid, uuid[], regconfig, tsquery, tsquery[], integer, tsquery[], float8[], integer, boolean, tsquery, text[], integer, integer, text);
