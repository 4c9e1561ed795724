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
import { highlightPassages, RANK_BUDGET, searchKnowledge } from "../src/knowledge/search.ts";

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

  it("takes quotes, backslashes and brackets in the query as text", async () => {
    const base = await createBase("quoting");
    await insertChunks(base, [{ text: "O'Brien's \"quoted\" notes live in C:\\records\\{2024}." }]);
    for (const query of [
      `o'brien's notes`,
      'the "quoted" notes',
      "c:\\records\\{2024} notes",
      "notes'}{\\",
    ]) {
      const [result] = await searchKnowledge(base.scope, [base.kbId], query);
      expect(result?.snippet, query).toContain("**notes**");
    }
  });

  it("gives the same results inside a transaction, where statements are not prepared", async () => {
    const base = await createBase("transaction");
    await insertChunks(base, [
      { text: "Saturday hours are nine to one.", heading: "Hours" },
      { text: "We are closed on Sundays and holidays." },
    ]);
    const outside = await searchKnowledge(base.scope, [base.kbId], "are you open on saturday or sunday");
    const inside = await database.db.transaction((tx) =>
      searchKnowledge(new OrgScope(tx, base.orgId), [base.kbId], "are you open on saturday or sunday"),
    );
    expect(outside).toHaveLength(2);
    expect(inside).toEqual(outside);
  });
});

describe("highlightPassages", () => {
  it("highlights the organization's passages by id, and the opening of one holding no query term", async () => {
    const mine = await createBase("highlight");
    const theirs = await createBase("highlight-other");
    const padding = "The practice has served the harbour for many years with care. ".repeat(20);
    const [long, unrelated] = await insertChunks(mine, [
      { text: `${padding}Wheelchair users enter by the ramp on Pier Road. ${padding}`, heading: "Access" },
      { text: "Parking is free behind the building." },
    ]);
    const [foreign] = await insertChunks(theirs, [{ text: "Wheelchair users enter by the side door." }]);
    const shown = await highlightPassages(
      mine.scope,
      [long!.id, unrelated!.id, foreign!.id],
      "wheelchair access",
    );
    expect(shown.map((r) => r.chunkId).sort()).toEqual([long!.id, unrelated!.id].sort());
    const byId = new Map(shown.map((r) => [r.chunkId, r]));
    expect(byId.get(long!.id)!.snippet).toContain("**Wheelchair**");
    expect(byId.get(long!.id)!.snippet.length).toBeLessThan(600);
    expect(byId.get(long!.id)!.citation).toMatchObject({ documentId: mine.docId, headingPath: ["Access"] });
    expect(byId.get(unrelated!.id)!.snippet).toContain("Parking is free");
    expect(await highlightPassages(theirs.scope, [long!.id], "wheelchair")).toEqual([]);
  });
});
