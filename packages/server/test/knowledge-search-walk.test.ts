import { chunks, type DatabaseHandle, documents, knowledgeBases, organizations } from "@oratio/db";
import { openTestDatabase } from "@oratio/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A lookup walked through a base's chunks (knowledge_search_walk, migration 0013) must find
// the chunks a GIN lookup finds, in the same order, bounded walk or not: which candidates
// get ranked must not depend on how they were found.

let database: DatabaseHandle;
let orgId: string;
let kbId: string;
/** Chunks of the base in insertion order; every third holds "visit", the first 60 none. */
let ids: string[];

beforeAll(async () => {
  database = await openTestDatabase();
  const db = database.db;
  const [org] = await db.insert(organizations).values({ name: "walk" }).returning();
  const [kb] = await db.insert(knowledgeBases).values({ orgId: org!.id, name: "walk" }).returning();
  const [other] = await db.insert(knowledgeBases).values({ orgId: org!.id, name: "other" }).returning();
  const doc = async (knowledgeBaseId: string) =>
    (
      await db
        .insert(documents)
        .values({ orgId: org!.id, knowledgeBaseId, name: "d.md", type: "markdown", status: "ready" })
        .returning()
    )[0]!.id;
  const [docId, otherDocId] = [await doc(kb!.id), await doc(other!.id)];
  orgId = org!.id;
  kbId = kb!.id;
  ids = [];
  // One chunk at a time, alternating with another base's, so the bases' rows interleave.
  for (let i = 0; i < 240; i++) {
    const holds = i >= 60 && i % 3 === 0;
    const text = `${holds ? "Book a visit ".repeat(1 + (i % 5)) : "Opening hours "}number ${i}.`;
    const [row] = await db
      .insert(chunks)
      .values({ ...chunk(i, text), orgId, knowledgeBaseId: kbId, documentId: docId })
      .returning({ id: chunks.id });
    ids.push(row!.id);
    await db
      .insert(chunks)
      .values({ ...chunk(i, `Visit us, ${i}.`), orgId, knowledgeBaseId: other!.id, documentId: otherDocId });
  }
});
afterAll(async () => {
  await database.close();
});

function chunk(position: number, text: string) {
  return {
    position,
    text,
    title: "Passage",
    headingPath: [],
    headingText: "",
    charStart: 0,
    charEnd: text.length,
    tokenCount: 10,
  };
}

/** The ids of the base's chunks at `tids`, in that order. */
async function idsAt(tids: string[]): Promise<string[]> {
  if (tids.length === 0) return [];
  const result = (await database.db.execute(
    sql`select c.id, c.ctid::text as tid from chunks c where c.ctid = any(${`{${tids.map((t) => `"${t}"`).join(",")}}`}::tid[])`,
  )) as unknown as { rows: { id: string; tid: string }[] };
  const byTid = new Map(result.rows.map((r) => [r.tid, r.id]));
  return tids.map((t) => byTid.get(t)!);
}

async function walk(query: string, limit: number, rows: number) {
  const result = (await database.db.execute(
    sql`select hits::text[] as hits, walked_to::text as "walkedTo"
      from knowledge_search_walk(${orgId}::uuid, ${kbId}::uuid, ${query}::tsquery, ${limit}::int, ${rows}::int)`,
  )) as unknown as { rows: { hits: string[]; walkedTo: string | null }[] };
  const [row] = result.rows;
  return { hits: await idsAt(row!.hits), walkedTo: row!.walkedTo };
}

/** Every candidate the ranking function finds for a stream over `query`, best first. */
async function ranked(query: string, walkIt: boolean, walkRows: number, budget: number) {
  const result = (await database.db.execute(sql`
    select id from knowledge_search_rank(${orgId}::uuid, ${`{${kbId}}`}::uuid[], 'english'::regconfig,
      null::tsquery, ${`{"${query}"}`}::tsquery[], ${`{${walkIt}}`}::boolean[], ${walkRows}::int,
      ${budget}::int, ${`{"${query}"}`}::tsquery[], '{1}'::float8[], 1000, false, ${query}::tsquery,
      '{}'::text[], 500, 150, '')`)) as unknown as { rows: { id: string }[] };
  return result.rows.map((r) => r.id);
}

const holding = () => ids.filter((_, i) => i >= 60 && i % 3 === 0);

describe("walking a base for a lookup's matches", () => {
  it("finds the first matches in the order the base's chunks were written", async () => {
    const { hits, walkedTo } = await walk("'visit'", 10, 1000);
    expect(hits).toEqual(holding().slice(0, 10));
    expect(walkedTo).toBeNull();
  });

  it("stops at its bound and says where, unless it reached the end of the base", async () => {
    const bounded = await walk("'visit'", 100, 90);
    expect(bounded.hits).toEqual(holding().slice(0, 10)); // chunks 60, 63, … 87
    expect(await idsAt([bounded.walkedTo!])).toEqual([ids[89]]);
    const whole = await walk("'visit'", 100, 240);
    expect(whole.hits).toEqual(holding());
    expect(whole.walkedTo).toBeNull();
  });

  it("gives the ranking the same candidates as the GIN lookup, however far it walks", async () => {
    for (const budget of [5, 30, 100]) {
      const gin = await ranked("'visit'", false, 0, budget);
      expect(gin).toHaveLength(Math.min(budget, holding().length));
      expect(new Set(gin)).toEqual(new Set(holding().slice(0, budget)));
      for (const rows of [1, 59, 61, 100, 239, 240, 2000]) {
        expect(
          (await ranked("'visit'", true, rows, budget)).sort(),
          `budget ${budget}, rows ${rows}`,
        ).toEqual([...gin].sort());
      }
    }
  });
});
