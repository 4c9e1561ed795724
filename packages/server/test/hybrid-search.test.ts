import { existsSync } from "node:fs";
import path from "node:path";
import { ProviderError } from "@oratio/core";
import { chunks, OrgScope } from "@oratio/db";
import { EMPTY_ALLOW_LIST } from "@oratio/net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { knowledgeRetriever } from "../src/conversation/retriever.ts";
import { embeddingModelsFor, ProviderEmbeddingModels } from "../src/knowledge/embedding-models.ts";
import { hybridSearch, reciprocalRankFusion } from "../src/knowledge/hybrid-search.ts";
import { searchKnowledge } from "../src/knowledge/search.ts";
import { storeEmbeddings, vectorMethod, vectorSearch } from "../src/knowledge/vector-search.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { type EmbeddingFixture, startEmbeddingFixture, topicVector } from "./embedding-fixture.ts";
import { expectProblem, type SignedUp, signUp } from "./helpers.ts";
import { ScriptedModels } from "./scripted-models.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const modelsDir = process.env.ORATIO_MODELS_DIR ?? path.resolve(repoRoot, "../shared/models");
const TINY = "llm/stories260K.gguf";
const haveTiny = existsSync(path.join(modelsDir, TINY));
if (!haveTiny) {
  console.warn(
    `Skipping the local embedding test: ${path.join(modelsDir, TINY)} is absent (set ORATIO_MODELS_DIR).`,
  );
}

let t: TestApp;
let a: SignedUp;
let b: SignedUp;
let fake: EmbeddingFixture;
const models = new ScriptedModels();

beforeAll(async () => {
  fake = await startEmbeddingFixture();
  t = await createTestApp({ ORATIO_FETCH_ALLOW: "127.0.0.1", ORATIO_MODELS_DIR: modelsDir }, { models });
  a = await signUp(t);
  b = await signUp(t);
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

const DOCS = {
  "payments.md": "# Payments\n\nWe accept Visa, Mastercard and cash at the front desk.",
  "parking.md":
    "# Parking\n\nFree spaces are in the garage behind the clinic; Bill, our attendant, helps drivers.",
  "hours.md": "# Opening hours\n\nThe clinic opens at 8 on weekdays and closes at noon on Saturday.",
  "pets.md": "# Pets\n\nService dogs are welcome; other animals wait outside.",
};
/** Shares no word with payments.md: full-text search cannot connect them. */
const PARAPHRASE = "how can I settle my bill";

interface Result {
  chunkId: string;
  text: string;
  snippet: string;
  score: number;
  matchedBy?: string[];
  similarity?: number;
  citation: {
    documentId: string;
    title: string;
    url: string | null;
    page: number | null;
    headingPath: string[];
  };
}

async function waitForJob(id: string, token: string) {
  const res = await t.request("GET", `/api/v1/jobs/${id}/events`, {
    token,
    headers: { accept: "text/event-stream" },
  });
  const last = (await res.text()).trim().split("\n\n").at(-1)!;
  return JSON.parse(
    last
      .split("\n")
      .find((l) => l.startsWith("data:"))!
      .slice(5),
  ).data as { status: string; error: string | null; progress: Record<string, unknown> };
}

async function createProvider(user: SignedUp, type = "openai-compatible") {
  const res = await t.request("POST", "/api/v1/providers", {
    token: user.accessToken,
    json: {
      name: "Embeddings",
      type,
      ...(type === "openai-compatible" ? { baseUrl: fake.url } : {}),
      apiKey: "sk-test",
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()).id as string;
}

async function createKb(user: SignedUp, embedding?: { providerId: string; model: string }) {
  const res = await t.request("POST", "/api/v1/knowledge-bases", {
    token: user.accessToken,
    json: { name: "Clinic", ...(embedding ? { embedding } : {}) },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; embedding: { providerId: string; model: string } | null };
}

async function uploadDocs(user: SignedUp, kbId: string, docs: Record<string, string>) {
  const form = new FormData();
  for (const [name, text] of Object.entries(docs))
    form.append("files", new File([text], name, { type: "text/markdown" }));
  const res = await t.request("POST", `/api/v1/knowledge-bases/${kbId}/documents`, {
    token: user.accessToken,
    body: form,
  });
  expect(res.status, await res.clone().text()).toBe(202);
  const body = (await res.json()) as { jobId: string; documents: { id: string; name: string }[] };
  const job = await waitForJob(body.jobId, user.accessToken);
  expect(job.status).toBe("succeeded");
  return { job, ids: new Map(body.documents.map((d) => [d.name, d.id])) };
}

async function search(user: SignedUp, kbId: string, query: string, topK = 5) {
  const res = await t.request("POST", `/api/v1/knowledge-bases/${kbId}/search`, {
    token: user.accessToken,
    json: { query, topK },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()).results as Result[];
}

async function listDocuments(user: SignedUp, kbId: string) {
  const res = await t.request("GET", `/api/v1/knowledge-bases/${kbId}/documents`, {
    token: user.accessToken,
  });
  return (await res.json()).data as {
    id: string;
    name: string;
    status: string;
    embeddingError: string | null;
  }[];
}

const scopeOf = (user: SignedUp) => new OrgScope(t.database.db, user.orgId);

describe("reciprocal rank fusion", () => {
  it("adds 1/(k + rank) per ranking, so agreement beats a single first place", () => {
    const fused = reciprocalRankFusion([
      ["a", "b", "c"],
      ["b", "d"],
    ]);
    expect(fused.get("a")).toBeCloseTo(1 / 61);
    expect(fused.get("b")).toBeCloseTo(1 / 62 + 1 / 61);
    expect(fused.get("d")).toBeCloseTo(1 / 62);
    expect([...fused].sort((x, y) => y[1] - x[1]).map(([id]) => id)).toEqual(["b", "a", "d", "c"]);
  });
});

describe("hybrid search", () => {
  let providerId: string;
  let kbId: string;
  let docIds: Map<string, string>;

  beforeAll(async () => {
    providerId = await createProvider(a);
    const kb = await createKb(a, { providerId, model: "topics" });
    expect(kb.embedding).toEqual({ providerId, model: "topics", jobId: null });
    kbId = kb.id;
    docIds = (await uploadDocs(a, kbId, DOCS)).ids;
  });

  it("finds by meaning a passage full-text search misses, with citation and snippet", async () => {
    const scope = scopeOf(a);
    const textOnly = await searchKnowledge(scope, [kbId], PARAPHRASE, 5);
    expect(textOnly.map((r) => r.citation.documentId)).not.toContain(docIds.get("payments.md"));

    const results = await search(a, kbId, PARAPHRASE);
    const payment = results.find((r) => r.citation.documentId === docIds.get("payments.md"));
    expect(payment, JSON.stringify(results)).toBeDefined();
    expect(payment!.matchedBy).toEqual(["vector"]);
    expect(payment!.similarity).toBeGreaterThan(0.9);
    expect(payment!.citation).toMatchObject({
      title: "Payments",
      headingPath: ["Payments"],
      page: null,
      url: null,
    });
    expect(payment!.snippet).toContain("Visa, Mastercard and cash");
    // The passage full text found for "bill" is still there, found by both rankings.
    const parking = results.find((r) => r.citation.documentId === docIds.get("parking.md"));
    expect(parking?.matchedBy).toEqual(["text", "vector"]);
    expect(parking?.snippet).toContain("**Bill**");
    for (const r of results) expect(r.score).toBeLessThanOrEqual(2 / 61 + 1e-12);
    expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((x, y) => y - x));
    // The query was embedded by the provider, as a query.
    expect(fake.inputs).toContain(PARAPHRASE);
  });

  it("ranks first a passage both rankings agree on", async () => {
    const [first] = await search(a, kbId, "Do you accept cash payments?");
    expect(first?.citation.documentId).toBe(docIds.get("payments.md"));
    expect(first?.matchedBy).toEqual(["text", "vector"]);
    expect(first?.snippet).toMatch(/\*\*accept\*\*.*\*\*cash\*\*/);
  });

  it("gives agents the same passages through the search_knowledge retriever", async () => {
    const retriever = knowledgeRetriever(scopeOf(a), embeddingModelsFor(t.deps));
    const found = await retriever.search(PARAPHRASE, { knowledgeBaseIds: [kbId], topK: 5 });
    expect(found.map((c) => c.documentId)).toContain(docIds.get("payments.md"));
    const payment = found.find((c) => c.documentId === docIds.get("payments.md"))!;
    expect(payment).toMatchObject({ title: "Payments", headingPath: ["Payments"] });
    expect(payment.text).toContain("Visa");
  });

  it("answers an agent's search_knowledge in a conversation with the passage and its citation", async () => {
    const agent = await (
      await t.request("POST", "/api/v1/agents", {
        token: a.accessToken,
        json: {
          name: "Front desk",
          instructions: "Answer from the knowledge base.",
          model: { providerId: "local", model: "desk-model" },
          knowledgeBaseIds: [kbId],
        },
      })
    ).json();
    const session = await (
      await t.request("POST", "/api/v1/sessions", {
        token: a.accessToken,
        json: { agentId: agent.id, channel: "chat" },
      })
    ).json();
    models.model("desk-model").push(
      { toolCalls: [{ name: "search_knowledge", args: { query: PARAPHRASE } }] },
      {
        text: ["Visa, Mastercard or cash."],
        expectRequest: (req) => expect(JSON.stringify(req.messages)).toContain("Visa, Mastercard and cash"),
      },
    );
    const res = await t.request("POST", `/api/v1/sessions/${session.id}/messages`, {
      token: a.accessToken,
      json: { text: "How can I settle my bill?" },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const turn = await res.json();
    expect(turn.text).toBe("Visa, Mastercard or cash.");
    expect(turn.citations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ documentId: docIds.get("payments.md"), title: "Payments" }),
      ]),
    );
    models.assertDone();
  });

  it("ranks the same by pgvector, in process and by the SQL scan", async () => {
    const scope = scopeOf(a);
    const query = topicVector(PARAPHRASE, "topics");
    const ref = `${providerId}|topics`;
    const bySql = await vectorSearch(scope, [kbId], ref, query, 10, { method: "sql" });
    expect(bySql).toHaveLength(Object.keys(DOCS).length);
    expect(bySql[0]?.similarity).toBeGreaterThan(0.9);
    const inMemory = await vectorSearch(scope, [kbId], ref, query, 10, { method: "memory" });
    expect(inMemory.map((h) => h.chunkId)).toEqual(bySql.map((h) => h.chunkId));
    for (const [i, hit] of inMemory.entries()) expect(hit.similarity).toBeCloseTo(bySql[i]!.similarity, 5);
    if ((await vectorMethod(t.database.db)) === "pgvector") {
      const byPgvector = await vectorSearch(scope, [kbId], ref, query, 10, { method: "pgvector" });
      expect(byPgvector.map((h) => h.chunkId)).toEqual(bySql.map((h) => h.chunkId));
      for (const [i, hit] of byPgvector.entries())
        expect(hit.similarity).toBeCloseTo(bySql[i]!.similarity, 5);
    } else {
      console.warn(`${t.database.label} has no pgvector: only the SQL scan was checked.`);
    }
  });

  it("refuses to store a vector with non-finite numbers, which would break every search", async () => {
    const [chunk] = await t.database.db
      .select({ id: chunks.id })
      .from(chunks)
      .where(and(eq(chunks.orgId, a.orgId), eq(chunks.knowledgeBaseId, kbId)))
      .limit(1);
    await expect(
      storeEmbeddings(scopeOf(a), `${providerId}|topics`, [
        { chunkId: chunk!.id, vector: [Number.NaN, 1, 0, 0, 0, 0] },
      ]),
    ).rejects.toThrow(/non-finite/);
    expect((await search(a, kbId, PARAPHRASE)).some((r) => r.matchedBy?.includes("vector"))).toBe(true);
  });

  it("keeps the in-process vectors in step with documents added and deleted", async () => {
    const kb = await createKb(a, { providerId, model: "topics" });
    const ref = `${providerId}|topics`;
    const query = topicVector(PARAPHRASE, "topics");
    const scan = async () =>
      (await vectorSearch(scopeOf(a), [kb.id], ref, query, 10, { method: "memory" })).map((h) => h.chunkId);
    const first = await uploadDocs(a, kb.id, { "payments.md": DOCS["payments.md"] });
    expect(await scan()).toHaveLength(1);
    await uploadDocs(a, kb.id, { "pets.md": DOCS["pets.md"] });
    expect(await scan()).toHaveLength(2);
    const res = await t.request(
      "DELETE",
      `/api/v1/knowledge-bases/${kb.id}/documents/${first.ids.get("payments.md")}`,
      {
        token: a.accessToken,
      },
    );
    expect(res.status).toBe(204);
    const left = await scan();
    expect(left).toHaveLength(1);
    expect(await vectorSearch(scopeOf(a), [kb.id], ref, query, 10, { method: "sql" })).toMatchObject([
      { chunkId: left[0] },
    ]);
  });

  it("never returns another organization's passages", async () => {
    const otherProvider = await createProvider(b);
    const other = await createKb(b, { providerId: otherProvider, model: "topics" });
    const { ids } = await uploadDocs(b, other.id, {
      "billing.md": "# Billing\n\nWe take cash and cards only.",
    });

    const mine = await search(a, kbId, PARAPHRASE, 10);
    expect(mine.map((r) => r.citation.documentId)).not.toContain(ids.get("billing.md"));
    const theirs = await search(b, other.id, PARAPHRASE, 10);
    expect(theirs.map((r) => r.citation.documentId)).toEqual([ids.get("billing.md")]);

    // Naming the other organization's base, directly or through the API, finds nothing.
    expect(await hybridSearch(embeddingModelsFor(t.deps), scopeOf(a), [other.id], PARAPHRASE, 10)).toEqual(
      [],
    );
    const query = topicVector(PARAPHRASE, "topics");
    expect(await vectorSearch(scopeOf(a), [other.id], `${otherProvider}|topics`, query, 10)).toEqual([]);
    await expectProblem(
      await t.request("POST", `/api/v1/knowledge-bases/${other.id}/search`, {
        token: a.accessToken,
        json: { query: PARAPHRASE },
      }),
      404,
    );
    // Nor may a base use another organization's provider.
    await expectProblem(
      await t.request("PATCH", `/api/v1/knowledge-bases/${kbId}`, {
        token: a.accessToken,
        json: { embedding: { providerId: otherProvider, model: "topics" } },
      }),
      422,
      "body.embedding.providerId",
    );
  });

  it("re-embeds every chunk when the model changes, and drops vectors when it is removed", async () => {
    const res = await t.request("PATCH", `/api/v1/knowledge-bases/${kbId}`, {
      token: a.accessToken,
      json: { embedding: { providerId, model: "topics-v2" } },
    });
    expect(res.status).toBe(200);
    const kb = await res.json();
    expect(kb.embedding).toMatchObject({ providerId, model: "topics-v2" });
    const job = await waitForJob(kb.embedding.jobId, a.accessToken);
    expect(job.status).toBe("succeeded");
    const total = Object.keys(DOCS).length;
    expect(job.progress).toMatchObject({ total, embedded: total });
    expect(fake.models).toContain("topics-v2");

    const rows = await t.database.db
      .select({ model: chunks.embeddingModel, embedding: chunks.embedding })
      .from(chunks)
      .where(and(eq(chunks.orgId, a.orgId), eq(chunks.knowledgeBaseId, kbId)));
    expect(rows).toHaveLength(total);
    for (const row of rows) {
      expect(row.model).toBe(`${providerId}|topics-v2`);
      expect(row.embedding).toHaveLength(7);
      expect(Math.hypot(...row.embedding!)).toBeCloseTo(1, 5);
    }
    const results = await search(a, kbId, PARAPHRASE);
    expect(results.find((r) => r.citation.documentId === docIds.get("payments.md"))?.matchedBy).toEqual([
      "vector",
    ]);

    const off = await t.request("PATCH", `/api/v1/knowledge-bases/${kbId}`, {
      token: a.accessToken,
      json: { embedding: null },
    });
    expect((await off.json()).embedding).toBeNull();
    const textOnly = await search(a, kbId, PARAPHRASE);
    const expected = await searchKnowledge(scopeOf(a), [kbId], PARAPHRASE, 5);
    expect(textOnly.map(({ matchedBy, ...r }) => r)).toEqual(expected);
    for (const r of textOnly) expect(r.matchedBy).toEqual(["text"]);
    const [left] = await t.database.db
      .select({ model: chunks.embeddingModel })
      .from(chunks)
      .where(and(eq(chunks.orgId, a.orgId), eq(chunks.knowledgeBaseId, kbId)))
      .limit(1);
    expect(left?.model).toBeNull();
  });
});

describe("when the embedding provider fails", () => {
  it("keeps documents indexed and searchable by text, records why, and recovers", async () => {
    const providerId = await createProvider(a);
    const kb = await createKb(a, { providerId, model: "topics" });
    fake.failWith(401);
    try {
      const { job, ids } = await uploadDocs(a, kb.id, { "payments.md": DOCS["payments.md"] });
      expect(job.progress).toMatchObject({ indexed: 1, failed: 0 });
      expect(JSON.stringify(job.progress.errors)).toContain("Incorrect API key");
      const [doc] = await listDocuments(a, kb.id);
      expect(doc).toMatchObject({ id: ids.get("payments.md"), status: "ready" });
      expect(doc?.embeddingError).toContain("Incorrect API key");

      // The query cannot be embedded either: the search answers from full text.
      const results = await search(a, kb.id, "do you accept cash");
      expect(results.map((r) => r.citation.documentId)).toEqual([ids.get("payments.md")]);
      expect(results[0]?.matchedBy).toEqual(["text"]);

      // Embedding the base again fails the job (a 401 is not retried) and says why.
      const patched = await (
        await t.request("PATCH", `/api/v1/knowledge-bases/${kb.id}`, {
          token: a.accessToken,
          json: { embedding: { providerId, model: "topics" } },
        })
      ).json();
      const failed = await waitForJob(patched.embedding.jobId, a.accessToken);
      expect(failed.status).toBe("failed");
      expect(failed.error).toContain("Incorrect API key");

      fake.failWith(undefined);
      const again = await (
        await t.request("PATCH", `/api/v1/knowledge-bases/${kb.id}`, {
          token: a.accessToken,
          json: { embedding: { providerId, model: "topics" } },
        })
      ).json();
      const done = await waitForJob(again.embedding.jobId, a.accessToken);
      expect(done.status).toBe("succeeded");
      expect(done.progress).toMatchObject({ total: 1, embedded: 1 });
      expect((await listDocuments(a, kb.id))[0]?.embeddingError).toBeNull();
      const [found] = await search(a, kb.id, PARAPHRASE);
      expect(found?.matchedBy).toEqual(["vector"]);
    } finally {
      fake.failWith(undefined);
    }
  });
});

describe("choosing an embedding model", () => {
  it("refuses providers that do not exist or cannot embed, and local files not in the model store", async () => {
    const kb = await createKb(a);
    expect(kb.embedding).toBeNull();
    const patch = (embedding: unknown) =>
      t.request("PATCH", `/api/v1/knowledge-bases/${kb.id}`, { token: a.accessToken, json: { embedding } });
    await expectProblem(
      await patch({ providerId: "7d4b0b6e-8a43-4c4e-9a55-0f4f0c1f0a11", model: "x" }),
      422,
      "body.embedding.providerId",
    );
    const anthropic = await createProvider(a, "anthropic");
    await expectProblem(
      await patch({ providerId: anthropic, model: "claude" }),
      422,
      "body.embedding.providerId",
    );
    await expectProblem(
      await patch({ providerId: "local", model: "llm/absent.gguf" }),
      422,
      "body.embedding.model",
    );
    await expectProblem(
      await patch({ providerId: "local", model: "../../etc/passwd" }),
      422,
      "body.embedding.model",
    );
    await expectProblem(await patch({ providerId: "local" }), 400, "body.embedding.model");
    await expectProblem(
      await t.request("POST", "/api/v1/knowledge-bases", {
        token: a.accessToken,
        json: { name: "x", embedding: { providerId: "not-a-provider", model: "m" } },
      }),
      400,
      "body.embedding.providerId",
    );
  });

  it("sends embedding requests through the outbound guard: a private address needs the allow-list", async () => {
    const providerId = await createProvider(a);
    const guarded = new ProviderEmbeddingModels(
      { ...t.deps.config, fetchAllow: EMPTY_ALLOW_LIST },
      t.deps.keyring.encryption,
    );
    const model = await guarded.resolve(scopeOf(a), { providerId, model: "topics" });
    const before = fake.inputs.length;
    const error = await model.embed(["hello"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).detail).toContain("ORATIO_FETCH_ALLOW");
    expect((error as ProviderError).retryable).toBe(false);
    expect(fake.inputs.length).toBe(before);
  });

  it("keeps a provider from being deleted while a knowledge base embeds with it", async () => {
    const providerId = await createProvider(a);
    const kb = await createKb(a, { providerId, model: "topics" });
    await expectProblem(
      await t.request("DELETE", `/api/v1/providers/${providerId}`, { token: a.accessToken }),
      409,
    );
    await t.request("PATCH", `/api/v1/knowledge-bases/${kb.id}`, {
      token: a.accessToken,
      json: { embedding: null },
    });
    const res = await t.request("DELETE", `/api/v1/providers/${providerId}`, { token: a.accessToken });
    expect(res.status).toBe(204);
  });

  it.skipIf(!haveTiny)("embeds with a local GGUF model from the model store", async () => {
    const kb = await createKb(a, { providerId: "local", model: TINY });
    const { ids } = await uploadDocs(a, kb.id, DOCS);
    const docs = await listDocuments(a, kb.id);
    for (const d of docs) expect(d.embeddingError).toBeNull();
    const results = await search(a, kb.id, "Do you accept cash payments?");
    expect(results).toHaveLength(Object.keys(DOCS).length);
    expect(results[0]?.citation.documentId).toBe(ids.get("payments.md"));
    expect(results.every((r) => r.matchedBy?.includes("vector"))).toBe(true);
  });
});
