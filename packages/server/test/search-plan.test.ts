import { describe, expect, it } from "vitest";
import {
  candidateLookups,
  MAX_TERMS,
  quoteLexeme,
  shouldWalk,
  WALK_ROWS,
  weighTerms,
} from "../src/knowledge/search-plan.ts";

describe("weighing query terms by document frequency", () => {
  it("drops terms no chunk holds, sorts rarest first and gives rarer terms more weight", () => {
    const weighed = weighTerms(
      [
        { lexeme: "pay", df: 500 },
        { lexeme: "invisalign", df: 0 },
        { lexeme: "cigna", df: 3 },
        { lexeme: "insur", df: 120 },
      ],
      1000,
    );
    expect(weighed.map((t) => t.lexeme)).toEqual(["cigna", "insur", "pay"]);
    expect(weighed[0]!.idf).toBeGreaterThan(weighed[1]!.idf);
    expect(weighed[1]!.idf).toBeGreaterThan(weighed[2]!.idf);
    expect(weighed[2]!.idf).toBeGreaterThan(0);
  });

  it("keeps only the rarest terms of a long question, each once", () => {
    const terms = Array.from({ length: 20 }, (_, i) => ({ lexeme: `w${i}`, df: 100 - i }));
    const weighed = weighTerms([...terms, { lexeme: "w19", df: 81 }], 1000);
    expect(weighed).toHaveLength(MAX_TERMS);
    expect(weighed[0]!.lexeme).toBe("w19");
    expect(new Set(weighed.map((t) => t.lexeme)).size).toBe(MAX_TERMS);
  });
});

describe("quoting lexemes for tsquery", () => {
  it("escapes quotes and backslashes so a lexeme cannot change the query", () => {
    expect(quoteLexeme("o'neil")).toBe("'o''neil'");
    expect(quoteLexeme("a\\b")).toBe("'a\\\\b'");
    expect(quoteLexeme("x' | 'y")).toBe("'x'' | ''y'");
  });
});

/** Terms with these document frequencies in a base of 100,000 chunks. */
const terms = (dfs: Record<string, number>) =>
  weighTerms(
    Object.entries(dfs).map(([lexeme, df]) => ({ lexeme, df })),
    100_000,
  );

describe("choosing candidate lookups", () => {
  it("reads every chunk holding any term when together they fit the budget", () => {
    expect(candidateLookups(terms({ cigna: 40, hmo: 60 }), 200, 100_000)).toEqual({
      exact: "'cigna' | 'hmo'",
      stream: [],
      walk: [],
    });
  });

  it("reads rare terms whole and streams AND lookups over the common ones, strictest first", () => {
    const plan = candidateLookups(terms({ straw: 150, tooth: 5000, pull: 7000, drink: 9000 }), 200, 100_000);
    expect(plan.exact).toBe("'straw'");
    expect(plan.stream).toEqual(["'tooth' & 'pull' & 'drink'", "'tooth' & 'pull'", "'tooth'"]);
  });

  it("starts from the loosest AND lookup expected to fit the budget: the stricter find subsets of it", () => {
    const plan = candidateLookups(terms({ a: 1000, b: 2000, c: 3000 }), 200, 100_000);
    expect(plan.stream).toEqual(["'a' & 'b'", "'a'"]);
  });

  it("never ORs common terms together", () => {
    const plan = candidateLookups(terms({ book: 15000, onlin: 12000 }), 200, 100_000);
    expect(plan.exact).toBeNull();
    expect(plan.stream).toEqual(["'onlin' & 'book'", "'onlin'"]);
    for (const q of plan.stream) expect(q).not.toContain("|");
  });

  it("combines at most five common terms", () => {
    const plan = candidateLookups(
      terms({ a: 5000, b: 6000, c: 7000, d: 8000, e: 9000, f: 10000, g: 11000 }),
      50,
      100_000,
    );
    expect(plan.stream[0]).toBe("'a' & 'b' & 'c' & 'd' & 'e'");
    expect(plan.stream).toHaveLength(5);
  });

  it("plans nothing for a query with no known terms", () => {
    expect(candidateLookups([], 200, 100_000)).toEqual({ exact: null, stream: [], walk: [] });
  });
});

describe("walking lookups whose matches are dense", () => {
  it("walks the lookups expected to fill the budget early in the base, and only in a single base", () => {
    // 'oral' & 'work' are expected together in 1 chunk of 20 (~2,000 tested to find 100):
    // GIN; 'oral' alone in 15% (~700 tested): walked.
    const dense = terms({ oral: 15_000, work: 34_000 });
    expect(candidateLookups(dense, 100, 100_000, { walkable: true })).toEqual({
      exact: null,
      stream: ["'oral' & 'work'", "'oral'"],
      walk: [false, true],
    });
    expect(candidateLookups(terms({ work: 34_000 }), 100, 100_000, { walkable: true }).walk).toEqual([true]);
    expect(candidateLookups(terms({ work: 34_000 }), 100, 100_000).walk).toEqual([false]);
    expect(candidateLookups(terms({ work: 34_000 }), 100, 100_000, { walkable: false }).walk).toEqual([
      false,
    ]);
  });

  it("expects matches no denser than independent terms would give, within half the walk's bound", () => {
    const n = 100_000;
    const t = (...dfs: number[]) => dfs.map((df, i) => ({ lexeme: `t${i}`, df }));
    expect(shouldWalk(t(34_000), 100, n)).toBe(true);
    expect(shouldWalk(t(32_000, 41_000, 84_000), 100, n)).toBe(true); // ~0.11: ~900 tested
    expect(shouldWalk(t(24_000, 34_000), 100, n)).toBe(true); // ~0.08: ~1,200 tested
    expect(shouldWalk(t(15_000, 34_000), 100, n)).toBe(false); // ~0.05: ~2,000 tested
    const tested = (density: number) => 100 / density;
    expect(tested(0.24 * 0.34)).toBeLessThanOrEqual(WALK_ROWS / 2);
    expect(tested(0.15 * 0.34)).toBeGreaterThan(WALK_ROWS / 2);
  });

  it("leaves to GIN a lookup whose term is rare enough for GIN to be cheap", () => {
    // A small base where 'caller' is in half the chunks: 200 tested, but GIN reads 500 entries.
    expect(shouldWalk([{ lexeme: "caller", df: 500 }], 100, 1000)).toBe(false);
    expect(shouldWalk([{ lexeme: "caller", df: 5000 }], 100, 10_000)).toBe(true);
  });
});
