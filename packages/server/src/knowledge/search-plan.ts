/**
 * Query planning for knowledge search, from the query terms' document frequencies: how much
 * each term weighs, and which GIN lookups find the passages worth ranking without reading
 * thousands of rows for the common words customers use ("pay", "open", "appointment").
 */

export interface Term {
  lexeme: string;
  /** Chunks (in the bases searched) that contain the lexeme. */
  df: number;
}

export interface WeighedTerm extends Term {
  idf: number;
}

/** Longer questions keep their rarest terms: the rest add cost and little ranking signal. */
export const MAX_TERMS = 12;

/**
 * BM25's inverse document frequency for each term the bases contain, rarest first. Terms no
 * passage holds are dropped: they cannot match, and a GIN AND over them would find nothing.
 */
export function weighTerms(terms: Term[], chunks: number): WeighedTerm[] {
  const n = Math.max(chunks, 1);
  return [...new Map(terms.map((t) => [t.lexeme, t])).values()]
    .filter((t) => t.df > 0)
    .sort((a, b) => a.df - b.df || (a.lexeme < b.lexeme ? -1 : 1))
    .slice(0, MAX_TERMS)
    .map((t) => ({ ...t, idf: Math.log(1 + (n - t.df + 0.5) / (t.df + 0.5)) }));
}

/** A tsquery lexeme literal: the lexeme is already normalised, so it must not be re-parsed. */
export function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

export interface CandidateLookups {
  /** tsquery text matching at most the budget's worth of chunks; read whole. */
  exact: string | null;
  /**
   * tsquery texts from strictest to loosest, read in order until the budget is filled: AND
   * lookups over common terms, which GIN answers by stepping through the rarest one's
   * posting list and skipping in the others, however long those are.
   */
  stream: string[];
  /**
   * One flag per stream lookup: find its matches by walking the base's chunks in order,
   * testing each (at most `WALK_ROWS`, then through GIN past the last one walked), rather
   * than through GIN alone. GIN builds the bitmap of every match before returning the first,
   * so a lookup matching a third of the base costs as much as reading all of them; a walk
   * stops at the budget. Only in a single base, whose chunks come in the order GIN's do.
   */
  walk: boolean[];
}

/**
 * Most chunks a walked lookup tests before going on through GIN (a bound for when matches
 * are rarer than expected: about 7 ms on PGlite).
 */
export const WALK_ROWS = 3000;

/**
 * Testing one chunk in a walk (reading and decompressing its tsvector) costs about as much
 * as GIN handling this many entries of a lookup's rarest term; a lookup is walked when the
 * chunks it is expected to test cost less than GIN would.
 */
const WALK_COST = 8;

/** Common terms the stream combines (the rarest of them). */
const STREAM_TERMS = 5;

/**
 * Co-occurring query words are correlated ("root" and "canal"), so an AND lookup is taken to
 * match this many times what independent terms would.
 */
const CORRELATION = 4;

/**
 * The GIN lookups whose union is the candidate set, given terms rarest first and the number
 * of chunks in the bases:
 *  - when all terms together occur in at most `budget` chunks, every chunk holding any of
 *    them, exactly (ranking then sees everything that could match);
 *  - otherwise every chunk holding any of the rarest terms (as many as fit the budget
 *    together), plus a stream over the common terms c1…cn: chunks holding c1…ck for the
 *    loosest k expected to fit the budget (the stricter lookups would find subsets of it),
 *    or holding all of them when none does, then looser and looser down to c1 alone.
 *    Rarer terms weigh more in ranking, so passages holding the rarest common terms are the
 *    likeliest answers.
 * Lookups never OR common terms together: GIN must then walk every one of their (very long)
 * posting lists before returning a single row. An AND lookup steps through its rarest
 * term's list and skips in the others, so leaving out the commonest terms is what keeps it
 * cheap.
 */
export function candidateLookups(
  terms: WeighedTerm[],
  budget: number,
  chunks: number,
  options: { walkable?: boolean } = {},
): CandidateLookups {
  if (terms.length === 0) return { exact: null, stream: [], walk: [] };
  const any = (ts: Term[]) => ts.map((t) => quoteLexeme(t.lexeme)).join(" | ");
  const all = (ts: Term[]) => ts.map((t) => quoteLexeme(t.lexeme)).join(" & ");
  let rareTotal = 0;
  let rare = 0;
  while (rare < terms.length && rareTotal + terms[rare]!.df <= budget) rareTotal += terms[rare++]!.df;
  if (rare === terms.length) return { exact: any(terms), stream: [], walk: [] };
  const common = terms.slice(rare, rare + STREAM_TERMS);
  const n = Math.max(chunks, 1);
  // Expected matches of c1…ck, for k = 1…n.
  let expected = n;
  const sizes = common.map((t, k) => {
    expected *= t.df / n;
    return Math.min(t.df, expected * CORRELATION ** k);
  });
  const fits = sizes.findIndex((size) => size <= budget);
  const strictest = fits === -1 ? common.length : fits + 1;
  const stream: string[] = [];
  const walk: boolean[] = [];
  for (let k = strictest; k >= 1; k--) {
    stream.push(all(common.slice(0, k)));
    walk.push(options.walkable === true && shouldWalk(common.slice(0, k), budget, n));
  }
  return { exact: rare > 0 ? any(terms.slice(0, rare)) : null, stream, walk };
}

/**
 * Whether to walk the AND lookup over `terms` (rarest first) in a base of `n` chunks: when
 * the chunks a walk is expected to test to find `budget` matches (taking the terms as
 * independent, which co-occurring words beat) are at most half the walk's bound and cost
 * less than GIN stepping through the rarest term's entries.
 */
export function shouldWalk(terms: Term[], budget: number, n: number): boolean {
  const density = terms.reduce((d, t) => (d * t.df) / n, 1);
  if (density <= 0) return false;
  const tested = budget / density;
  return tested <= WALK_ROWS / 2 && tested * WALK_COST <= terms[0]!.df;
}
