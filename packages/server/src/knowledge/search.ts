import { chunks, knowledgeBases, type OrgScope } from "@oratio/db";
import { and, inArray, notInArray, sql } from "drizzle-orm";

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
 * Full-text search over an organization's knowledge bases. Customer questions are loose
 * ("do u take my insurance"), so the query's terms are OR-ed and ranking rewards passages
 * that match more of them, with titles and headings weighted above body text. The query
 * runs once per text-search language among the bases, each using the GIN index.
 */
export async function searchKnowledge(
  scope: OrgScope,
  knowledgeBaseIds: string[],
  query: string,
  topK = 5,
): Promise<SearchResult[]> {
  if (knowledgeBaseIds.length === 0 || !query.trim()) return [];
  const bases = await scope.db
    .select({ id: knowledgeBases.id, language: sql<string>`${knowledgeBases.language}::text` })
    .from(knowledgeBases)
    .where(scope.where(knowledgeBases, inArray(knowledgeBases.id, knowledgeBaseIds)));
  const byLanguage = new Map<string, string[]>();
  for (const b of bases) byLanguage.set(b.language, [...(byLanguage.get(b.language) ?? []), b.id]);

  const results: SearchResult[] = [];
  for (const [language, ids] of byLanguage) {
    results.push(...(await searchLanguage(scope, ids, language, query, topK)));
  }
  return results.sort((a, b) => b.score - a.score).slice(0, topK);
}

/**
 * Customer questions are loose ("do u take my insurance"): requiring every word finds
 * little, and accepting any word matches (and must rank) much of the index. So the query
 * is relaxed in tiers — all terms, then any two, then any one — and a tier runs only when
 * the stricter ones found fewer than `topK` passages. Passages matching more terms rank first.
 */
async function searchLanguage(
  scope: OrgScope,
  ids: string[],
  language: string,
  query: string,
  topK: number,
): Promise<SearchResult[]> {
  const lexemes = await queryLexemes(scope, language, query);
  if (lexemes.length === 0) return [];
  const tiers = [lexemes.join(" & ")];
  if (lexemes.length >= 3 && lexemes.length <= 8) {
    tiers.push(lexemes.flatMap((a, i) => lexemes.slice(i + 1).map((b) => `(${a} & ${b})`)).join(" | "));
  }
  if (lexemes.length >= 2) tiers.push(lexemes.join(" | "));

  const results: SearchResult[] = [];
  const seen = new Set<string>();
  for (const [tier, tsqueryText] of tiers.entries()) {
    const rows = await rankTier(scope, ids, language, tsqueryText, topK, [...seen]);
    for (const row of rows) {
      if (seen.has(row.chunkId)) continue;
      seen.add(row.chunkId);
      // Earlier tiers outrank later ones whatever their ts_rank.
      results.push({ ...row, score: tiers.length - tier + row.score });
    }
    if (results.length >= topK) break;
  }
  return results.slice(0, topK);
}

/** The query's normalised terms (stemmed, stop words removed), quoted for to_tsquery. */
async function queryLexemes(scope: OrgScope, language: string, query: string): Promise<string[]> {
  const result = (await scope.db.execute(
    sql`select plainto_tsquery(${language}::regconfig, ${query})::text as q`,
  )) as unknown as { rows: { q: string }[] };
  const text = result.rows[0]?.q ?? "";
  return [
    ...new Set(
      text
        .split(" & ")
        .map((l) => l.trim())
        .filter((l) => /^'.+'$/.test(l)),
    ),
  ];
}

const CANDIDATE_LIMIT = 500;

async function rankTier(
  scope: OrgScope,
  ids: string[],
  language: string,
  tsqueryText: string,
  topK: number,
  exclude: string[],
): Promise<SearchResult[]> {
  const tsquery = sql`to_tsquery(${language}::regconfig, ${tsqueryText})`;
  // Ranking reads every matching row, so it is bounded: at most CANDIDATE_LIMIT matches of
  // a tier are ranked. Strict tiers rarely reach it; when a loose tier does, the stricter
  // tiers have already supplied the best passages.
  const candidates = scope.db
    .select({ id: chunks.id })
    .from(chunks)
    .where(
      scope.where(
        chunks,
        inArray(chunks.knowledgeBaseId, ids),
        sql`${chunks.search} @@ ${tsquery}`,
        exclude.length ? notInArray(chunks.id, exclude) : undefined,
      ),
    )
    .limit(CANDIDATE_LIMIT);
  const top = scope.db
    .select({
      id: chunks.id,
      text: chunks.text,
      documentId: chunks.documentId,
      title: chunks.title,
      url: chunks.url,
      page: chunks.page,
      headingPath: chunks.headingPath,
      // Normalisation 1 divides by 1 + log(length), so long chunks do not win on bulk alone.
      score: sql<number>`ts_rank(${chunks.search}, ${tsquery}, 1)`.as("score"),
    })
    .from(chunks)
    .where(inArray(chunks.id, candidates))
    .orderBy(sql`score desc`)
    .limit(topK)
    .as("top");
  // Highlighting is costly, so it runs on the top rows only.
  const rows = await scope.db
    .select({
      id: top.id,
      text: top.text,
      documentId: top.documentId,
      title: top.title,
      url: top.url,
      page: top.page,
      headingPath: top.headingPath,
      score: top.score,
      snippet: sql<string>`ts_headline(${language}::regconfig, ${top.text}, ${tsquery}, 'StartSel=**, StopSel=**, MaxWords=45, MinWords=20, MaxFragments=2, FragmentDelimiter=" … "')`,
    })
    .from(top)
    .orderBy(sql`${top.score} desc`);
  return rows.map((r) => ({
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

/** Knowledge bases that exist in the organization, out of `ids` (to validate references). */
export async function existingKnowledgeBases(scope: OrgScope, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await scope.db
    .select({ id: knowledgeBases.id })
    .from(knowledgeBases)
    .where(and(scope.where(knowledgeBases), inArray(knowledgeBases.id, ids)));
  return new Set(rows.map((r) => r.id));
}
