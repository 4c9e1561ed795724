import { chunks, knowledgeBases, type OrgScope } from "@oratio/db";
import { and, inArray, sql } from "drizzle-orm";
import { candidateLookups, quoteLexeme, type Term, type WeighedTerm, weighTerms } from "./search-plan.ts";

export interface Citation {
  documentId: string;
  title: string;
  url: string | null;
  page: number | null;
  headingPath: string[];
}

export interface SearchResult {
  chunkId: string;
  text: string;
  /** The passage with matched terms wrapped in `**`. */
  snippet: string;
  score: number;
  citation: Citation;
}

/**
 * Full-text search over an organization's knowledge bases, ranked like BM25: each query
 * term counts by how rare it is in the bases searched (its document frequency, kept in
 * `knowledge_terms`) times how strongly the passage holds it (`ts_rank` of that term, which
 * saturates with repetition and weighs titles and headings above body text).
 *
 * Customer questions are loose ("do u take my insurance"), so a passage need not hold every
 * term. Ranking is the costly part (it reads each passage's tsvector), so only a bounded set
 * of candidates is ranked, found through the GIN index by the query's rarest terms (see
 * `candidateLookups`). Two statements per text-search language: one reads the terms'
 * frequencies, one finds, ranks and highlights.
 */
export async function searchKnowledge(
  scope: OrgScope,
  knowledgeBaseIds: string[],
  query: string,
  topK = 5,
  options: SearchOptions = {},
): Promise<SearchResult[]> {
  if (knowledgeBaseIds.length === 0 || !query.trim() || topK < 1) return [];
  const groups = await planSearch(scope, knowledgeBaseIds, query);
  const results: SearchResult[] = [];
  for (const group of groups) {
    const weighed = weighTerms(group.terms, group.chunks);
    if (weighed.length === 0) continue;
    results.push(...(await rankCandidates(scope, group, weighed, topK, options.snippets ?? true)));
  }
  return results.sort((a, b) => b.score - a.score).slice(0, topK);
}

export interface SearchOptions {
  /**
   * Highlight the passages (default true). Highlighting parses each result's text, so a
   * caller that ranks deeper than it shows (fusion) can skip it and highlight its final few.
   * Without it, `snippet` is the empty string.
   */
  snippets?: boolean;
}

interface SearchGroup {
  language: string;
  ids: string[];
  /** Chunks in these bases. */
  chunks: number;
  terms: Term[];
}

/**
 * The organization's bases among `ids`, grouped by text-search language, each group with
 * the query's lexemes in that language and their document frequencies across the group.
 */
async function planSearch(scope: OrgScope, ids: string[], query: string): Promise<SearchGroup[]> {
  const result = (await scope.db.execute(sql`
    with bases as (
      select language, array_agg(id) as ids from ${knowledgeBases}
      where ${scope.where(knowledgeBases, inArray(knowledgeBases.id, ids))}
      group by language
    )
    select bases.language::text as language, bases.ids::text[] as ids,
      (select json_agg(json_build_array(w.lexeme, (
          select coalesce(sum(t.chunks), 0)::int from knowledge_terms t
          where t.knowledge_base_id = any(bases.ids) and t.lexeme = w.lexeme)))
        from unnest(tsvector_to_array(to_tsvector(bases.language, ${query})) || '{""}'::text[]) as w(lexeme)
      ) as terms
    from bases`)) as unknown as {
    rows: { language: string; ids: string[]; terms: [string, number][] }[];
  };
  return result.rows.map((row) => {
    const total = row.terms.find(([lexeme]) => lexeme === "")?.[1] ?? 0;
    return {
      language: row.language,
      ids: row.ids,
      chunks: total,
      terms: row.terms.filter(([lexeme]) => lexeme !== "").map(([lexeme, df]) => ({ lexeme, df })),
    };
  });
}

/**
 * Most passages the rare-term lookup, and separately the common-term stream, may contribute:
 * ranking reads each candidate's tsvector, the dominant cost of a search. At 10k chunks of
 * the benchmark corpus, 100 found the fixture answers as often as 200 (22 and 23 of 57).
 */
export const RANK_BUDGET = 100;

async function rankCandidates(
  scope: OrgScope,
  { ids, language, chunks: total }: SearchGroup,
  terms: WeighedTerm[],
  topK: number,
  snippets: boolean,
): Promise<SearchResult[]> {
  const inBases = scope.where(chunks, inArray(chunks.knowledgeBaseId, ids));
  // Each lookup is a materialized CTE: planned for full retrieval (a bitmap scan of the GIN
  // index, whatever the statistics say; a LIMIT inside would invite a sequential scan that
  // tests every row), yet read lazily, so a LIMIT outside stops it after that many rows.
  // The tenant and base filter sits outside an `offset 0` fence, where the planner cannot
  // push it down: with stale statistics (PGlite never analyzes) it would otherwise prefer
  // the (org, base) B-tree and test the tsvector of every chunk in the base.
  const { exact, stream } = candidateLookups(terms, RANK_BUDGET, total);
  const lookups = [...(exact ? [exact] : []), ...stream];
  const ctes = lookups.map(
    (q, i) =>
      sql`${sql.raw(`l${i}`)} as materialized (select tid from (select ctid as tid, org_id, knowledge_base_id from ${chunks} where search @@ ${q}::tsquery offset 0) ${chunks} where ${inBases})`,
  );
  const streamed = stream.map((_, i) => sql`select tid from ${sql.raw(`l${i + (exact ? 1 : 0)}`)}`);
  const union = sql.join(
    [
      ...(exact ? [sql`(select tid from l0 limit ${RANK_BUDGET})`] : []),
      ...(streamed.length
        ? [sql`(select tid from (${sql.join(streamed, sql` union all `)}) s limit ${RANK_BUDGET})`]
        : []),
    ],
    sql` union `,
  );
  const score = sql.join(
    terms.map((t) => sql`${t.idf}::float8 * ts_rank(v, ${quoteLexeme(t.lexeme)}::tsquery, 1)`),
    sql` + `,
  );
  const anyTerm = terms.map((t) => quoteLexeme(t.lexeme)).join(" | ");
  const firstHit = sql.join(
    terms.map((t) => sql`nullif(strpos(lower(c.text), ${t.lexeme}), 0)`),
    sql`, `,
  );
  // Candidates travel as row addresses (ctid), so ranking fetches them with a TID scan
  // rather than a primary-key lookup each; both happen inside one statement, where the
  // addresses cannot change. `v` is the tsvector read (and decompressed) once per
  // candidate: the subquery is fenced
  // with `offset 0` so the planner cannot inline it and re-read it for every term.
  // Highlighting parses the text it is given, so it gets a window around the first place a
  // query term appears (stems mostly prefix the word), trimmed to whole words (by the first
  // and last space: cheaper than a regular expression).
  const rows = (await scope.db.execute(sql`
    with ${sql.join(ctes, sql`, `)},
    candidates as (${union}),
    ranked as (
      select id, ${score} as score
      from (
        select c.id, c.search || ''::tsvector as v from ${chunks} c
        where c.ctid = any(array(select tid from candidates)) offset 0
      ) read
      order by score desc
      limit ${topK}
    )
    select c.id, c.text, c.document_id as "documentId", c.title, c.url, c.page,
      c.heading_path as "headingPath", ranked.score,
      ${snippets ? sql`ts_headline(${language}::regconfig, w.excerpt, ${anyTerm}::tsquery, ${HEADLINE_OPTIONS})` : sql`''`} as snippet
    from ranked
    join ${chunks} c on c.id = ranked.id
    cross join lateral (
      select case when length(c.text) <= ${WINDOW} then c.text
        else substr(c.text, greatest(1, coalesce(least(${firstHit}), 1) - ${WINDOW_BEFORE}), ${WINDOW})
      end as raw
    ) r
    cross join lateral (
      select case when r.raw = c.text then c.text
        else substr(r.raw, strpos(r.raw, ' ') + 1, length(r.raw) - strpos(r.raw, ' ') - strpos(reverse(r.raw), ' '))
      end as excerpt
    ) w
    where c.org_id = ${scope.orgId}
    order by ranked.score desc`)) as unknown as { rows: RankedRow[] };
  return rows.rows.map((r) => ({
    chunkId: r.id,
    text: r.text,
    snippet: r.snippet,
    score: Number(r.score),
    citation: {
      documentId: r.documentId,
      title: r.title,
      url: r.url,
      page: r.page,
      headingPath: r.headingPath,
    },
  }));
}

/** The highlighted window: characters of text, and how many of them precede the first hit. */
const WINDOW = 500;
const WINDOW_BEFORE = 150;
const HEADLINE_OPTIONS =
  'StartSel=**, StopSel=**, MaxWords=45, MinWords=20, MaxFragments=2, FragmentDelimiter=" … "';

interface RankedRow {
  id: string;
  text: string;
  documentId: string;
  title: string;
  url: string | null;
  page: number | null;
  headingPath: string[];
  score: number | string;
  snippet: string;
}

/** Knowledge bases that exist in the organization, out of `ids` (to validate references). */
export async function existingKnowledgeBases(scope: OrgScope, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await scope.db
    .select({ id: knowledgeBases.id })
    .from(knowledgeBases)
    .where(and(scope.where(knowledgeBases), inArray(knowledgeBases.id, ids)));
  return new Set(rows.map((r) => r.id));
}
