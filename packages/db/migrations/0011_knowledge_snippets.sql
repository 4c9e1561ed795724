-- Highlighting as one function, shared by full-text ranking (knowledge_search_rank, which
-- now calls it) and by the passages hybrid search shows (knowledge_search_snippets).
--
-- knowledge_snippet: ts_headline over a p_window-character window of p_text that starts
-- p_before characters ahead of the first place one of p_words appears (stems mostly prefix
-- the word), trimmed to whole words by its first and last space; the opening of the text
-- when none appears. Highlighting parses the text it is given, and a whole chunk costs
-- several times more. The text is lowercased as ASCII (collation "C"): locale-aware
-- lowercasing of a whole chunk cost more than the rest of the window's search on PGlite,
-- and a missed capital non-ASCII letter only moves the window to a later hit.
CREATE FUNCTION "knowledge_snippet"(
  "p_language" regconfig, "p_text" text, "p_any" tsquery, "p_words" text[],
  "p_window" integer, "p_before" integer, "p_options" text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
  "v_lower" text;
  "v_first" integer;
  "v_raw" text;
BEGIN
  IF length("p_text") <= "p_window" THEN
    RETURN ts_headline("p_language", "p_text", "p_any", "p_options");
  END IF;
  "v_lower" := lower("p_text" COLLATE "C");
  SELECT min(nullif(strpos("v_lower", h."word"), 0)) INTO "v_first" FROM unnest("p_words") AS h("word");
  "v_raw" := substr("p_text", greatest(1, coalesce("v_first", 1) - "p_before"), "p_window");
  "v_raw" := substr("v_raw", strpos("v_raw", ' ') + 1,
    length("v_raw") - strpos("v_raw", ' ') - strpos(reverse("v_raw"), ' '));
  RETURN ts_headline("p_language", "v_raw", "p_any", "p_options");
END
$$;
--> statement-breakpoint
-- knowledge_search_rank: as in 0010, highlighting through knowledge_snippet.
CREATE OR REPLACE FUNCTION "knowledge_search_rank"(
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
-- knowledge_search_snippets: passages of the organization by id, with citations and a
-- snippet highlighting any of the query's terms (in each chunk's language) — for results a
-- caller ranked without highlighting (hybrid search highlights only the passages it shows).
CREATE FUNCTION "knowledge_search_snippets"(
  "p_org" uuid, "p_ids" uuid[], "p_query" text,
  "p_window" integer, "p_before" integer, "p_options" text)
RETURNS TABLE (
  "id" uuid, "text" text, "document_id" uuid, "title" text, "url" text, "page" integer,
  "heading_path" text[], "snippet" text)
LANGUAGE plpgsql STABLE
SET "plan_cache_mode" = force_generic_plan
SET "enable_seqscan" = off
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    SELECT c."id", c."text", c."document_id", c."title", c."url", c."page", c."heading_path",
      knowledge_snippet(c."language", c."text",
        replace(plainto_tsquery(c."language", "p_query")::text, ' & ', ' | ')::tsquery,
        tsvector_to_array(to_tsvector(c."language", "p_query")),
        "p_window", "p_before", "p_options")
    FROM "chunks" c
    WHERE c."org_id" = "p_org" AND c."id" = ANY ("p_ids");
END
$$;
