import {
  chunks,
  type DatabaseHandle,
  documents,
  knowledgeBases,
  knowledgeTerms,
  OrgScope,
  organizations,
} from "@oratio/db";
import { openTestDatabase } from "@oratio/db/testing";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RANK_BUDGET, searchKnowledge } from "../src/knowledge/search.ts";

let database: DatabaseHandle;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

async function createBase(name: string) {
  const db = database.db;
  const [org] = await db.insert(organizations).values({ name }).returning();
  const [kb] = await db.insert(knowledgeBases).values({ orgId: org!.id, name }).returning();
  const [doc] = await db
    .insert(documents)
    .values({
      orgId: org!.id,
      knowledgeBaseId: kb!.id,
      name: `${name}.md`,
      type: "markdown",
      status: "ready",
    })
    .returning();
  return { scope: new OrgScope(db, org!.id), orgId: org!.id, kbId: kb!.id, docId: doc!.id };
}

type Base = Awaited<ReturnType<typeof createBase>>;

function insertChunks(base: Base, passages: { text: string; title?: string; heading?: string }[]) {
  return database.db
    .insert(chunks)
    .values(
      passages.map((p, i) => ({
        orgId: base.orgId,
        knowledgeBaseId: base.kbId,
        documentId: base.docId,
        position: i,
        text: p.text,
        title: p.title ?? "Passage",
        headingPath: p.heading ? [p.heading] : [],
        headingText: p.heading ?? "",
        charStart: 0,
        charEnd: p.text.length,
        tokenCount: Math.ceil(p.text.length / 4),
      })),
    )
    .returning({ id: chunks.id });
}

async function terms(kbId: string): Promise<Record<string, number>> {
  const rows = await database.db
    .select({ lexeme: knowledgeTerms.lexeme, chunks: knowledgeTerms.chunks })
    .from(knowledgeTerms)
    .where(eq(knowledgeTerms.knowledgeBaseId, kbId));
  return Object.fromEntries(rows.filter((r) => r.chunks > 0).map((r) => [r.lexeme, r.chunks]));
}

describe("term statistics", () => {
  it("count the chunks holding each lexeme, and the chunks, as chunks come and go", async () => {
    const base = await createBase("terms");
    const [first] = await insertChunks(base, [
      { text: "We accept Cigna insurance.", title: "Insurance" },
      { text: "Cleanings take an hour." },
    ]);
    expect(await terms(base.kbId)).toMatchObject({ "": 2, cigna: 1, insur: 1, clean: 1, hour: 1, passag: 1 });

    await database.db.delete(chunks).where(eq(chunks.id, first!.id));
    let counts = await terms(base.kbId);
    expect(counts).toMatchObject({ "": 1, clean: 1 });
    expect(counts.cigna).toBeUndefined();

    // Re-indexing rewrites the text; an update that leaves the text alone changes nothing.
    await database.db
      .update(chunks)
      .set({ text: "Whitening takes an hour." })
      .where(eq(chunks.knowledgeBaseId, base.kbId));
    await database.db.update(chunks).set({ page: 2 }).where(eq(chunks.knowledgeBaseId, base.kbId));
    counts = await terms(base.kbId);
    expect(counts).toMatchObject({ "": 1, whiten: 1, hour: 1 });
    expect(counts.clean).toBeUndefined();
  });

  it("go with their knowledge base", async () => {
    const base = await createBase("gone");
    await insertChunks(base, [{ text: "Parking is behind the building." }]);
    expect((await terms(base.kbId)).park).toBe(1);
    await database.db.delete(chunks).where(eq(chunks.knowledgeBaseId, base.kbId));
    await database.db.delete(knowledgeBases).where(eq(knowledgeBases.id, base.kbId));
    expect(await terms(base.kbId)).toEqual({});
  });
});

describe("searchKnowledge", () => {
  it("ranks the passage with the rare term above passages repeating common ones", async () => {
    const base = await createBase("rare");
    await insertChunks(base, [
      ...Array.from({ length: 30 }, (_, i) => ({
        text: `Your insurance plan and insurance card: bring your insurance details to visit ${i}.`,
      })),
      { text: "Delta Dental members are in network with us.", heading: "In-network plans" },
    ]);
    const results = await searchKnowledge(base.scope, [base.kbId], "do u take delta insurance");
    expect(results[0]!.text).toContain("Delta Dental");
    expect(results[0]!.snippet).toContain("**Delta**");
    expect(results[0]!.citation).toMatchObject({ headingPath: ["In-network plans"], documentId: base.docId });
    const plain = await searchKnowledge(base.scope, [base.kbId], "do u take delta insurance", 5, {
      snippets: false,
    });
    expect(plain.map((r) => [r.chunkId, r.score])).toEqual(results.map((r) => [r.chunkId, r.score]));
    expect(plain[0]!.snippet).toBe("");
  });

  it("finds passages holding all of several common terms beyond the ranking budget", async () => {
    const base = await createBase("common");
    const filler = Array.from({ length: RANK_BUDGET + 50 }, (_, i) => ({
      text: `You can book a visit or pay a bill, reference ${i}.`,
    }));
    await insertChunks(base, [
      ...filler,
      { text: "Book online any time; online booking confirms at once.", heading: "Online booking" },
    ]);
    const results = await searchKnowledge(base.scope, [base.kbId], "can i book online", 3);
    expect(results.map((r) => r.text)).toContain("Book online any time; online booking confirms at once.");
  });

  it("finds a word only in a long passage and highlights it where it is", async () => {
    const base = await createBase("long");
    const padding = "The practice has served the harbour for many years with care. ".repeat(40);
    await insertChunks(base, [
      { text: `${padding}Wheelchair users enter by the ramp on Pier Road. ${padding}` },
    ]);
    const [result] = await searchKnowledge(base.scope, [base.kbId], "wheelchair access");
    expect(result!.snippet).toContain("**Wheelchair**");
    expect(result!.snippet.length).toBeLessThan(600);
  });

  it("stays inside the organization and the bases asked for", async () => {
    const mine = await createBase("mine");
    const theirs = await createBase("theirs");
    const [other] = await database.db
      .insert(knowledgeBases)
      .values({ orgId: mine.orgId, name: "other" })
      .returning();
    await insertChunks(mine, [{ text: "Saturday hours are nine to one." }]);
    await insertChunks(theirs, [{ text: "Saturday hours are ten to two." }]);
    const results = await searchKnowledge(mine.scope, [mine.kbId, theirs.kbId], "saturday hours");
    expect(results.map((r) => r.text)).toEqual(["Saturday hours are nine to one."]);
    expect(await searchKnowledge(mine.scope, [other!.id], "saturday hours")).toEqual([]);
    expect(await searchKnowledge(theirs.scope, [mine.kbId], "saturday hours")).toEqual([]);
  });

  it("returns nothing for stop words alone or words no passage holds", async () => {
    const base = await createBase("empty");
    await insertChunks(base, [{ text: "Emergency line: call 555-0100." }]);
    expect(await searchKnowledge(base.scope, [base.kbId], "what is the")).toEqual([]);
    expect(await searchKnowledge(base.scope, [base.kbId], "invisalign")).toEqual([]);
    expect(await searchKnowledge(base.scope, [base.kbId], "emergency'); drop table chunks; --")).toHaveLength(
      1,
    );
    const [row] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(chunks)
      .where(and(eq(chunks.knowledgeBaseId, base.kbId)));
    expect(row!.n).toBe(1);
  });
});
