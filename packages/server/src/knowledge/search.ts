import { knowledgeBases, type OrgScope, type PreparedStatement, runPrepared } from "@oratio/db";
import { and, inArray, sql } from "drizzle-orm";
import {
  candidateLookups,
  quoteLexeme,
  type Term,
  WALK_ROWS,
  type WeighedTerm,
  weighTerms,
} from "./search-plan.ts";

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
 * `candidateLookups`). Two statements (a third for each further text-search language among
 * the bases): one reads the terms' frequencies, one finds, ranks and highlights. Both call
 * functions (migration 0010) whose plans each database session makes once: planning the
 * statements on every search cost more than running them on PGlite.
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
 * the query's lexemes in that language and their document frequencies across the group
 * (`knowledge_search_terms`, migration 0010: its plan is made once per session).
 */
async function planSearch(scope: OrgScope, ids: string[], query: string): Promise<SearchGroup[]> {
  const rows = (await run(scope, TERMS, [scope.orgId, arrayLiteral(ids), query])) as {
    language: string;
    ids: string[];
    lexemes: string[];
    dfs: number[];
  }[];
  return rows.map((row) => {
    const terms = row.lexemes.map((lexeme, i) => ({ lexeme, df: Number(row.dfs[i] ?? 0) }));
    return {
      language: row.language,
      ids: row.ids,
      chunks: terms.find((t) => t.lexeme === "")?.df ?? 0,
      terms: terms.filter((t) => t.lexeme !== ""),
    };
  });
}

const TERMS: PreparedStatement = {
  name: "knowledge_search_terms",
  text: "select language, ids::text[] as ids, lexemes, dfs from knowledge_search_terms($1, $2, $3)",
  types: ["uuid", "uuid[]", "text"],
};

const RANK: PreparedStatement = {
  name: "knowledge_search_rank",
  text: `select id, text, document_id as "documentId", title, url, page, heading_path as "headingPath", score, snippet
    from knowledge_search_rank($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
  types: [
    "uuid",
    "uuid[]",
    "regconfig",
    "tsquery",
    "tsquery[]",
    "boolean[]",
    "int",
    "int",
    "tsquery[]",
    "float8[]",
    "int",
    "boolean",
    "tsquery",
    "text[]",
    "int",
    "int",
    "text",
  ],
};

/**
 * Runs one of the search statements, prepared on the connection (parsed and planned once;
 * on PGlite, one round trip into WebAssembly instead of five). A transaction's handle
 * cannot hold prepared statements, so there the statement is sent whole.
 */
async function run(scope: OrgScope, statement: PreparedStatement, values: (string | number | null)[]) {
  if ((scope.db as { $client?: unknown }).$client) return runPrepared(scope.db, statement, values);
  // "…($1, $2)" splits into text, "1", text, "2", text. Every value travels as text, as it
  // does in the prepared form, and is cast in SQL (PGlite would want a boolean parameter
  // as a JavaScript boolean).
  const parts = statement.text.split(/\$(\d+)/).map((part, i) => {
    if (i % 2 === 0) return sql.raw(part);
    const n = Number(part) - 1;
    const value = values[n];
    return sql`${value === null || value === undefined ? null : String(value)}::text::${sql.raw(statement.types[n]!)}`;
  });
  const result = (await scope.db.execute(sql.join(parts))) as unknown as { rows: Record<string, unknown>[] };
  return result.rows;
}

/**
 * Most passages the rare-term lookup, and separately the common-term stream, may contribute:
 * ranking reads each candidate's tsvector, the dominant cost of a search. At 10k chunks of
 * the benchmark corpus, 100 found the fixture answers as often as 200 (22 and 23 of 57).
 */
export const RANK_BUDGET = 100;

/**
 * Finds the candidates through the lookups `candidateLookups` chose, ranks them and
 * highlights the best: one call of `knowledge_search_rank` (migration 0010, which explains
 * the plan; 0013 adds walked lookups), whose statement is planned once per database session
 * rather than per search. Lookups are walked only in a single base, where walking the base's
 * chunks finds the matches in the order GIN's do.
 */
async function rankCandidates(
  scope: OrgScope,
  { ids, language, chunks: total }: SearchGroup,
  terms: WeighedTerm[],
  topK: number,
  snippets: boolean,
): Promise<SearchResult[]> {
  const { exact, stream, walk } = candidateLookups(terms, RANK_BUDGET, total, { walkable: ids.length === 1 });
  const lexemes = terms.map((t) => quoteLexeme(t.lexeme));
  const rows = (await run(scope, RANK, [
    scope.orgId,
    arrayLiteral(ids),
    language,
    exact,
    arrayLiteral(stream),
    arrayLiteral(walk.map(String)),
    WALK_ROWS,
    RANK_BUDGET,
    arrayLiteral(lexemes),
    arrayLiteral(terms.map((t) => String(t.idf))),
    topK,
    String(snippets),
    lexemes.join(" | "),
    arrayLiteral(terms.map((t) => t.lexeme)),
    WINDOW,
    WINDOW_BEFORE,
    HEADLINE_OPTIONS,
  ])) as unknown as RankedRow[];
  return rows.map(toResult);
}

/**
 * A PostgreSQL array literal of `values`, passed as one text parameter and cast in SQL: the
 * drivers disagree on how a JavaScript array parameter is sent (PGlite would join it with
 * commas), a literal is understood by both.
 */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

/**
 * Passages of the organization by id, with citations and a snippet highlighting any of the
 * query's terms (`score` 0): for results ranked without highlighting. A passage that shares
 * no term with the query (found by meaning) gets its opening words. Ids not found (another
 * organization's, or deleted since) are left out.
 */
export async function highlightPassages(
  scope: OrgScope,
  ids: string[],
  query: string,
): Promise<SearchResult[]> {
  if (ids.length === 0) return [];
  const rows = (await run(scope, SNIPPETS, [
    scope.orgId,
    arrayLiteral(ids),
    query,
    WINDOW,
    WINDOW_BEFORE,
    HEADLINE_OPTIONS,
  ])) as unknown as RankedRow[];
  return rows.map((r) => toResult({ ...r, score: 0 }));
}

const SNIPPETS: PreparedStatement = {
  name: "knowledge_search_snippets",
  text: `select id, text, document_id as "documentId", title, url, page, heading_path as "headingPath", snippet
    from knowledge_search_snippets($1, $2, $3, $4, $5, $6)`,
  types: ["uuid", "uuid[]", "text", "int", "int", "text"],
};

function toResult(r: RankedRow): SearchResult {
  return {
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
  };
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
