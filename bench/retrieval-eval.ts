/**
 * Retrieval evaluation on the fixture business: crawls its site from a local server,
 * uploads its PDF, DOCX and CSV, then asks the customer-worded questions of
 * fixtures/business/eval.json and scores where the expected source ranks.
 *
 *   npx tsx bench/retrieval-eval.ts        prints recall@1, recall@5 and MRR; writes bench/results/retrieval-eval.json
 *   npx tsx bench/retrieval-eval.ts --hybrid [--embedding-model=PATH | --embedding-url=URL --embedding-model=NAME]
 *       also embeds the base and scores hybrid search (full text + vectors, reciprocal rank fusion).
 *       The model is a GGUF in the model store (ORATIO_MODELS_DIR; default: the first file under
 *       `embeddings/`) or an OpenAI-compatible server (key in ORATIO_EVAL_EMBEDDING_KEY). Without
 *       one the hybrid row is skipped with the reason.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { OrgScope } from "@oratio/db";
import { BUSINESS_FIXTURE_DIR, startFixtureServer } from "@oratio/knowledge/testing";
import { listModels, resolveModelsDir } from "@oratio/providers";
import { embeddingModelsFor } from "../packages/server/src/knowledge/embedding-models.ts";
import { hybridSearch } from "../packages/server/src/knowledge/hybrid-search.ts";
import { searchKnowledge } from "../packages/server/src/knowledge/search.ts";
import { createTestApp } from "../packages/server/src/testing.ts";

interface EvalQuestion {
  id: string;
  question: string;
  expected: { source: string; section?: string }[];
}

interface Scores {
  questions: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  misses: { id: string; question: string; expected: string[]; got: string[] }[];
}

export interface RetrievalEvaluation extends Scores {
  /** Present when an embedding model was given: the same questions through hybrid search. */
  hybrid?: Scores & { model: string; embedMs: number };
}

/** An embedding model for the hybrid pass: a GGUF in the model store, or an OpenAI-compatible server. */
export type EvalEmbedding =
  | { type: "local"; model: string }
  | { type: "openai-compatible"; baseUrl: string; model: string; apiKey?: string };

const DOCUMENTS = ["handbook.pdf", "policies.docx", "price-list.csv"];

/** Where a result came from, in the vocabulary of eval.json: a site path or a file name. */
interface Citation {
  documentId: string;
  url: string | null;
  title: string;
}

function sourceOf(citation: Citation, names: Map<string, string>, documentId: string) {
  if (citation.url) {
    const pathname = new URL(citation.url).pathname;
    return pathname.endsWith("/index.html") ? pathname.slice(0, -"index.html".length) : pathname;
  }
  return names.get(documentId) ?? citation.title;
}

function matches(got: string, expected: string): boolean {
  return got === expected || path.posix.basename(got) === expected;
}

export async function evaluateRetrieval(
  options: { embedding?: EvalEmbedding } = {},
): Promise<RetrievalEvaluation> {
  const site = await startFixtureServer();
  const embedding = options.embedding;
  const t = await createTestApp({
    ORATIO_FETCH_ALLOW:
      embedding?.type === "openai-compatible"
        ? `127.0.0.1,${new URL(embedding.baseUrl).hostname}`
        : "127.0.0.1",
    ...(process.env.ORATIO_MODELS_DIR ? { ORATIO_MODELS_DIR: process.env.ORATIO_MODELS_DIR } : {}),
  });
  try {
    const signup = await t.request("POST", "/api/v1/auth/signup", {
      json: {
        email: "eval@example.com",
        password: "evaluation-pw",
        name: "Eval",
        organizationName: "Harborview",
      },
    });
    const { accessToken, organization } = await signup.json();
    const token = accessToken as string;
    const kb = await (
      await t.request("POST", "/api/v1/knowledge-bases", { token, json: { name: "Harborview" } })
    ).json();

    const form = new FormData();
    for (const name of DOCUMENTS) {
      form.append("files", new File([readFileSync(path.join(BUSINESS_FIXTURE_DIR, name))], name));
    }
    const upload = await (
      await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/documents`, { token, body: form })
    ).json();
    const crawl = await (
      await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/sources`, {
        token,
        json: { type: "website", url: `${site.origin}/`, maxPages: 100 },
      })
    ).json();
    /** The SSE stream ends when the job does; its last event is the final state. */
    const waitForJob = async (jobId: string) => {
      const res = await t.request("GET", `/api/v1/jobs/${jobId}/events`, {
        token,
        headers: { accept: "text/event-stream" },
      });
      const last = (await res.text()).trim().split("\n\n").at(-1) ?? "";
      const data = last.split("\n").find((l) => l.startsWith("data:"));
      return (data ? JSON.parse(data.slice(5)).data : {}) as { status?: string; error?: string };
    };
    for (const jobId of [upload.jobId, crawl.jobId]) await waitForJob(jobId);
    const names = new Map<string, string>(
      upload.documents.map((d: { id: string; name: string }) => [d.id, d.name]),
    );

    const { questions } = JSON.parse(readFileSync(path.join(BUSINESS_FIXTURE_DIR, "eval.json"), "utf8")) as {
      questions: EvalQuestion[];
    };
    const scope = new OrgScope(t.database.db, organization.id);
    const score = async (
      search: (question: string) => Promise<{ citation: Citation }[]>,
    ): Promise<Scores> => {
      let hits1 = 0;
      let hits5 = 0;
      let reciprocal = 0;
      const misses: Scores["misses"] = [];
      for (const q of questions) {
        const results = await search(q.question);
        const got = results.map((r) => sourceOf(r.citation, names, r.citation.documentId));
        const expected = q.expected.map((e) => e.source);
        const rank = got.findIndex((g) => expected.some((e) => matches(g, e)));
        if (rank === 0) hits1 += 1;
        if (rank >= 0) {
          hits5 += 1;
          reciprocal += 1 / (rank + 1);
        } else {
          misses.push({ id: q.id, question: q.question, expected, got });
        }
      }
      const n = questions.length;
      return { questions: n, recallAt1: hits1 / n, recallAt5: hits5 / n, mrr: reciprocal / n, misses };
    };
    const fullText = await score((question) => searchKnowledge(scope, [kb.id], question, 5));
    if (!embedding) return fullText;

    const providerId =
      embedding.type === "local"
        ? "local"
        : (
            await (
              await t.request("POST", "/api/v1/providers", {
                token,
                json: {
                  name: "Eval embeddings",
                  type: "openai-compatible",
                  baseUrl: embedding.baseUrl,
                  ...(embedding.apiKey ? { apiKey: embedding.apiKey } : {}),
                },
              })
            ).json()
          ).id;
    const started = performance.now();
    const patched = await t.request("PATCH", `/api/v1/knowledge-bases/${kb.id}`, {
      token,
      json: { embedding: { providerId, model: embedding.model } },
    });
    if (patched.status !== 200) throw new Error(`Cannot use the embedding model: ${await patched.text()}`);
    const job = await waitForJob((await patched.json()).embedding.jobId);
    if (job.status !== "succeeded") throw new Error(`Embedding failed: ${job.error}`);
    const embedMs = performance.now() - started;
    const models = embeddingModelsFor(t.deps);
    const hybrid = await score((question) => hybridSearch(models, scope, [kb.id], question, 5));
    return { ...fullText, hybrid: { ...hybrid, model: embedding.model, embedMs } };
  } finally {
    await t.close();
    await site.close();
  }
}

/** The embedding model named on the command line, the store's first under `embeddings/`, or a reason why none. */
async function embeddingFromArgs(args: string[]): Promise<EvalEmbedding | string> {
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const url = value("embedding-url");
  const model = value("embedding-model");
  if (url) {
    if (!model) return "--embedding-url needs --embedding-model=NAME";
    const apiKey = process.env.ORATIO_EVAL_EMBEDDING_KEY;
    return { type: "openai-compatible", baseUrl: url, model, ...(apiKey ? { apiKey } : {}) };
  }
  if (model) return { type: "local", model };
  const stored = (await listModels()).find(
    (m) => m.name.startsWith("embeddings/") && m.name.endsWith(".gguf"),
  );
  return stored
    ? { type: "local", model: stored.name }
    : `no embedding model: none under embeddings/ in ${resolveModelsDir()} and no --embedding-model or --embedding-url`;
}

function row(scores: Scores) {
  return {
    questions: scores.questions,
    "recall@1": scores.recallAt1.toFixed(3),
    "recall@5": scores.recallAt5.toFixed(3),
    MRR: scores.mrr.toFixed(3),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  let embedding: EvalEmbedding | undefined;
  if (args.includes("--hybrid")) {
    const found = await embeddingFromArgs(args);
    if (typeof found === "string") console.log(`hybrid mode skipped: ${found}`);
    else embedding = found;
  }
  const result = await evaluateRetrieval(embedding ? { embedding } : {});
  console.table({
    "full-text search": row(result),
    ...(result.hybrid ? { [`hybrid (${result.hybrid.model})`]: row(result.hybrid) } : {}),
  });
  if (result.hybrid) console.log(`embedding the base took ${(result.hybrid.embedMs / 1000).toFixed(1)} s`);
  for (const m of result.misses)
    console.log(`miss ${m.id}: "${m.question}" expected ${m.expected.join(" or ")}, got ${m.got.join(", ")}`);
  for (const m of result.hybrid?.misses ?? [])
    console.log(
      `hybrid miss ${m.id}: "${m.question}" expected ${m.expected.join(" or ")}, got ${m.got.join(", ")}`,
    );
  const out = path.join(path.dirname(new URL(import.meta.url).pathname), "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "retrieval-eval.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${path.join(out, "retrieval-eval.json")}`);
}
